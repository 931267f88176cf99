// Tests of exercise 04.4: per-thread counters on cache lines of their own. Padding changes the speed,
// not the counts, so this checks the counts; `ch04_perf` (run by ./wb grade) checks the speed.
#include <cstdint>
#include <vector>

#include "ch04/padded_counters.hpp"
#include "checks.hpp"
#include "wb/catch.hpp"

TEST_CASE("04.4 every thread's slot holds exactly its own count", "[ch04]") {
    constexpr std::int64_t per_thread = 50000;
    for (int threads : ch04_tests::thread_counts_largest_first()) {
        for (int work : {0, 30}) {
            INFO(threads << " threads, " << work << " work steps");
            const std::vector<std::uint64_t> expected(static_cast<std::size_t>(threads), per_thread);
            REQUIRE(ch04::count_in_own_slots(threads, per_thread, work) == expected);
        }
    }
}

TEST_CASE("04.4 no events leave every slot at zero", "[ch04]") {
    REQUIRE(ch04::count_in_own_slots(3, 0, 30) == std::vector<std::uint64_t>(3, 0));
}
