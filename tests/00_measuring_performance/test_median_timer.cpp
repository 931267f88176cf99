// Tests of exercise 00.1 (median_timer). The harness is checked with fake clocks that move only when
// the fake work runs, so every expected time is known exactly; the real clocks are checked for what
// they count (which clock), never for how fast anything runs.
#include <atomic>
#include <chrono>
#include <ctime>
#include <stdexcept>
#include <thread>
#include <vector>

#include "ch00/median_timer.hpp"
#include "wb/catch.hpp"

namespace {

// Fake wall and CPU clocks. Each call of work() advances them by the next pair of step lengths.
// Step lengths are multiples of 1/64 s and the origins are whole numbers, so every reading and every
// difference of two readings is exact in double: the tests compare with ==.
struct FakeMachine {
    double wall = 1000.0;  // arbitrary origins: only differences mean something
    double cpu = 7.0;
    std::vector<double> wall_steps, cpu_steps;
    std::size_t calls = 0;

    FakeMachine(std::vector<double> w, std::vector<double> c) : wall_steps(std::move(w)), cpu_steps(std::move(c)) {}

    ch00::Clocks clocks() {
        return {[this] { return wall; }, [this] { return cpu; }};
    }
    std::function<void()> work() {
        return [this] {
            wall += wall_steps.at(calls) / 64.0;
            cpu += cpu_steps.at(calls) / 64.0;
            ++calls;
        };
    }
};

std::vector<double> in_64ths(std::vector<double> v) {
    for (double& x : v) x /= 64.0;
    return v;
}

}  // namespace

TEST_CASE("warm-up calls run but are not timed") {
    FakeMachine m({40, 30, 3, 1, 2}, {40, 30, 3, 1, 2});
    const ch00::Timing t = ch00::measure(m.work(), 3, 2, m.clocks());
    REQUIRE(m.calls == 5);
    REQUIRE(t.wall == in_64ths({3, 1, 2}));
    REQUIRE(t.cpu == in_64ths({3, 1, 2}));
    REQUIRE(t.wall_median == 2.0 / 64);
    REQUIRE(t.wall_min == 1.0 / 64);
}

TEST_CASE("no warm-up: every call is timed, in order") {
    FakeMachine m({5, 9, 1, 4, 8, 2, 7}, {1, 1, 1, 1, 1, 1, 1});
    const ch00::Timing t = ch00::measure(m.work(), 7, 0, m.clocks());
    REQUIRE(m.calls == 7);
    REQUIRE(t.wall == in_64ths({5, 9, 1, 4, 8, 2, 7}));
    REQUIRE(t.wall_median == 5.0 / 64);
    REQUIRE(t.wall_min == 1.0 / 64);
    // wb::quantile interpolates: sorted 1 2 4 5 7 8 9, q = 0.25 sits at position 1.5 -> 3, q = 0.75 at 4.5 -> 7.5
    REQUIRE(t.wall_q1 == 3.0 / 64);
    REQUIRE(t.wall_q3 == 7.5 / 64);
    REQUIRE(t.cpu_median == 1.0 / 64);
}

TEST_CASE("the median of an even number of runs lies halfway between the middle two") {
    FakeMachine m({4, 1, 3, 2}, {0, 0, 0, 0});
    const ch00::Timing t = ch00::measure(m.work(), 4, 0, m.clocks());
    REQUIRE(t.wall_median == 2.5 / 64);
    REQUIRE(t.wall_q1 == 1.75 / 64);  // position 0.75 between 1 and 2
    REQUIRE(t.wall_q3 == 3.25 / 64);  // position 2.25 between 3 and 4
}

TEST_CASE("one slow run moves the mean but not the median") {
    FakeMachine m({2, 2, 2, 640, 2}, {2, 2, 2, 2, 2});  // the 4th run was interrupted
    const ch00::Timing t = ch00::measure(m.work(), 5, 0, m.clocks());
    REQUIRE(t.wall_median == 2.0 / 64);
    REQUIRE(t.wall_q3 == 2.0 / 64);
}

