// Tests of exercise 01.1: run_thread_workers.
#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "ch01/thread_workers.hpp"
#include "wb/catch.hpp"
#include "wb/testing.hpp"

namespace {

// Worker i's share of a series: the sum of 1/k^2 over k in (1000 i, 1000 (i+1)].
double slice_sum(int i) {
    double s = 0.0;
    for (int k = 1000 * i + 1; k <= 1000 * (i + 1); ++k) s += 1.0 / (static_cast<double>(k) * k);
    return s;
}

}  // namespace

TEST_CASE("01.1 every worker's result lands in its own slot, in order") {
    for (int n : wb::testing::thread_counts()) {
        INFO("workers: " << n);
        // Which i each call of work was given: each must come exactly once (a thread that reads a
        // shared loop counter instead of its own copy may see a later value).
        std::vector<std::atomic<int>> calls(static_cast<std::size_t>(n) + 2);
        const auto work = [&](int i) {
            if (i >= 0 && i < n + 2) calls[static_cast<std::size_t>(i)].fetch_add(1);
            return slice_sum(i);
        };
        const std::vector<double> r = ch01::run_thread_workers(n, work);
        REQUIRE(r.size() == static_cast<std::size_t>(n));
        for (int i = 0; i < n + 2; ++i) {
            INFO("work(" << i << ") was called " << calls[static_cast<std::size_t>(i)].load() << " times");
            REQUIRE(calls[static_cast<std::size_t>(i)].load() == (i < n ? 1 : 0));
        }
        // Exact comparison: the same function on the same input, in the same order of additions,
        // gives the same bits on any thread.
        for (int i = 0; i < n; ++i) REQUIRE(r[static_cast<std::size_t>(i)] == slice_sum(i));
    }
}

TEST_CASE("01.1 zero workers give an empty result; a negative count is an error") {
    REQUIRE(ch01::run_thread_workers(0, slice_sum).empty());
    REQUIRE_THROWS_AS(ch01::run_thread_workers(-1, slice_sum), std::invalid_argument);
}

TEST_CASE("01.1 the workers run at the same time, each on a thread of its own") {
    const auto main_id = std::this_thread::get_id();
    for (int n : wb::testing::thread_counts()) {
        INFO("workers: " << n);
        std::atomic<int> arrived{0};
        std::atomic<bool> gave_up{false};
        std::mutex m;
        std::set<std::thread::id> ids;
        // Each worker waits until all n have arrived, which only happens if they all run at once.
        // The wait is bounded (2 s) so that a version running them one by one fails instead of hanging;
        // the first to give up tells the others, so that it fails after 2 s, not after 2 s per worker.
        const auto work = [&](int) {
            {
                std::lock_guard lock(m);
                ids.insert(std::this_thread::get_id());
            }
            arrived.fetch_add(1);
            const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
            while (arrived.load() < n && !gave_up.load() && std::chrono::steady_clock::now() < deadline)
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            if (arrived.load() == n) return 1.0;
            gave_up = true;
            return 0.0;
        };
        const std::vector<double> r = ch01::run_thread_workers(n, work);
        REQUIRE(r.size() == static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) {
            INFO("worker " << i << " gave up waiting for the others: were the threads joined one by one?");
            REQUIRE(r[static_cast<std::size_t>(i)] == 1.0);
        }
        REQUIRE(ids.size() == static_cast<std::size_t>(n));
        REQUIRE(ids.count(main_id) == 0);
    }
}

TEST_CASE("01.1 a worker's exception reaches the caller after every thread has finished") {
    for (int n : wb::testing::thread_counts()) {
        if (n < 2) continue;
        INFO("workers: " << n);
        std::atomic<int> finished{0};
        const auto work = [&](int i) -> double {
            if (i % 2 == 1) throw std::runtime_error("worker " + std::to_string(i) + " failed");
            std::this_thread::sleep_for(std::chrono::milliseconds(5));  // still busy when the others throw
            finished.fetch_add(1);
            return i;
        };
        // Workers 1, 3, ... throw; the caller sees the lowest one's exception.
        REQUIRE_THROWS_WITH(ch01::run_thread_workers(n, work), "worker 1 failed");
        REQUIRE(finished.load() == (n + 1) / 2);  // every other worker ran to its end: all were joined
    }
}

TEST_CASE("01.1 run_thread_workers returns only when every worker has returned") {
    for (int n : wb::testing::thread_counts()) {
        INFO("workers: " << n);
        // Every worker waits at a gate that this test opens only once run_thread_workers has returned,
        // or gives up after 0.5 s. A correct version waits for the workers, so they all give up before
        // it returns (0.5 s per thread count). A version that returns while its threads still run (it
        // detached them) returns before any worker has returned: the count is read at once, long before
        // 0.5 s are over.
        std::atomic<bool> gate{false};
        std::atomic<int> returned{0};
        const std::function<double(int)> work = [&](int i) {
            const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
            while (!gate.load() && std::chrono::steady_clock::now() < deadline)
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            returned.fetch_add(1);
            return static_cast<double>(i);
        };
        std::vector<double> r = ch01::run_thread_workers(n, work);
        const int returned_before = returned.load();
        gate = true;
        // A wrong version's threads still use `work`, `gate` and `returned`: let them finish first.
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (returned.load() < n && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        std::this_thread::sleep_for(std::chrono::milliseconds(returned_before == n ? 0 : 50));
        INFO(returned_before << " of " << n << " workers had returned when run_thread_workers returned: were the "
             "threads detached instead of joined?");
        REQUIRE(returned_before == n);
        REQUIRE(r.size() == static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) REQUIRE(r[static_cast<std::size_t>(i)] == i);
    }
}
