// Tests of exercise 01.1: run_thread_workers.
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>

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
        const std::vector<double> r = ch01::run_thread_workers(n, slice_sum);
        REQUIRE(r.size() == static_cast<std::size_t>(n));
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
        std::mutex m;
        std::set<std::thread::id> ids;
        // Each worker waits until all n have arrived, which only happens if they all run at once.
        // The wait is bounded (2 s) so that a version running them one by one fails instead of hanging.
        const auto work = [&](int) {
            {
                std::lock_guard lock(m);
                ids.insert(std::this_thread::get_id());
            }
            arrived.fetch_add(1);
            const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
            while (arrived.load() < n && std::chrono::steady_clock::now() < deadline)
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            return arrived.load() == n ? 1.0 : 0.0;
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
