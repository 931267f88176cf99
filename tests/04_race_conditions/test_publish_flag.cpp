// Tests of exercise 04.5: a block published through a flag. On x86 a relaxed flag usually passes
// these checks too; the ThreadSanitizer run of `./wb grade 04` is what catches it.
#include <cstddef>
#include <vector>

#include "ch04/publish_flag.hpp"
#include "checks.hpp"
#include "wb/catch.hpp"

namespace {

double expected_sum(std::size_t n) {
    double s = 0.0;
    for (std::size_t i = 0; i < n; ++i) s += ch04::published_value(i);
    return s;
}

}  // namespace

TEST_CASE("04.5 every reader sees the whole published block", "[ch04][race]") {
    constexpr std::size_t n = 20000;
    // The values are small integers and the sum stays far below 2^53, so every partial sum is an
    // exact integer: the readers' sums must equal the expected one exactly.
    const double expected = expected_sum(n);
    for (int readers : ch04_tests::thread_counts_largest_first()) {
        for (int round = 0; round < 20; ++round) {  // repeated: a missed publication is a matter of timing
            INFO(readers << " readers, round " << round);
            const std::vector<double> sums = ch04::publish_and_read(n, readers);
            REQUIRE(sums == std::vector<double>(static_cast<std::size_t>(readers), expected));
        }
    }
}

TEST_CASE("04.5 an empty block is published too", "[ch04][race]") {
    REQUIRE(ch04::publish_and_read(0, 2) == std::vector<double>{0.0, 0.0});
}
