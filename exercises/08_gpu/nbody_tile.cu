// EXERCISE 08.3 Goal: make every block read the bodies from global memory once per tile instead of once
// per thread: the block's threads load one tile of bodies into shared memory together, wait, all use it,
// and wait again before the next tile overwrites it. Global memory traffic falls by the block size.
//
// What the grade checks: accelerations within 1e-5 of the pull scale of a double-precision reference for
// n a multiple of the block and not, blocks of 32 to 128 threads, in ascending, descending and shuffled
// thread order on the launch emulator (where a thread that reads the tile before it is complete, or after
// the next one has begun to overwrite it, gets the wrong bodies); no body read at or past n (the bodies
// past n in the test's array have NaN positions) and no acceleration written past n; every thread of a
// block reaches every barrier (one that does not leaves the others waiting forever: the emulator reports
// it). Where a GPU is present, the same kernel on it agrees with the emulator.
// Read first: chapters/08_gpu/README.md, section "Shared memory, barriers and warp shuffles".
// Stuck? `./wb hint 08.3` shows a hint, one stage per call.
#include "ch08/nbody_tile.hpp"

namespace ch08 {
WB_IMPL_BEGIN

namespace {
struct NbodyTile {
    const Body* bodies;
    std::size_t n;
    Vec3* acc;

    template <class Thread>
    WB_HD void operator()(const Thread& t) const {
        // EXERCISE: for thread i = its index in the grid, acc[i] = the sum of add_pull over all bodies j < n
        // in increasing j, where the block takes the bodies a tile of t.blockDim.x at a time: each thread
        // copies one body of the tile into t.shared(), and the block reads the tile from there. Every
        // thread, including those past the last body, takes part in every tile; t.syncthreads() wherever
        // a thread could read a slot that another has not finished writing, or overwrite one that
        // another is still reading. Nothing is read or written at or beyond n.
        WB_TODO("08.3");
    }
};
}  // namespace

// Given: the same kernel object runs on the emulator and on the GPU.
emu::Report nbody_tile_emulated(const Launch& launch, const Body* bodies, std::size_t n, Vec3* acc,
                                const emu::Options& options) {
    return emu::run(launch, options, NbodyTile{bodies, n, acc});
}

void nbody_tile_device(const Launch& launch, const Body* bodies, std::size_t n, Vec3* acc, gpu::Stream stream) {
    gpu::launch(launch, NbodyTile{bodies, n, acc}, stream);
}

WB_IMPL_END
}  // namespace ch08
