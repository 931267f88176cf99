// EXERCISE 05.6 Goal: estimate a program's serial fraction f from its measured speedups, by fitting
// Amdahl's law to them by least squares, so that the program can say how far more cores could take it.
//
// What the grade checks: speedups computed from Amdahl's law give back their f (within 1e-12) for f from
// 0 to 1; a small noisy set gives the least-squares value worked by hand in the test (within 1e-12);
// the result is clamped to [0, 1]; no point with more than one processor, a point with processors < 1
// or speedup <= 0 throw std::invalid_argument.
// Read first: chapters/05_parallel_loops/README.md, section "How far can it scale? Amdahl's law".
// Stuck? `./wb hint 05.6` shows a hint, one stage per call.
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
