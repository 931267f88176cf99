// Tests of exercise 04.3: the counter made exact with partial sums.
#include "ch04/counter.hpp"
#include "checks.hpp"

TEST_CASE("04.3 the counter with partial sums is exact for every thread count", "[ch04][race]") {
    ch04_tests::check_exact_count(ch04::count_with_partial_sums);
}
