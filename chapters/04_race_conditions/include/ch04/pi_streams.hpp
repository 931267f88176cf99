// ch04/pi_streams.hpp: exercise 04.6, Monte Carlo pi with one random stream per block of samples,
// and the small generator it uses.
#pragma once

#include <cstdint>

#include "wb/exercise.hpp"

namespace ch04 {

// [splitmix] (a plain comment: Doxygen would take "//!" for the documentation of the next line)
/// The SplitMix64 finalizer: a bijection on 64-bit integers that scatters nearby inputs (0, 1, 2, ...)
/// to unrelated-looking outputs.
constexpr std::uint64_t mix64(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/// SplitMix64: a 64-bit counter stepped by a fixed odd constant and passed through mix64. Eight bytes
/// of state, a few cycles per number, and every seed is a good seed.
struct SplitMix64 {
    std::uint64_t state;
    std::uint64_t next() {
        state += 0x9e3779b97f4a7c15ULL;
        return mix64(state);
    }
    /// Uniform in [0, 1): the top 53 bits of next() scaled by 2^-53.
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
};

/// The seed of block `block` of a run seeded with `seed`. Distinct blocks get distinct, unrelated
/// seeds (mix64 is a bijection), so their streams do not repeat each other.
constexpr std::uint64_t block_seed(std::uint64_t seed, std::uint64_t block) { return mix64(seed + mix64(block + 1)); }
// [splitmix]

/// Samples per block in pi_hits.
inline constexpr std::uint64_t pi_block_samples = 1 << 16;

/// The estimate of pi from `hits` of `samples` points.
inline double pi_estimate(std::uint64_t hits, std::uint64_t samples) {
    return 4.0 * static_cast<double>(hits) / static_cast<double>(samples);
}

WB_IMPL_BEGIN

/// 04.6: of `samples` points drawn uniformly in the unit square, counts those inside the quarter
/// circle (x*x + y*y < 1), on `threads` threads. The samples are split into blocks of
/// pi_block_samples (the last block may be shorter); block b draws x and then y for each of its
/// points from SplitMix64{block_seed(seed, b)}. The count therefore depends on `samples` and `seed`
/// only, never on `threads` or on which thread ran which block.
std::uint64_t pi_hits(std::uint64_t samples, std::uint64_t seed, int threads);

WB_IMPL_END

}  // namespace ch04
