// EXERCISE 04.6 Goal: Monte Carlo pi on several threads whose answer depends on the seed only, not on
// the number of threads: one random stream per block of samples instead of one shared generator.
//
// Steps:
//   1. Work out the number of blocks: samples / pi_block_samples, rounded up.
//   2. Let thread t take blocks t, t + threads, t + 2*threads, ... For each block b, make a generator
//      SplitMix64{block_seed(seed, b)} and draw x, then y, for each point of the block (the last block
//      may be shorter than pi_block_samples).
//   3. Count hits in a local variable, store it in partial[t], add the partials after the join.
//   4. Delete the WB_TODO line and run the test: the count must be the same for every thread count.
// Run `./wb grade 04` to check your work (it also runs this exercise under ThreadSanitizer).
#include "ch04/pi_streams.hpp"

#include <algorithm>
#include <numeric>
#include <thread>
#include <vector>

namespace ch04 {
WB_IMPL_BEGIN

std::uint64_t pi_hits(std::uint64_t samples, std::uint64_t seed, int threads) {
    const std::uint64_t blocks = (samples + pi_block_samples - 1) / pi_block_samples;
    const auto stride = static_cast<std::uint64_t>(threads);
    std::vector<std::uint64_t> partial(static_cast<std::size_t>(threads), 0);
    auto worker = [&](int t) {
        std::uint64_t hits = 0;
        //! [blocks]
        for (std::uint64_t b = static_cast<std::uint64_t>(t); b < blocks; b += stride) {
            SplitMix64 rng{block_seed(seed, b)};  // block b's own stream, whoever runs it
            const std::uint64_t first = b * pi_block_samples;
            const std::uint64_t count = std::min(pi_block_samples, samples - first);
            for (std::uint64_t k = 0; k < count; ++k) {
                const double x = rng.uniform();
                const double y = rng.uniform();
                hits += (x * x + y * y < 1.0) ? 1 : 0;
            }
        }
        //! [blocks]
        partial[static_cast<std::size_t>(t)] = hits;
    };
    {
        std::vector<std::jthread> pool;
        for (int t = 0; t < threads; ++t) pool.emplace_back(worker, t);
    }  // each std::jthread joins when the vector is destroyed
    return std::accumulate(partial.begin(), partial.end(), std::uint64_t{0});
}

WB_IMPL_END
}  // namespace ch04
