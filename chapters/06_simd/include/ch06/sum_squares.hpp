// ch06/sum_squares.hpp: exercise 06.2, a sum of squares with vector registers and a horizontal add.
#pragma once

#include <span>

#include "wb/exercise.hpp"
#include "wb/isa.hpp"

namespace ch06 {
WB_IMPL_BEGIN

/// The sum over i of x[i]^2, on the instruction-set path `isa` (the caller checks wb::cpu_has(isa)).
/// Any summation order is allowed: the result is within n * 2^-53 (relative) of the exact sum.
double sum_squares(std::span<const double> x, wb::Isa isa);

WB_IMPL_END
}  // namespace ch06
