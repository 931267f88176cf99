// Tests of exercise 04.1: the counter made exact with a std::mutex, the work still in parallel.
#include "ch04/counter.hpp"
#include "checks.hpp"

TEST_CASE("04.1 the counter with a std::mutex is exact for every thread count", "[ch04][race]") {
    ch04_tests::check_exact_count(ch04::count_with_mutex);
}

TEST_CASE("04.1 the busy work runs in parallel; only the counting takes turns", "[ch04][race]") {
    ch04_tests::check_work_overlaps(ch04::count_with_mutex);
}
