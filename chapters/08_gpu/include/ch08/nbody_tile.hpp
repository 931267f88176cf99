// ch08/nbody_tile.hpp: exercise 08.3, N-body accelerations with each tile of bodies loaded once per block
// into shared memory.
#pragma once

#include <cstddef>

#include "ch08/device.hpp"
#include "ch08/emu.hpp"
#include "ch08/kernels.hpp"
#include "ch08/launch.hpp"
#include "wb/exercise.hpp"

namespace ch08 {

/// The launch of the tiled kernel for n bodies: one thread per body in blocks of `block` threads, and
/// one Body of shared memory per thread (the tile).
inline Launch nbody_tile_launch(std::size_t n, unsigned block) {
    return Launch{Dim3{static_cast<unsigned>(ceil_div(n == 0 ? 1 : n, block))}, Dim3{block}, std::size_t{block} * sizeof(Body)};
}

WB_IMPL_BEGIN

/// acc[i] = the sum over all j < n of the pull of bodies[j] on bodies[i] (add_pull, j in increasing order)
/// for every i < n, with the launch nbody_tile_launch(n, block): thread i handles body i, and the block
/// reads the bodies a tile of blockDim.x at a time from shared memory, each thread loading one body of
/// each tile. Reads no body at or beyond n, writes no acc at or beyond n. Runs on the emulator.
emu::Report nbody_tile_emulated(const Launch& launch, const Body* bodies, std::size_t n, Vec3* acc,
                                const emu::Options& options = {});

/// The same kernel on the GPU (device pointers), queued on `stream`.
void nbody_tile_device(const Launch& launch, const Body* bodies, std::size_t n, Vec3* acc, gpu::Stream stream = {});

WB_IMPL_END
}  // namespace ch08
