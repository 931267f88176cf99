// EXERCISE 00.1 Goal: a timing harness that runs the work a few times untimed, then times every run on
// two clocks, the wall clock and the process's CPU clock, and summarises the runs by their median and
// quartiles: numbers that one interrupted run cannot move.
//
// What the grade checks: the tests drive measure() with fake clocks that advance by known amounts, so
// every figure is checked exactly: which calls were timed (never the warm-up), each run's own time, in
// order, the median (not the mean), the fastest run and the quartiles, wall and CPU time apart. The
// real clocks are checked for what they count: wall_seconds() is std::chrono::steady_clock itself, and
// cpu_seconds() counts every thread of the process and no time spent asleep. No speed goal.
// Read first: chapters/00_measuring_performance/README.md, sections "Two clocks" and "Noise: repeat, and
// take the median".
// Stuck? `./wb hint 00.1` shows a hint, one stage per call.
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
