// ch08/grid_stride.hpp: exercise 08.1, a bounds-checked grid-stride kernel (saxpy) and the launch that
// covers n elements with a grid of limited size.
#pragma once

#include <cstddef>

#include "ch08/device.hpp"
#include "ch08/emu.hpp"
#include "ch08/launch.hpp"
#include "wb/exercise.hpp"

namespace ch08 {
WB_IMPL_BEGIN

/// The 1D launch for n elements with blocks of `block` threads (1..1024): enough blocks that each
/// element has a thread of its own, but at most `max_blocks` (>= 1); then the threads stride over the rest.
/// Always at least one block.
Launch saxpy_launch(std::size_t n, unsigned block, unsigned max_blocks);

/// y[i] = a * x[i] + y[i] for every i < n, each element by exactly one thread, whatever the grid (any
/// 1D launch, smaller or larger than n), touching nothing beyond y[n - 1]. Runs on the emulator.
emu::Report saxpy_emulated(const Launch& launch, float a, const float* x, float* y, std::size_t n,
                           const emu::Options& options = {});

/// The same kernel on the GPU: x and y are device pointers; queued on `stream`, not waited for.
void saxpy_device(const Launch& launch, float a, const float* x, float* y, std::size_t n, gpu::Stream stream = {});

WB_IMPL_END
}  // namespace ch08
