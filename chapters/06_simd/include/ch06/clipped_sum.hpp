// ch06/clipped_sum.hpp: exercise 06.1, unblocking a loop that the compiler refuses to vectorize.
#pragma once

#include <span>

#include "wb/exercise.hpp"

namespace ch06 {
WB_IMPL_BEGIN

/// The sum over i of min(x[i], cap)^2 (an energy with every sample clipped at `cap`). Throws
/// std::invalid_argument if some x[i] is NaN. The summation order is free: the result may differ from
/// the loop in index order in its last bits.
double clipped_sum_squares(std::span<const double> x, double cap);

WB_IMPL_END
}  // namespace ch06
