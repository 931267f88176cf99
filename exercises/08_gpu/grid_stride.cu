// EXERCISE 08.1 Goal: write the kernel every GPU program starts from: each thread finds its first element
// from its block and thread index, then strides over the array by the size of the whole grid, so one
// launch of any size covers any n exactly once, and no thread touches memory past the end.
//
// What the grade checks: saxpy_launch's grid for several n, block sizes and limits; y equals a*x + y
// exactly (each element updated once: twice would show) for grids smaller than, equal to and larger than
// n, in ascending, descending and shuffled thread order on the launch emulator; the 64 floats after y[n-1]
// are untouched. Where a GPU is present, the same kernel on it gives the same y.
// Read first: chapters/08_gpu/README.md, section "The model: grid, blocks, threads, warps".
// Stuck? `./wb hint 08.1` shows a hint, one stage per call.
#include "ch08/grid_stride.hpp"

#include <algorithm>

namespace ch08 {
WB_IMPL_BEGIN

namespace {
struct Saxpy {
    float a;
    const float* x;
    float* y;
    std::size_t n;

    template <class Thread>
    WB_HD void operator()(const Thread& t) const {
        // EXERCISE: y[i] = a * x[i] + y[i] for every i < n, each i by exactly one thread of the grid
        // (t.blockIdx, t.blockDim, t.threadIdx, t.gridDim), whether the grid has fewer threads than n or more.
        WB_TODO("08.1");
    }
};
}  // namespace

Launch saxpy_launch(std::size_t n, unsigned block, unsigned max_blocks) {
    // EXERCISE: a 1D grid of blocks of `block` threads: one thread per element if max_blocks allows,
    // otherwise max_blocks blocks; never zero blocks.
    WB_TODO("08.1");
}

// Given: the same kernel object runs on the emulator and on the GPU.
emu::Report saxpy_emulated(const Launch& launch, float a, const float* x, float* y, std::size_t n,
                           const emu::Options& options) {
    return emu::run(launch, options, Saxpy{a, x, y, n});
}

void saxpy_device(const Launch& launch, float a, const float* x, float* y, std::size_t n, gpu::Stream stream) {
    gpu::launch(launch, Saxpy{a, x, y, n}, stream);
}

WB_IMPL_END
}  // namespace ch08
