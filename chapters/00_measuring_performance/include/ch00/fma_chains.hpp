// Exercise 00.4: enough independent fused multiply-adds to reach the core's peak floating-point rate.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "wb/exercise.hpp"

namespace ch00 {

/// How many independent values fma_chains() advances together.
inline constexpr std::size_t kChains = 48;

WB_IMPL_BEGIN

/// Advances each of the kChains values by `steps` steps of x = std::fma(x, a, b): 2 floating-point
/// operations per step and value, 2 * kChains * steps in all. Single-threaded: callers that want every
/// core run it on each thread with its own array. Throws std::invalid_argument when steps < 0.
void fma_chains(std::array<double, kChains>& x, double a, double b, std::int64_t steps);

WB_IMPL_END
}  // namespace ch00
