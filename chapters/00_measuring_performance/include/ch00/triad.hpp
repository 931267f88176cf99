// Exercise 00.3: the STREAM triad, the kernel that measures memory bandwidth.
#pragma once

#include <span>

#include "wb/exercise.hpp"

namespace ch00 {
WB_IMPL_BEGIN

/// a[i] = b[i] + scalar * c[i] for every i, on the OpenMP threads (as many as omp_get_max_threads()
/// says, so callers choose with omp_set_num_threads). Throws std::invalid_argument unless the three
/// spans have the same size.
void triad(std::span<double> a, std::span<const double> b, std::span<const double> c, double scalar);

WB_IMPL_END
}  // namespace ch00
