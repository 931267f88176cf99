// EXERCISE 04.7 Goal: turn the racy OpenMP sum into a correct one with a reduction clause.
//
// Steps:
//   1. Run the test once as it is: the loop runs, but every thread adds into the one shared `total`.
//   2. Add reduction(+ : total) to the pragma: each thread then sums into a private copy, and OpenMP
//      adds the copies into `total` at the end of the loop.
//   3. Delete the WB_TODO line and run the test again.
// Run `./wb grade 04` to check your work (it also runs this exercise under ThreadSanitizer).
#include "ch04/omp_sum.hpp"

#include <cstddef>

namespace ch04 {
WB_IMPL_BEGIN

double omp_sum(std::span<const double> x, int threads) {
    const double* p = x.data();
    const auto n = static_cast<std::ptrdiff_t>(x.size());
    double total = 0.0;
    //! [reduction]
#pragma omp parallel for num_threads(threads) reduction(+ : total)
    for (std::ptrdiff_t i = 0; i < n; ++i) total += p[i];
    //! [reduction]
    return total;
}

WB_IMPL_END
}  // namespace ch04
