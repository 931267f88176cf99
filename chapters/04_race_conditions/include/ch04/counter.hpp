// ch04/counter.hpp: exercises 04.1-04.3, one shared counter made exact three ways, the busy work that
// every counter of the chapter counts, and the probe through which the tests watch that work.
#pragma once

#include <atomic>
#include <cstdint>

#include "wb/exercise.hpp"

namespace ch04 {

/// Where a test hangs a probe: a pointer that stays null unless a test sets it (before it starts any
/// thread), alone on a 64-byte cache line so that reading it never slows the counters down.
template <class Probe>
struct alignas(64) ProbeHook {
    std::atomic<Probe*> probe{nullptr};
    Probe* get() const { return probe.load(std::memory_order_relaxed); }
};

/// A test's view of busy_work: every thread calls enter() when it starts the work and leave() when it
/// has done it. The tests implement it to count how many threads are inside the work at once, or to
/// hold threads there until others arrive, so that a lost update or a lock around the work shows.
struct WorkProbe {
    virtual void enter() = 0;
    virtual void leave() = 0;
    virtual ~WorkProbe() = default;
};

/// The probe busy_work reports to: null except in the tests.
inline ProbeHook<WorkProbe> work_probe;

// [busy_work] (a plain comment: Doxygen would take "//!" for the documentation of the next line)
/// The work a thread does before it counts one event: `steps` rounds of integer arithmetic (about a
/// nanosecond each). The empty `asm` statement hides `x` from the optimizer, so the arithmetic can be
/// neither removed nor computed ahead of time. Never inlined, so that every counter variant runs the
/// very same machine code for it (inlined copies can differ in speed just by where they land).
[[gnu::noinline]] inline std::uint64_t busy_work(std::uint64_t x, int steps) {
    WorkProbe* const probe = work_probe.get();  // null outside the tests: one load, one branch
    if (probe != nullptr) [[unlikely]]
        probe->enter();
    for (int i = 0; i < steps; ++i) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        asm volatile("" : "+r"(x));
    }
    if (probe != nullptr) [[unlikely]]
        probe->leave();
    return x;
}
// [busy_work]

WB_IMPL_BEGIN

/// 04.1: `threads` threads each run `per_thread` rounds of busy_work(i, work) and count one event per
/// round in a single shared counter guarded by a std::mutex. Returns the final count, which must be
/// exactly threads * per_thread. The busy work of different threads must be able to run at the same
/// time: only the counting takes turns.
std::int64_t count_with_mutex(int threads, std::int64_t per_thread, int work);

/// 04.2: as count_with_mutex, with the shared counter a std::atomic instead of a mutex.
std::int64_t count_with_atomic(int threads, std::int64_t per_thread, int work);

/// 04.3: as count_with_mutex, for a total that is read only after the threads are joined: nothing
/// shared is written while the threads count, and the threads' counts are combined after the join.
std::int64_t count_with_partial_sums(int threads, std::int64_t per_thread, int work);

WB_IMPL_END

}  // namespace ch04
