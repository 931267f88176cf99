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
    // EXERCISE: the seconds from std::chrono::steady_clock's origin to now, as a double: the clock that
    //           only moves forward, never the calendar clock.
    WB_TODO("00.1");
}

double cpu_seconds() {
    // EXERCISE: the CPU seconds used so far by all threads of this process together, to the nanosecond
    //           (a POSIX clock: which one counts the whole process and not only the calling thread?).
    WB_TODO("00.1");
}

Timing measure(const std::function<void()>& work, int runs, int warmup, const Clocks& clocks) {
    if (runs < 1) throw std::invalid_argument("measure: runs must be at least 1");
    if (warmup < 0) throw std::invalid_argument("measure: warmup must not be negative");
    Timing t;
    // EXERCISE: work() has run `warmup` times, untimed, and then `runs` times more; for each of these
    //           timed runs t.wall and t.cpu hold, in order, how far clocks.wall() and clocks.cpu() (the
    //           clocks passed in, not the real ones) advanced across that one call and nothing else.
    WB_TODO("00.1");
    // EXERCISE: t.wall_median, t.wall_min, t.wall_q1, t.wall_q3 and t.cpu_median summarise the runs as
    //           ch00::Timing documents them.
    WB_TODO("00.1");
    return t;
}

WB_IMPL_END
}  // namespace ch00
