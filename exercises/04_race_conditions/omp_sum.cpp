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
    // EXERCISE: variables declared outside a parallel region are shared by all its threads, so
    // `total += p[i]` is a read-modify-write race, and additions are lost. Numba's prange spots this
    // pattern and makes it a reduction for you; OpenMP does what the pragma says, no more.
    // Hint: add reduction(+ : total) to the pragma. `#pragma omp atomic` on the addition would be
    // correct too, but makes every addition a contended atomic: far slower than the serial loop.
#pragma omp parallel for num_threads(threads)
    for (std::ptrdiff_t i = 0; i < n; ++i) total += p[i];
    // EXERCISE: delete this line once the loop is a reduction.
    // Hint: the test compares with a serial sum; `./wb grade 04` also wants ThreadSanitizer to find no
    // race.
    WB_TODO("04.7");
    return total;
}

WB_IMPL_END
}  // namespace ch04
