// counter_checks.hpp: the check shared by the three counter tests (04.1-04.3).
#pragma once

#include <cstdint>
#include <utility>

#include "wb/catch.hpp"
#include "wb/testing.hpp"

namespace ch04_tests {

/// Runs `count(threads, per_thread, work)` for every thread count and requires the exact total.
/// With work = 0 the threads hit the counter back to back, which exposes a fix that still loses
/// updates (for example a separate atomic load and store); with work = 30 they also run in parallel
/// between increments. Sizes stay small because ThreadSanitizer makes every access 5-15x slower.
template <class Count>
void check_exact_count(Count count) {
    for (int threads : wb::testing::thread_counts()) {
        for (const auto& [per_thread, work] : {std::pair<std::int64_t, int>{100000, 0}, {20000, 30}}) {
            INFO(threads << " threads, " << per_thread << " events each, " << work << " work steps");
            REQUIRE(count(threads, per_thread, work) == threads * per_thread);
        }
    }
    INFO("no events at all");
    REQUIRE(count(2, 0, 30) == 0);
}

}  // namespace ch04_tests
