// ch08/emu.hpp: the launch emulator. It runs a kernel of chapter 08 on the host for every thread of a
// grid, so that the index arithmetic, bounds checks, grid-stride loops, shared memory, barriers and
// warp shuffles of a kernel can be tested on a machine without a GPU.
//
// Two ways to run, chosen by the launch:
//  - without barriers (no shared memory): every (block, thread) is called once, one after the other, in
//    the order Options::order gives (ascending, descending or shuffled over the whole grid). A kernel's
//    result must not depend on that order, and on a GPU it cannot rely on one either.
//  - with barriers (Launch::shared_bytes > 0 or Options::barriers): the blocks run one after the other;
//    each thread of a block is a host thread, but only one runs at a time. A thread runs until it
//    reaches t.syncthreads() (or a shuffle, or its end); then the next thread in the order runs. So a
//    kernel that reads shared memory another thread has not yet written (a missing barrier) reads the
//    old value, deterministically, instead of now and then. Threads within a warp get no lockstep: as on
//    GPUs since Volta, only syncthreads() and the shuffles order them.
// A barrier that not every thread reaches (inside a branch, after an early return) never completes on a
// GPU; here it throws std::logic_error naming the barrier. Exceptions of the kernel (a stub's WB_TODO)
// reach the caller of run().
#pragma once

#include <cstdint>
#include <cstring>
#include <type_traits>

#include "ch08/launch.hpp"

namespace ch08::emu {

/// The order in which the threads are run (between barriers, in barrier mode).
enum class Order { ascending, descending, shuffled };

struct Options {
    Order order = Order::ascending;
    std::uint64_t seed = 1;  ///< of the shuffled order
    bool barriers = false;   ///< run blocks as cooperating threads even without shared memory
};

/// What a run did: for tests that check a kernel synchronizes as often as it must.
struct Report {
    std::uint64_t threads = 0;         ///< kernel calls (every thread of the grid once)
    std::uint64_t block_barriers = 0;  ///< completed syncthreads() barriers, summed over the blocks
    std::uint64_t warp_shuffles = 0;   ///< completed shuffles, summed over the warps
};

class BlockRun;  // a block in barrier mode (emu.cpp)

/// The calling thread, as the kernel sees it: CUDA's built-in variables and functions, as members.
/// (Its functions are declared WB_HD only so that nvcc accepts them inside a kernel's WB_HD operator;
/// they are defined for the host alone, and only the host ever calls them.)
struct Thread {
    Dim3 blockIdx, blockDim, threadIdx, gridDim;

    /// __syncthreads(): returns when every thread of the block has called it.
    WB_HD void syncthreads() const;
    /// The block's dynamic shared memory (Launch::shared_bytes bytes, 16-byte aligned); each block has
    /// its own, filled with 0xCD bytes at the start so that reading what nobody wrote shows.
    WB_HD void* shared() const;
    /// This thread's lane in its warp: (linear index in the block) % 32.
    WB_HD unsigned lane() const { return linear_ % kWarpSize; }
    /// __shfl_down_sync(0xffffffff, v, delta): v of the lane `delta` above in the same warp, or this
    /// lane's own v when there is none. Every lane of the warp must call it.
    template <class T>
    WB_HD T shfl_down(T v, unsigned delta) const {
        static_assert(std::is_trivially_copyable_v<T> && sizeof(T) <= sizeof(std::uint64_t));
        std::uint64_t bits = 0;
        std::memcpy(&bits, &v, sizeof(T));
        bits = exchange_down(bits, delta);
        T out;
        std::memcpy(&out, &bits, sizeof(T));
        return out;
    }

    // The emulator's own (not for kernels).
    WB_HD std::uint64_t exchange_down(std::uint64_t bits, unsigned delta) const;
    BlockRun* block_ = nullptr;
    unsigned linear_ = 0;
};

using ErasedKernel = void (*)(const void* kernel, const Thread& t);

/// Runs `kernel` for every thread of `launch` (see the top of this file). Throws std::invalid_argument
/// for a launch a GPU refuses (an empty grid or block, more than 1024 threads per block, a block
/// dimension beyond 1024/1024/64, more than 48 KiB of shared memory).
Report run_erased(const Launch& launch, const Options& options, ErasedKernel fn, const void* kernel);

template <class Kernel>
Report run(const Launch& launch, const Options& options, const Kernel& kernel) {
    return run_erased(launch, options, [](const void* k, const Thread& t) { (*static_cast<const Kernel*>(k))(t); },
                      &kernel);
}

}  // namespace ch08::emu
