// ch08/block_reduce.hpp: exercise 08.2, the sum of an array by one partial sum per block: registers,
// then shared memory, then warp shuffles.
#pragma once

#include <cstddef>

#include "ch08/device.hpp"
#include "ch08/emu.hpp"
#include "ch08/launch.hpp"
#include "wb/exercise.hpp"

namespace ch08 {

/// The launch of the block sums: `blocks` blocks of `block` threads (a power of two, 32 to 1024), with one
/// float of shared memory per thread.
inline Launch block_sums_launch(unsigned blocks, unsigned block) {
    return Launch{Dim3{blocks}, Dim3{block}, std::size_t{block} * sizeof(float)};
}

WB_IMPL_BEGIN

/// partial[b] = the sum of the x[i] (i < n) that the threads of block b visit when every thread of the
/// grid strides over x (thread g of the grid, g = blockIdx.x * blockDim.x + threadIdx.x, takes i = g,
/// g + all threads, ...). One float per block, written by one thread; nothing else written. Launch:
/// block_sums_launch. Runs on the emulator.
emu::Report block_sums_emulated(const Launch& launch, const float* x, std::size_t n, float* partial,
                                const emu::Options& options = {});

/// The same kernel on the GPU (device pointers), queued on `stream`.
void block_sums_device(const Launch& launch, const float* x, std::size_t n, float* partial, gpu::Stream stream = {});

WB_IMPL_END
}  // namespace ch08
