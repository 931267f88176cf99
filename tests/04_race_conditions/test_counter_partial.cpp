// Tests of exercise 04.3: the counter made exact with partial sums. What sets it apart from 04.1 and
// 04.2 is its speed when events come back to back: the speed report (ch04_perf) checks that.
#include "ch04/counter.hpp"
#include "checks.hpp"

TEST_CASE("04.3 the counter with partial sums is exact for every thread count", "[ch04][race]") {
    ch04_tests::check_exact_count(ch04::count_with_partial_sums);
}

TEST_CASE("04.3 the threads count at the same time", "[ch04][race]") {
    ch04_tests::check_work_overlaps(ch04::count_with_partial_sums);
}
