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
        Body* tile = static_cast<Body*>(t.shared());  // blockDim.x bodies
        const std::size_t i = std::size_t{t.blockIdx.x} * t.blockDim.x + t.threadIdx.x;
        // A thread past the last body still loads its share of every tile and meets every barrier.
        const Body me = i < n ? bodies[i] : Body{0.0f, 0.0f, 0.0f, 0.0f};
        Vec3 a{0.0f, 0.0f, 0.0f};
        for (std::size_t base = 0; base < n; base += t.blockDim.x) {
            const std::size_t j = base + t.threadIdx.x;
            tile[t.threadIdx.x] = j < n ? bodies[j] : Body{0.0f, 0.0f, 0.0f, 0.0f};  // massless padding
            t.syncthreads();  // the whole tile is loaded
            for (unsigned k = 0; k < t.blockDim.x; ++k) add_pull(a, me, tile[k]);  // padding adds 0
            t.syncthreads();  // everyone is done with this tile before it is overwritten
        }
        if (i < n) acc[i] = a;
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