TEST_CASE("wall and CPU time are measured separately") {
    SECTION("waiting: wall time passes, no CPU time") {
        FakeMachine m({16, 16, 16}, {0, 0, 0});
        const ch00::Timing t = ch00::measure(m.work(), 3, 0, m.clocks());
        REQUIRE(t.wall_median == 16.0 / 64);
        REQUIRE(t.cpu_median == 0.0);
    }
    SECTION("two busy threads: twice as much CPU time as wall time") {
        FakeMachine m({8, 8, 8}, {16, 16, 16});
        const ch00::Timing t = ch00::measure(m.work(), 3, 0, m.clocks());
        REQUIRE(t.wall_median == 8.0 / 64);
        REQUIRE(t.cpu_median == 16.0 / 64);
    }
}

TEST_CASE("bad arguments are refused before any work runs") {
    FakeMachine m({1}, {1});
    REQUIRE_THROWS_AS(ch00::measure(m.work(), 0, 0, m.clocks()), std::invalid_argument);
    REQUIRE_THROWS_AS(ch00::measure(m.work(), 3, -1, m.clocks()), std::invalid_argument);
    REQUIRE(m.calls == 0);
}

TEST_CASE("the default clocks are the real ones") {
    int calls = 0;
    const ch00::Timing t = ch00::measure([&] { ++calls; }, 3);  // warmup 1 by default
    REQUIRE(calls == 4);
    REQUIRE(t.wall.size() == 3);
    REQUIRE(t.cpu.size() == 3);
    for (double w : t.wall) REQUIRE(w >= 0.0);
    for (double c : t.cpu) REQUIRE(c >= 0.0);
}

TEST_CASE("wall_seconds reads std::chrono::steady_clock, in seconds") {
    // Bracketed by two readings of steady_clock itself: any other clock (the calendar clock
    // system_clock, or high_resolution_clock, which is system_clock in libstdc++) or another unit
    // (nanoseconds as a double) lands far outside. No time is asserted, only which clock and unit.
    auto steady = [] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
    };
    for (int i = 0; i < 3; ++i) {
        const double before = steady();
        const double w = ch00::wall_seconds();
        const double after = steady();
        REQUIRE(w >= before);
        REQUIRE(w <= after);
    }
}

TEST_CASE("wall_seconds is a steady clock that runs while the program sleeps") {
    const double w0 = ch00::wall_seconds();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const double w1 = ch00::wall_seconds();
    // sleep_for waits at least the time asked, measured on the steady clock; 1 ms margin for rounding.
    REQUIRE(w1 - w0 >= 0.019);
}

TEST_CASE("cpu_seconds does not count time spent sleeping") {
    const double c0 = ch00::cpu_seconds();
    const double w0 = ch00::wall_seconds();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const double c1 = ch00::cpu_seconds();
    const double w1 = ch00::wall_seconds();
    // Going to sleep and waking up costs microseconds of CPU; a wall clock would show 100 ms.
    // The margin (half the wall time) only tells the two kinds of clock apart.
    REQUIRE(c1 >= c0);
    REQUIRE(c1 - c0 < 0.5 * (w1 - w0));
}

TEST_CASE("cpu_seconds counts the CPU time of every thread, not just the caller's") {
    // Another thread keeps a core busy until its own CPU clock shows 50 ms (or 20 s of wall time
    // passed, on a machine too loaded to give it that), while this thread only waits for it.
    auto thread_cpu = [] {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
    };
    std::atomic<double> used{0.0};
    const double c0 = ch00::cpu_seconds();
    std::thread busy([&] {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        const double start = thread_cpu();
        while (thread_cpu() - start < 0.05 && std::chrono::steady_clock::now() < deadline) {
        }
        used = thread_cpu() - start;
    });
    busy.join();
    const double c1 = ch00::cpu_seconds();
    REQUIRE(used.load() >= 0.05);  // else the machine starved the thread: the check below would say nothing
    // The process clock includes the other thread's CPU time; the caller's own clock would be near 0.
    // 1 ms margin for the two clocks' bookkeeping.
    REQUIRE(c1 - c0 >= used.load() - 0.001);
}
