// ch04/omp_sum.hpp: exercise 04.7, the parallel sum as an OpenMP loop.
#pragma once

#include <span>

#include "wb/exercise.hpp"

namespace ch04 {

WB_IMPL_BEGIN

/// 04.7: the sum of `x`, computed by one OpenMP parallel loop on `threads` threads. The result may
/// differ from a serial sum only by rounding (the additions happen in another order).
double omp_sum(std::span<const double> x, int threads);

WB_IMPL_END

}  // namespace ch04
