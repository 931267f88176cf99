// EXERCISE 08.4 Goal: give every GPU thread a random stream of its own, named by the thread's index in the
// whole grid, so that thousands of threads draw independent samples with no shared generator state, and
// the host can reproduce any thread's count exactly.
//
// What the grade checks: hits[g] of every thread equals the count the host computes from stream g (so
// the streams are the threads' own: not one stream for all, not one per thread index within a block),
// for several grids and sample counts, in ascending, descending and shuffled order on the launch
// emulator; no two threads report the same sequence of points; pi estimated from the counts lies within
// 5 standard errors of pi; nothing written past hits[all threads - 1]. Where a GPU is present, its counts
// equal the host's, thread for thread.
// Read first: chapters/08_gpu/README.md, section "Monte Carlo: a random stream per thread".
// Stuck? `./wb hint 08.4` shows a hint, one stage per call.
#include "ch08/pi_streams.hpp"

namespace ch08 {
WB_IMPL_BEGIN

namespace {
struct PiHits {
    std::uint64_t seed;
    std::uint32_t samples;
    std::uint32_t* hits;

    template <class Thread>
    WB_HD void operator()(const Thread& t) const {
        // The stream is named by the thread's index in the whole grid: no two threads share one.
        const std::uint64_t g = std::uint64_t{t.blockIdx.x} * t.blockDim.x + t.threadIdx.x;
        const CounterRng rng(seed, g);
        std::uint32_t inside = 0;
        for (std::uint32_t s = 0; s < samples; ++s)
            inside += inside_circle(rng.u31(2 * std::uint64_t{s}), rng.u31(2 * std::uint64_t{s} + 1)) ? 1u : 0u;
        hits[g] = inside;
    }
};
}  // namespace

// Given: the same kernel object runs on the emulator and on the GPU.
emu::Report pi_hits_emulated(const Launch& launch, std::uint64_t seed, std::uint32_t samples, std::uint32_t* hits,
                             const emu::Options& options) {
    return emu::run(launch, options, PiHits{seed, samples, hits});
}

void pi_hits_device(const Launch& launch, std::uint64_t seed, std::uint32_t samples, std::uint32_t* hits,
                    gpu::Stream stream) {
    gpu::launch(launch, PiHits{seed, samples, hits}, stream);
}

WB_IMPL_END
}  // namespace ch08
