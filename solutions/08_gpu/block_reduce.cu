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
        float* s = static_cast<float*>(t.shared());  // blockDim.x floats, one per thread
        const unsigned tid = t.threadIdx.x;
        const std::size_t first = std::size_t{t.blockIdx.x} * t.blockDim.x + tid;
        const std::size_t stride = std::size_t{t.gridDim.x} * t.blockDim.x;

        // 1. Registers: this thread's share of x.
        float v = 0.0f;
        for (std::size_t i = first; i < n; i += stride) v += x[i];

        // 2. Shared memory: halve the number of live values until one warp's worth is left.
        s[tid] = v;
        t.syncthreads();
        for (unsigned half = t.blockDim.x / 2; half >= kWarpSize; half /= 2) {
            if (tid < half) s[tid] += s[tid + half];
            t.syncthreads();
        }

        // 3. Warp shuffles: the first warp adds its 32 values lane to lane.
        if (tid < kWarpSize) {
            float w = s[tid];
            for (unsigned offset = kWarpSize / 2; offset > 0; offset /= 2) w += t.shfl_down(w, offset);
            if (tid == 0) partial[t.blockIdx.x] = w;
        }
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
