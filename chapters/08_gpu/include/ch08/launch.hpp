// ch08/launch.hpp: what a kernel of chapter 08 is written against, on a GPU and on the host alike.
//
// A kernel is a struct holding its arguments (pointers, sizes) with a templated call operator that
// takes the calling thread `t`:
//
//     struct AddOne {
//         float* x; std::size_t n;
//         template <class Thread> WB_HD void operator()(const Thread& t) const {
//             const std::size_t i = std::size_t{t.blockIdx.x} * t.blockDim.x + t.threadIdx.x;
//             if (i < n) x[i] += 1.0f;
//         }
//     };
//
// On a GPU, gpu::launch (ch08/device.hpp) runs it with a thread object that reads CUDA's built-in
// blockIdx, threadIdx, ... and whose syncthreads() is __syncthreads(). On the host, emu::run
// (ch08/emu.hpp) runs the very same operator for every thread of the grid. `t.` is the one thing a
// plain CUDA kernel would not write.
#pragma once

#include <cstddef>

#include "wb/exercise.hpp"

// WB_HD marks a function compiled for both sides: __host__ __device__ under nvcc, nothing for g++.
#if defined(__CUDACC__)
#define WB_HD __host__ __device__
#else
#define WB_HD
#endif

// Device code cannot throw: a stub's WB_TODO stops the kernel instead (the launch then reports an error).
#if defined(__CUDA_ARCH__)
#undef WB_TODO
#define WB_TODO(exercise_id) __trap()
#endif

namespace ch08 {

/// CUDA's dim3: the extent of a grid (in blocks) or of a block (in threads), or an index in one.
struct Dim3 {
    unsigned x = 1, y = 1, z = 1;
};

/// How a kernel is launched: kernel<<<grid, block, shared_bytes>>>.
struct Launch {
    Dim3 grid;                     ///< blocks in the grid
    Dim3 block;                    ///< threads in a block
    std::size_t shared_bytes = 0;  ///< dynamic shared memory per block (t.shared() points to it)
};

/// Threads in one warp on every NVIDIA GPU so far (CUDA's warpSize).
inline constexpr unsigned kWarpSize = 32;

/// ceil(n / d) for d > 0: how many blocks of d threads cover n elements.
WB_HD constexpr std::size_t ceil_div(std::size_t n, std::size_t d) { return (n + d - 1) / d; }

}  // namespace ch08
