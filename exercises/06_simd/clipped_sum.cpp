// EXERCISE 06.1 Goal: make g++ (or clang) vectorize the loop of clipped_sum_squares, which it refuses
// to vectorize as given, without changing what the function computes.
//
// What the grade checks: the compiler's own vectorization report (-fopt-info-vec-optimized, or clang's
// optimization record) says that a loop between this file's WB_IMPL_BEGIN and WB_IMPL_END was
// vectorized; the sum is right (relative error at most n * 2^-53 against a long-double reference) for
// sizes 0 to 5000, caps inside and outside the data; a NaN anywhere still throws std::invalid_argument.
// The speed report times it against the reference (goal 0.7).
// Read first: chapters/06_simd/README.md, sections "Removing the blockers, one at a time" and
// "A loop to unblock".
// Stuck? `./wb hint 06.1` shows a hint, one stage per call.
#include "ch06/clipped_sum.hpp"

#include <cstddef>
#include <stdexcept>

namespace ch06 {
WB_IMPL_BEGIN

double clipped_sum_squares(std::span<const double> x, double cap) {
    const double* p = x.data();
    const std::size_t n = x.size();
    //! [blocked_loop]
    double sum = 0.0;
    // This loop is right, and the compiler will not vectorize it: its report says why.
    for (std::size_t i = 0; i < n; ++i) {
        if (p[i] != p[i]) throw std::invalid_argument("clipped_sum_squares: x holds a NaN");
        const double v = p[i] < cap ? p[i] : cap;
        sum += v * v;
    }
    //! [blocked_loop]
    // EXERCISE: change the loop above so that the report says it was vectorized, with the same result
    // (up to the order of the additions) and the same exception for a NaN; then delete the next line.
    WB_TODO("06.1");
    return sum;
}

WB_IMPL_END
}  // namespace ch06
