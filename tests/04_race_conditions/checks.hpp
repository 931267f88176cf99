// checks.hpp: pieces shared by the chapter 04 tests.
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "wb/catch.hpp"
#include "wb/testing.hpp"

namespace ch04_tests {

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

}  // namespace ch04_tests
