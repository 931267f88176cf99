// Tests of exercise 05.5: the blocked sum gives the same bits for every thread count, and threads other
// than the caller do their share of it.
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include "ch05/reproducible_sum.hpp"
#include "work_spread.hpp"
#include "wb/catch.hpp"
#include "wb/testing.hpp"

namespace {
// The definition of the result, computed serially: block sums in block order.
double blocked_reference(const std::vector<double>& x) {
    double total = 0.0;
    for (std::size_t b = 0; b < x.size(); b += ch05::kSumBlock) {
        const std::size_t len = std::min(ch05::kSumBlock, x.size() - b);
        total += ch05::block_sum(x.data() + b, len);
    }
    return total;
}

std::vector<double> awkward_data(std::size_t n, std::uint64_t seed) {
    // Mixed signs and magnitudes: the rounding of a sum then depends strongly on the order.
    std::vector<double> x(n);
    std::mt19937_64 gen(seed);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    for (auto& v : x) v = u(gen) * std::exp(10.0 * u(gen));
    return x;
}

std::uint64_t bits(double v) { return std::bit_cast<std::uint64_t>(v); }
}  // namespace

TEST_CASE("05.5 the same bits for every thread count, equal to the serial blocked sum") {
    // Sizes around block boundaries: less than one block, exactly one, one more, many plus a tail.
    for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{5}, ch05::kSumBlock - 1, ch05::kSumBlock,
                          ch05::kSumBlock + 1, 37 * ch05::kSumBlock + 123}) {
        const std::vector<double> x = awkward_data(n, 100 + n);
        const double expected = blocked_reference(x);
        for (int threads : wb::testing::thread_counts()) {
            INFO("n = " << n << ", threads = " << threads);
            REQUIRE(bits(ch05::reproducible_sum(x, threads)) == bits(expected));
        }
    }
}

TEST_CASE("05.5 repeated calls give the same bits") {
    const std::vector<double> x = awkward_data(20 * ch05::kSumBlock + 7, 9);
    const double first = ch05::reproducible_sum(x, 2);
    for (int i = 0; i < 5; ++i) REQUIRE(bits(ch05::reproducible_sum(x, 1 + i % 3)) == bits(first));
}

TEST_CASE("05.5 the blocked sum is an accurate sum") {
    // Any summation order errs by at most (n - 1) * eps * sum(|x_i|); compare with the exact sum of
    // values chosen so that every partial sum is exact (multiples of 1/8 well below 2^50).
    std::vector<double> x(50000);
    std::mt19937_64 gen(3);
    std::uniform_int_distribution<int> d(-80000, 80000);
    double exact = 0.0;
    for (auto& v : x) {
        v = d(gen) / 8.0;
        exact += v;  // exact: every partial sum is a multiple of 1/8 below 2^40
    }
    for (int threads : wb::testing::thread_counts()) REQUIRE(ch05::reproducible_sum(x, threads) == exact);
}

TEST_CASE("05.5 with two or more threads, threads other than the caller do their share of the work") {
    // Where the CPU time of the calls went (work_spread.hpp says why the bound is what it is), on
    // 4 Mi doubles.
    const std::vector<double> x = awkward_data(std::size_t{1} << 22, 23);
    for (int threads : wb::testing::thread_counts()) {
        if (threads < 2) continue;
        INFO("threads = " << threads);
        ch05_tests::require_work_off_caller(threads, [&] { return ch05::reproducible_sum(x, threads); });
    }
}

TEST_CASE("05.5 one thread gives the blocked sum; 0 or negative threads are rejected") {
    const std::vector<double> x = awkward_data(3 * ch05::kSumBlock + 17, 4);
    REQUIRE(bits(ch05::reproducible_sum(x, 1)) == bits(blocked_reference(x)));
    REQUIRE_THROWS_AS(ch05::reproducible_sum(x, 0), std::invalid_argument);
    REQUIRE_THROWS_AS(ch05::reproducible_sum(x, -4), std::invalid_argument);
}
