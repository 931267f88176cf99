// Exercise 00.4: independent fused multiply-adds, in an order that lets the core overlap them.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "wb/exercise.hpp"

namespace ch00 {

/// How many independent values fma_chains() advances together: 12 AVX2 registers of 4 doubles, enough to
/// keep two FMA units of up to 6 cycles' latency busy, and few enough to stay in AVX2's 16 registers.
/// An AVX-512 core with two units needs 64 (latency x units x lanes = 4 x 2 x 8): the chapter measures
/// the machine's peak with peak.hpp, which chooses the count from the instruction set at run time.
inline constexpr std::size_t kChains = 48;

WB_IMPL_BEGIN

/// Advances each of the kChains values by `steps` steps of x = std::fma(x, a, b): 2 floating-point
/// operations per step and value, 2 * kChains * steps in all. Single-threaded: callers that want every
/// core run it on each thread with its own array. Throws std::invalid_argument when steps < 0.
void fma_chains(std::array<double, kChains>& x, double a, double b, std::int64_t steps);

WB_IMPL_END
}  // namespace ch00
