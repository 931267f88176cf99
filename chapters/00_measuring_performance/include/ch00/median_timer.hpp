// Exercise 00.1: a timing harness that reports the median of repeated runs, on two clocks.
#pragma once

#include <functional>
#include <vector>

#include "wb/exercise.hpp"

namespace ch00 {
WB_IMPL_BEGIN

/// Seconds on the monotonic wall clock (std::chrono::steady_clock) since an arbitrary origin.
/// Only the difference of two readings means something; the clock never jumps back.
double wall_seconds();

/// CPU seconds used so far by all threads of this process together (POSIX CLOCK_PROCESS_CPUTIME_ID).
/// A sleeping or waiting process does not advance it; two busy threads advance it twice as fast as the wall.
double cpu_seconds();

/// The clocks measure() reads. The defaults are the real ones; the tests pass fake clocks.
struct Clocks {
    std::function<double()> wall = &wall_seconds;
    std::function<double()> cpu = &cpu_seconds;
};

// [measure]
/// What measure() found: every timed run, and a summary of them.
struct Timing {
    std::vector<double> wall;  ///< wall seconds of each timed run, in the order they ran
    std::vector<double> cpu;   ///< CPU seconds of each timed run, same order
    double wall_median = 0;    ///< median of `wall` (wb::median)
    double wall_min = 0;       ///< the fastest run
    double wall_q1 = 0;        ///< lower quartile of `wall` (wb::quantile 0.25)
    double wall_q3 = 0;        ///< upper quartile of `wall` (wb::quantile 0.75): q3 - q1 is the noise
    double cpu_median = 0;     ///< median of `cpu`
};

/// Calls `work` `warmup` times untimed, then `runs` times, reading both clocks just before and just
/// after each timed call. Throws std::invalid_argument when runs < 1 or warmup < 0 (before calling work).
Timing measure(const std::function<void()>& work, int runs, int warmup = 1, const Clocks& clocks = {});
// [measure]

WB_IMPL_END
}  // namespace ch00
