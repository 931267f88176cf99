// EXERCISE 00.3 Goal: the STREAM triad a[i] = b[i] + scalar * c[i], spread over the OpenMP threads.
//
// Steps:
//   1. Write the loop over every element.
//   2. Make it an OpenMP parallel loop with a static schedule (equal contiguous blocks per thread).
// Run `./wb grade 00` to check your work (the speed report compares it with the reference).
#include "ch00/triad.hpp"

#include <cstddef>
#include <stdexcept>

namespace ch00 {
WB_IMPL_BEGIN

void triad(std::span<double> a, std::span<const double> b, std::span<const double> c, double scalar) {
    if (b.size() != a.size() || c.size() != a.size())
        throw std::invalid_argument("triad: a, b and c must have the same size");
    const std::size_t n = a.size();
#pragma omp parallel for schedule(static)
    for (std::size_t i = 0; i < n; ++i) a[i] = b[i] + scalar * c[i];
}

WB_IMPL_END
}  // namespace ch00
