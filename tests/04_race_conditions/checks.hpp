// checks.hpp: pieces shared by the chapter 04 tests.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>
#include <utility>
#include <vector>

#include "ch04/counter.hpp"
#include "wb/catch.hpp"
#include "wb/sanitizers.hpp"
#include "wb/testing.hpp"

namespace ch04_tests {

/// True in a ThreadSanitizer build, where every memory access costs tens of times more: the long
/// back-to-back runs, which look for lost updates rather than for races, are cut short there.
inline constexpr bool under_tsan = wb::under_tsan;

/// wb::testing::thread_counts(), largest first. An untouched race exercise runs its racy starting
/// code and only then throws NOT STARTED, which ends the test case: starting with several threads
/// makes sure the race has happened by then, so the ThreadSanitizer grading run reports it.
inline std::vector<int> thread_counts_largest_first() {
    std::vector<int> counts = wb::testing::thread_counts();
    std::reverse(counts.begin(), counts.end());
    return counts;
}

/// Runs `count(threads, per_thread, work)` for every thread count and requires the exact total.
/// The first run is short on purpose: ThreadSanitizer (clang 14) often stays silent about a race in a
/// loop of 50000 or more racy rounds per thread, while it reports one of 20000 rounds every time
/// (measured on 2 busy cores), and an untouched stub never gets past its first run. With work = 0 the
/// threads hit the counter back to back, which exposes a fix that still loses updates (for example a
/// separate atomic load and store); with work = 30 they also run in parallel between increments.
template <class Count>
void check_exact_count(Count count) {
    const std::pair<std::int64_t, int> runs[] = {{2000, 30}, {100000, 0}, {20000, 30}};
    for (int threads : thread_counts_largest_first()) {
        for (const auto& [per_thread, work] : runs) {
            INFO(threads << " threads, " << per_thread << " events each, " << work << " work steps");
            REQUIRE(count(threads, per_thread, work) == threads * per_thread);
        }
    }
    INFO("no events at all");
    REQUIRE(count(2, 0, 30) == 0);
}

using Clock = std::chrono::steady_clock;

/// Installs `probe` in busy_work while alive.
class Watching {
public:
    explicit Watching(ch04::WorkProbe& probe) { ch04::work_probe.probe.store(&probe); }
    ~Watching() { ch04::work_probe.probe.store(nullptr); }
    Watching(const Watching&) = delete;
    Watching& operator=(const Watching&) = delete;
};

/// Counts the threads inside busy_work, and the most there ever were at once. Until two threads have
/// been inside together, a thread alone there waits (yielding) for a second one, for at most two
/// seconds in all: far longer than any thread needs to start, even under ThreadSanitizer on a busy
/// machine, and paid only by code that never lets a second thread in. So code that lets two threads
/// work at the same time shows 2 or more whatever the scheduler does, and code that admits one thread
/// at a time (a lock around the work, a serial loop) shows 1. Once two have met, it stops counting:
/// the answer is known, and the threads then run at full speed.
class MeetInsideWork final : public ch04::WorkProbe {
public:
    void enter() override {
        if (met_.load(std::memory_order_relaxed)) return;
        const int now = inside_.fetch_add(1) + 1;
        int most = most_.load();
        while (now > most && !most_.compare_exchange_weak(most, now)) {
        }
        if (now >= 2) met_.store(true);
        while (!met_.load() && Clock::now() < give_up_) std::this_thread::yield();
    }
    void leave() override {
        if (!met_.load(std::memory_order_relaxed)) inside_.fetch_sub(1);
    }
    int most_inside() const { return most_.load(); }

private:
    std::atomic<bool> met_{false};
    std::atomic<int> inside_{0};
    std::atomic<int> most_{0};
    const Clock::time_point give_up_ = Clock::now() + std::chrono::seconds(2);
};

/// For 2 or more threads: the busy work of two threads overlaps at least once, and the count is still
/// exact when it does. MeetInsideWork holds the first thread inside busy_work until a second one comes
/// in, so a fix that reads the counter before the work and writes it back after loses an update here
/// for certain, and a lock held around the work (or the whole loop), or a serial loop, never lets a
/// second thread in.
template <class Count>
void check_work_overlaps(Count count) {
    for (int threads : thread_counts_largest_first()) {
        if (threads < 2) continue;
        const std::int64_t per_thread = 200;
        MeetInsideWork probe;
        const Watching watching(probe);
        INFO(threads << " threads, " << per_thread << " events each, 200 work steps, the first two held to meet");
        REQUIRE(count(threads, per_thread, 200) == threads * per_thread);
        INFO("most threads inside busy_work at once: " << probe.most_inside()
             << ". The busy work must run in several threads at the same time; only the counting may take "
                "turns (is the work, or the whole loop, inside the locked region?)");
        REQUIRE(probe.most_inside() >= 2);
    }
}

/// For 2 or more threads: 2^20 increments per thread with no work between them, the threads started
/// together (they meet inside their first busy_work call). Increments made of a separate read and
/// write collide by the thousand whenever two of the threads run at the same moment, but on a busy
/// machine two threads can wait for cores in turn and never run together. So the run is repeated
/// until the threads have provably run side by side for 10 ms in all (the process's CPU time beyond
/// the wall time: the caller only waits in join), or 12 times. Under ThreadSanitizer, one short run.
template <class Count>
void check_back_to_back(Count count) {
    for (int threads : thread_counts_largest_first()) {
        if (threads < 2) continue;
        const std::int64_t per_thread = std::int64_t{1} << (under_tsan ? 14 : 20);
        double side_by_side = 0.0;
        for (int rep = 0; rep < (under_tsan ? 1 : 12) && side_by_side < 0.010; ++rep) {
            MeetInsideWork probe;
            const Watching watching(probe);
            std::int64_t got = 0;
            const wb::testing::WorkSpread spread =
                wb::testing::measure_spread([&] { got = count(threads, per_thread, 0); });
            side_by_side += std::max(0.0, spread.cpu_seconds - spread.wall_seconds);
            INFO(threads << " threads, " << per_thread << " events each, no work between them, started together "
                         << "(run " << rep + 1 << ")");
            REQUIRE(got == threads * per_thread);
        }
    }
}

}  // namespace ch04_tests
