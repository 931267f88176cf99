// ch08/pi_streams.hpp: exercise 08.4, Monte Carlo pi with one random stream per GPU thread.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ch08/device.hpp"
#include "ch08/emu.hpp"
#include "ch08/kernels.hpp"
#include "ch08/launch.hpp"
#include "wb/exercise.hpp"

namespace ch08 {
WB_IMPL_BEGIN

/// Every thread g of the grid (g = its global index, 0 .. all threads - 1) draws `samples` points
/// (x, y) from its own stream CounterRng(seed, g): point s is x = u31(2 s), y = u31(2 s + 1). It writes
/// hits[g] = how many of its points are inside_circle. hits has one entry per thread of the grid (1D
/// launch). Runs on the emulator.
emu::Report pi_hits_emulated(const Launch& launch, std::uint64_t seed, std::uint32_t samples, std::uint32_t* hits,
                             const emu::Options& options = {});

/// The same kernel on the GPU (hits a device pointer), queued on `stream`.
void pi_hits_device(const Launch& launch, std::uint64_t seed, std::uint32_t samples, std::uint32_t* hits,
                    gpu::Stream stream = {});

WB_IMPL_END
}  // namespace ch08
