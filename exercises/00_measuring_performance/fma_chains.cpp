// EXERCISE 00.4 Goal: advance kChains independent values by `steps` fused multiply-adds each, fast
// enough to reach the core's peak floating-point rate.
//
// Steps:
//   1. Copy the values into a local array (the compiler then keeps them in registers).
//   2. Loop over the steps outside and over the kChains values inside, with std::fma.
//   3. Copy the values back.
// Run `./wb grade 00` to check your work (the speed report compares it with the reference).
#include "ch00/fma_chains.hpp"

#include <cmath>
#include <stdexcept>

namespace ch00 {
WB_IMPL_BEGIN

void fma_chains(std::array<double, kChains>& x, double a, double b, std::int64_t steps) {
    if (steps < 0) throw std::invalid_argument("fma_chains: steps must not be negative");
    // EXERCISE: apply v = std::fma(v, a, b) `steps` times to each of the kChains values of x.
    // Hint: one value at a time (steps loop inside) is correct but slow: each fma waits for the
    //       previous one of its chain to finish. With the steps loop outside, the kChains fmas of one
    //       step are independent, and the compiler packs them into vector instructions that overlap.
    WB_TODO("00.4");
}

WB_IMPL_END
}  // namespace ch00
