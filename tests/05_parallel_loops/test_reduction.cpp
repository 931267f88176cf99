// Tests of exercise 05.4: sum, min and max by OpenMP reductions, with the work shared among threads.
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include "ch05/reduction.hpp"
#include "work_spread.hpp"
#include "wb/catch.hpp"
#include "wb/testing.hpp"

namespace {
// Neumaier's compensated sum: for the data below it is within a rounding or two of the exact sum, far
// closer than the error bound checked, so it serves as the exact reference.
double accurate_sum(const std::vector<double>& v) {
    double s = 0.0, c = 0.0;
    for (double x : v) {
        const double t = s + x;
        c += std::abs(s) >= std::abs(x) ? (s - t) + x : (x - t) + s;
        s = t;
    }
    return s + c;
}
}  // namespace

TEST_CASE("05.4 integer-valued data: sum, min and max are exact for every thread count") {
    // Integers of this size add exactly in double whatever the order, so even a parallel sum is exact.
    std::vector<double> x(100003);
    std::mt19937_64 gen(5);
    std::uniform_int_distribution<int> d(-1000, 1000);
    for (auto& v : x) v = d(gen);
    x[777] = -5000.0;   // the unique minimum
    x[31337] = 7000.0;  // the unique maximum
    std::int64_t exact = 0;
    for (double v : x) exact += static_cast<std::int64_t>(v);
    for (int threads : wb::testing::thread_counts()) {
        INFO("threads = " << threads);
        const ch05::Summary s = ch05::summarize(x, threads);
        REQUIRE(s.sum == static_cast<double>(exact));
        REQUIRE(s.min == -5000.0);
        REQUIRE(s.max == 7000.0);
    }
}

TEST_CASE("05.4 real-valued data: the sum is within the rounding-error bound of any summation order") {
    // Any order of n - 1 additions errs by at most (n - 1) * eps * sum(|x_i|) (to first order); the
    // thread count only changes the order, so that bound must hold for every thread count.
    const std::size_t n = 200000;
    std::vector<double> x(n);
    std::mt19937_64 gen(11);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    double abs_sum = 0.0, lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (auto& v : x) {
        v = u(gen) * std::exp(6.0 * u(gen));  // magnitudes from about 1e-3 to 4e2, both signs
        abs_sum += std::abs(v);
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    const double exact = accurate_sum(x);
    const double bound = static_cast<double>(n - 1) * std::numeric_limits<double>::epsilon() * abs_sum;
    for (int threads : wb::testing::thread_counts()) {
        INFO("threads = " << threads);
        const ch05::Summary s = ch05::summarize(x, threads);
        REQUIRE_THAT(s.sum, Catch::Matchers::WithinAbs(exact, bound));
        REQUIRE(s.min == lo);
        REQUIRE(s.max == hi);
    }
}

TEST_CASE("05.4 fewer elements than threads, and a single element") {
    const std::vector<double> two{2.5, -1.5}, one{42.0};
    for (int threads : wb::testing::thread_counts()) {
        INFO("threads = " << threads);
        const ch05::Summary s2 = ch05::summarize(two, threads);
        REQUIRE(s2.sum == 1.0);
        REQUIRE(s2.min == -1.5);
        REQUIRE(s2.max == 2.5);
        const ch05::Summary s1 = ch05::summarize(one, threads);
        REQUIRE(s1.sum == 42.0);
        REQUIRE(s1.min == 42.0);
        REQUIRE(s1.max == 42.0);
    }
}

TEST_CASE("05.4 with two or more threads, threads other than the caller do their share of the work") {
    // Where the CPU time of the calls went (work_spread.hpp says why the bound is what it is), on
    // 4 Mi doubles.
    std::vector<double> x(std::size_t{1} << 22);
    std::mt19937_64 gen(17);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    for (auto& v : x) v = u(gen);
    for (int threads : wb::testing::thread_counts()) {
        if (threads < 2) continue;
        INFO("threads = " << threads);
        ch05_tests::require_work_off_caller(threads, [&] { return ch05::summarize(x, threads).sum; });
    }
}

TEST_CASE("05.4 one thread gives the exact results") {
    const std::vector<double> x{3.0, -7.5, 12.25, 0.5};
    const ch05::Summary s = ch05::summarize(x, 1);
    REQUIRE(s.sum == 8.25);
    REQUIRE(s.min == -7.5);
    REQUIRE(s.max == 12.25);
}

TEST_CASE("05.4 empty input and bad thread counts") {
    const std::vector<double> none;
    const ch05::Summary s = ch05::summarize(none, 2);
    REQUIRE(s.sum == 0.0);
    REQUIRE(s.min == std::numeric_limits<double>::infinity());
    REQUIRE(s.max == -std::numeric_limits<double>::infinity());
    const std::vector<double> some{1.0};
    REQUIRE_THROWS_AS(ch05::summarize(some, 0), std::invalid_argument);
    REQUIRE_THROWS_AS(ch05::summarize(some, -1), std::invalid_argument);
}
