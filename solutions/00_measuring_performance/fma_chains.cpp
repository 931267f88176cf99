// EXERCISE 00.4 Goal: advance kChains independent values by `steps` fused multiply-adds each, in an
// order that lets the core overlap them. An fma waits for its inputs for several cycles (its latency),
// but fmas that do not depend on each other can be in flight together, several per cycle.
//
// What the grade checks: every chain ends exactly where `steps` calls of std::fma on its own value
// would leave it (each chain advances on its own, by exactly `steps` fused steps); then the speed
// report compares your loop with the reference (goal 0.8): an order that makes the core wait out the
// latency of one fma after another is many times too slow.
// Read first: chapters/00_measuring_performance/README.md, sections "The limits of your machine" and
// "Latency, units, lanes".
// Stuck? `./wb hint 00.4` shows a hint, one stage per call.
#include "ch00/fma_chains.hpp"

#include <cmath>
#include <stdexcept>

namespace ch00 {
WB_IMPL_BEGIN

void fma_chains(std::array<double, kChains>& x, double a, double b, std::int64_t steps) {
    if (steps < 0) throw std::invalid_argument("fma_chains: steps must not be negative");
    std::array<double, kChains> v = x;  // a local copy: the compiler keeps it in registers
    for (std::int64_t s = 0; s < steps; ++s)
        for (std::size_t j = 0; j < kChains; ++j) v[j] = std::fma(v[j], a, b);  // kChains independent fmas
    x = v;
}

WB_IMPL_END
}  // namespace ch00
