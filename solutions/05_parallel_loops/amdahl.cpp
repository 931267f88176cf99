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
    double saa = 0.0, sab = 0.0;
    for (const auto& pt : points) {
        const double a = 1.0 - 1.0 / pt.processors;
        const double b = 1.0 / pt.speedup - 1.0 / pt.processors;
        saa += a * a;
        sab += a * b;
    }
    if (saa == 0.0) throw std::invalid_argument("fit_serial_fraction: no point with more than one processor");
    return std::clamp(sab / saa, 0.0, 1.0);
}

WB_IMPL_END
}  // namespace ch05
