// Tests of exercise 04.6: Monte Carlo pi whose count depends on the seed only.
#include <algorithm>
#include <cstdint>
#include <numbers>

#include "ch04/pi_streams.hpp"
#include "checks.hpp"
#include "wb/catch.hpp"

namespace {

// The documented scheme, run serially: blocks in order, each with its own SplitMix64 stream.
std::uint64_t reference_hits(std::uint64_t samples, std::uint64_t seed) {
    std::uint64_t hits = 0;
    for (std::uint64_t first = 0, b = 0; first < samples; first += ch04::pi_block_samples, ++b) {
        ch04::SplitMix64 rng{ch04::block_seed(seed, b)};
        const std::uint64_t count = std::min(ch04::pi_block_samples, samples - first);
        for (std::uint64_t k = 0; k < count; ++k) {
            const double x = rng.uniform();
            const double y = rng.uniform();
            hits += (x * x + y * y < 1.0) ? 1 : 0;
        }
    }
    return hits;
}

}  // namespace

TEST_CASE("04.6 the count is the same for every thread count", "[ch04][race]") {
    // Five whole blocks and a short one, so that the last block's length is exercised too.
    const std::uint64_t samples = 5 * ch04::pi_block_samples + 12345;
    const std::uint64_t seed = 2024;
    const std::uint64_t expected = reference_hits(samples, seed);
    for (int threads : ch04_tests::thread_counts_largest_first()) {
        INFO(threads << " threads");
        REQUIRE(ch04::pi_hits(samples, seed, threads) == expected);
    }
}

TEST_CASE("04.6 more threads than blocks", "[ch04][race]") {
    const std::uint64_t samples = 1000;  // a single, short block: most threads get nothing to do
    for (int threads : ch04_tests::thread_counts_largest_first()) {
        INFO(threads << " threads");
        REQUIRE(ch04::pi_hits(samples, 7, threads) == reference_hits(samples, 7));
    }
    REQUIRE(ch04::pi_hits(0, 7, 2) == 0);
}

TEST_CASE("04.6 the estimate is close to pi and depends on the seed", "[ch04][race]") {
    const std::uint64_t samples = std::uint64_t{1} << 22;
    const std::uint64_t hits = ch04::pi_hits(samples, 1, 2);
    // One estimate from N points has standard deviation 4 * sqrt(p (1 - p) / N) with p = pi/4,
    // 0.0008 for N = 2^22; 0.005 is over six of them, so only a wrong formula fails.
    REQUIRE_THAT(ch04::pi_estimate(hits, samples), Catch::Matchers::WithinAbs(std::numbers::pi, 0.005));
    REQUIRE(ch04::pi_hits(samples, 2, 2) != hits);
}
