// Tests of exercise 04.2: the counter made exact with a std::atomic.
#include "ch04/counter.hpp"
#include "checks.hpp"

TEST_CASE("04.2 the counter with a std::atomic is exact for every thread count", "[ch04][race]") {
    ch04_tests::check_exact_count(ch04::count_with_atomic);
}
