// Tests of exercise 04.2: the counter made exact with a std::atomic.
#include "ch04/counter.hpp"
#include "checks.hpp"

TEST_CASE("04.2 the counter with a std::atomic is exact for every thread count", "[ch04][race]") {
    ch04_tests::check_exact_count(ch04::count_with_atomic);
}

TEST_CASE("04.2 no update is lost when two threads work at the same moment", "[ch04][race]") {
    ch04_tests::check_work_overlaps(ch04::count_with_atomic);
}

TEST_CASE("04.2 no update is lost when the threads increment back to back", "[ch04][race]") {
    ch04_tests::check_back_to_back(ch04::count_with_atomic);
}
