// ch05/amdahl.hpp: exercise 05.6, fitting Amdahl's law to measured speedups.
#pragma once

#include <span>

#include "wb/exercise.hpp"

namespace ch05 {

/// One measurement: the speedup T(1) / T(p) reached with `processors` cores working.
struct ScalingPoint {
    double processors = 1.0;
    double speedup = 1.0;
};

/// Amdahl's law: the speedup on p processors of a program whose serial part takes the fraction f of
/// its one-processor time.
inline double amdahl_speedup(double f, double p) { return 1.0 / (f + (1.0 - f) / p); }

WB_IMPL_BEGIN

/// The serial fraction f that fits the points best in the least-squares sense on the normalised time
/// 1/S = f + (1 - f)/p, which is linear in f; clamped to [0, 1]. Throws std::invalid_argument when no
/// point has processors > 1 (a one-processor point says nothing about f) or a point has processors < 1
/// or speedup <= 0.
double fit_serial_fraction(std::span<const ScalingPoint> points);

WB_IMPL_END

}  // namespace ch05
