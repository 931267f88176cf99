// EXERCISE 05.4 Goal: the sum, the smallest and the largest element of x in one pass, shared among
// `threads` OpenMP threads, with no data race and no lock.
//
// What the grade checks: exact min and max, and a sum within the rounding-error bound of any summation
// order, for 1 to cores+2 threads (exact on integer-valued data); fewer elements than threads, one
// element, and an empty x ({0, +inf, -inf}); 0 or negative threads throw; with 2 or more threads, other
// threads than the caller do their share of the work (CPU time measured per thread, so a serial loop
// fails however fast it is). Checked under ThreadSanitizer too.
// Read first: chapters/05_parallel_loops/README.md, section "Reductions, and why the last digits change".
// Stuck? `./wb hint 05.4` shows a hint, one stage per call.
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
    // EXERCISE: one loop over p[0 .. n-1], its iterations shared by a team of `threads` OpenMP threads,
    // returning {sum, min, max}. Every thread must be able to add and compare without waiting for the
    // others, and nothing may be written by two threads at once.
    WB_TODO("05.4");
}

WB_IMPL_END
}  // namespace ch05
