// EXERCISE 00.1 Goal: a timing harness that warms up, then reports the median of N runs on the wall
// clock and on the process's CPU clock.
//
// Steps:
//   1. wall_seconds(): read std::chrono::steady_clock and convert to seconds.
//   2. cpu_seconds(): read the CPU time of the whole process with clock_gettime.
//   3. measure(): run the untimed warm-up calls, then time each run on both clocks.
//   4. measure(): summarise the runs (median, fastest, quartiles).
// Run `./wb grade 00` to check your work.
#include "ch00/median_timer.hpp"

#include <chrono>
#include <ctime>
#include <stdexcept>

#include "wb/stats.hpp"

namespace ch00 {
WB_IMPL_BEGIN

double wall_seconds() {
    const auto since_origin = std::chrono::steady_clock::now().time_since_epoch();
    return std::chrono::duration<double>(since_origin).count();
}

double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

Timing measure(const std::function<void()>& work, int runs, int warmup, const Clocks& clocks) {
    if (runs < 1) throw std::invalid_argument("measure: runs must be at least 1");
    if (warmup < 0) throw std::invalid_argument("measure: warmup must not be negative");
    Timing t;
    for (int i = 0; i < warmup; ++i) work();
    t.wall.reserve(static_cast<std::size_t>(runs));
    t.cpu.reserve(static_cast<std::size_t>(runs));
    for (int i = 0; i < runs; ++i) {
        const double cpu0 = clocks.cpu();
        const double wall0 = clocks.wall();
        work();
        const double wall1 = clocks.wall();
        const double cpu1 = clocks.cpu();
        t.wall.push_back(wall1 - wall0);
        t.cpu.push_back(cpu1 - cpu0);
    }
    t.wall_median = wb::median(t.wall);
    t.wall_min = wb::quantile(t.wall, 0.0);
    t.wall_q1 = wb::quantile(t.wall, 0.25);
    t.wall_q3 = wb::quantile(t.wall, 0.75);
    t.cpu_median = wb::median(t.cpu);
    return t;
}

WB_IMPL_END
}  // namespace ch00
