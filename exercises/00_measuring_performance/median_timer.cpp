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
    // EXERCISE: return the time of std::chrono::steady_clock::now() in seconds, as a double.
    // Hint: now().time_since_epoch() is a duration; std::chrono::duration<double>(d).count() gives
    //       its length in seconds. Not system_clock: it jumps when the machine sets its time.
    WB_TODO("00.1");
}

double cpu_seconds() {
    // EXERCISE: return the CPU seconds used so far by every thread of this process.
    // Hint: timespec ts{}; clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); then tv_sec + 1e-9 * tv_nsec.
    //       (CLOCK_THREAD_CPUTIME_ID would count the calling thread only.)
    WB_TODO("00.1");
}

Timing measure(const std::function<void()>& work, int runs, int warmup, const Clocks& clocks) {
    if (runs < 1) throw std::invalid_argument("measure: runs must be at least 1");
    if (warmup < 0) throw std::invalid_argument("measure: warmup must not be negative");
    Timing t;
    // EXERCISE: call work() `warmup` times without timing it. Then call it `runs` times; around each
    //           call read clocks.cpu() and clocks.wall() (never the real clocks directly) and push
    //           the two differences onto t.wall and t.cpu.
    // Hint: read the clocks immediately before and after work(), with nothing else in between: what
    //       lies between the two readings is what you measure.
    WB_TODO("00.1");
    // EXERCISE: fill in t.wall_median, t.wall_min, t.wall_q1, t.wall_q3 and t.cpu_median.
    // Hint: wb::median(v) and wb::quantile(v, q) from wb/stats.hpp (quantile 0 is the minimum).
    WB_TODO("00.1");
    return t;
}

WB_IMPL_END
}  // namespace ch00
