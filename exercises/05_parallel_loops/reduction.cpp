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
    // EXERCISE: sum, lo and hi over p[0 .. n-1] in one loop under
    // #pragma omp parallel for num_threads(threads) with reduction clauses, and return {sum, lo, hi}.
    // Hint: reduction(+ : sum) reduction(min : lo) reduction(max : hi); start lo at +inf and hi at -inf.
    // Without the clauses the threads race on the shared variables and the result is garbage.
    WB_TODO("05.4");
}

WB_IMPL_END
}  // namespace ch05
