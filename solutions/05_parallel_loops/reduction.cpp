// EXERCISE 05.4 Goal: compute a sum, a minimum and a maximum in one OpenMP loop with reduction clauses.
//
// Steps:
//   1. Give each result its own local variable, started at the identity of its operation.
//   2. Put an OpenMP parallel for with num_threads(threads) and one reduction clause per variable on the
//      loop over x.
// Run `./wb grade 05` to check your work.
#include "ch05/reduction.hpp"

#include <limits>
#include <stdexcept>

namespace ch05 {
WB_IMPL_BEGIN

Summary summarize(std::span<const double> x, int threads) {
    if (threads < 1) throw std::invalid_argument("summarize: threads < 1");
    const double inf = std::numeric_limits<double>::infinity();
    if (x.empty()) return {0.0, inf, -inf};
    const double* p = x.data();
    const std::ptrdiff_t n = static_cast<std::ptrdiff_t>(x.size());
    double sum = 0.0, lo = inf, hi = -inf;
    // Each thread gets private copies (0, +largest, -largest), works on its share of the loop, and
    // OpenMP combines the copies with the originals at the end.
#pragma omp parallel for num_threads(threads) reduction(+ : sum) reduction(min : lo) reduction(max : hi)
    for (std::ptrdiff_t i = 0; i < n; ++i) {
        sum += p[i];
        lo = p[i] < lo ? p[i] : lo;
        hi = p[i] > hi ? p[i] : hi;
    }
    return {sum, lo, hi};
}

WB_IMPL_END
}  // namespace ch05
