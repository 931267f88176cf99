// EXERCISE 05.6 Goal: fit Amdahl's law to measured speedups by least squares.
//
// Steps:
//   1. For each point write a = 1 - 1/p and b = 1/S - 1/p: Amdahl's law 1/S = f + (1 - f)/p becomes b = f a.
//   2. The least-squares f of b = f a is sum(a b) / sum(a a); reject input with sum(a a) == 0.
//   3. Clamp f to [0, 1] (noise can push it a little outside).
// Run `./wb grade 05` to check your work.
#include "ch05/amdahl.hpp"

#include <algorithm>
#include <stdexcept>

namespace ch05 {
WB_IMPL_BEGIN

double fit_serial_fraction(std::span<const ScalingPoint> points) {
    for (const auto& pt : points)
        if (!(pt.processors >= 1.0) || !(pt.speedup > 0.0))
            throw std::invalid_argument("fit_serial_fraction: need processors >= 1 and speedup > 0");
    // EXERCISE: accumulate sum(a * a) and sum(a * b) over the points (a and b as in step 1), throw
    // std::invalid_argument if sum(a * a) == 0, and return sum(a * b) / sum(a * a) clamped to [0, 1].
    // Hint: with a = 1 - 1/p, a point with p == 1 has a == 0 and adds nothing, as it should; std::clamp.
    WB_TODO("05.6");
}

WB_IMPL_END
}  // namespace ch05
