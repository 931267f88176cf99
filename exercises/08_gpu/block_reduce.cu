// EXERCISE 08.2 Goal: sum an array the way GPUs do: each thread adds its grid-stride share in a register,
// the block combines its threads' sums through shared memory with a barrier between steps, and the last
// 32 values are added by warp shuffles, register to register, with no shared memory and no barrier.
//
// What the grade checks: every block's partial sum is exact (integer-valued data) for blocks of 32 to 256
// threads, grids of 1 to 7 blocks and n smaller and larger than the grid, in ascending, descending and
// shuffled thread order on the launch emulator, where a thread that reads shared memory before another
// has written it reads garbage; the kernel reaches syncthreads() the same number of times in every
// thread and shuffles with all 32 lanes; only partial[0..blocks) is written. Where a GPU is present, the
// same kernel on it gives the same partial sums.
// Read first: chapters/08_gpu/README.md, section "Shared memory, barriers and warp shuffles".
// Stuck? `./wb hint 08.2` shows a hint, one stage per call.
#include "ch08/block_reduce.hpp"

namespace ch08 {
WB_IMPL_BEGIN

namespace {
struct BlockSums {
    const float* x;
    std::size_t n;
    float* partial;

    template <class Thread>
    WB_HD void operator()(const Thread& t) const {
        // EXERCISE: partial[t.blockIdx.x] = the sum of this block's grid-stride share of x. Each thread first
        // adds its own elements in a register; the block's blockDim.x sums then go through t.shared()
        // (blockDim.x floats), halving the number of live values per step, with t.syncthreads() wherever one
        // thread reads what another wrote; the last 32 are added by t.shfl_down within one warp, whose 32
        // lanes all take part. One thread writes the block's result.
        WB_TODO("08.2");
    }
};
}  // namespace

//! [block_reduce_given]
// Given: the same kernel object runs on the emulator and on the GPU.
emu::Report block_sums_emulated(const Launch& launch, const float* x, std::size_t n, float* partial,
                                const emu::Options& options) {
    return emu::run(launch, options, BlockSums{x, n, partial});
}

void block_sums_device(const Launch& launch, const float* x, std::size_t n, float* partial, gpu::Stream stream) {
    gpu::launch(launch, BlockSums{x, n, partial}, stream);
}
//! [block_reduce_given]

WB_IMPL_END
}  // namespace ch08
