// Tests of exercise 04.7: the OpenMP sum with a reduction.
#include <cstddef>
#include <limits>
#include <vector>

#include "ch04/omp_sum.hpp"
#include "ch04/pi_streams.hpp"
#include "checks.hpp"
#include "wb/catch.hpp"

TEST_CASE("04.7 integer-valued data sums exactly on every thread count", "[ch04][race]") {
    // Every partial sum is an integer below 2^53, so any order of additions gives the exact total.
    // This test runs first and stays short: ThreadSanitizer (LLVM 14) drops the report of a race
    // when the racing loop has run millions of iterations since the threads last synchronized, so
    // the graders' TSan run of an untouched stub needs a short racy loop to see.
    const std::size_t n = 10007;
    std::vector<double> x(n);
    double expected = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        x[i] = static_cast<double>(i % 7);
        expected += x[i];
    }
    for (int threads : ch04_tests::thread_counts_largest_first()) {
        INFO(threads << " threads");
        REQUIRE(ch04::omp_sum(x, threads) == expected);
    }
}

TEST_CASE("04.7 random data matches the serial sum up to rounding", "[ch04][race]") {
    const std::size_t n = std::size_t{1} << 20;
    std::vector<double> x(n);
    ch04::SplitMix64 rng{42};
    for (double& v : x) v = rng.uniform();
    double serial = 0.0;
    for (double v : x) serial += v;
    // Any order of adding n non-negative numbers lands within (n-1)*eps/2 (relative) of the exact sum,
    // so two orders differ by at most (n-1)*eps. A single lost addition is a relative error of about
    // 1/n, thousands of times larger.
    const double tolerance = static_cast<double>(n) * std::numeric_limits<double>::epsilon();
    for (int threads : ch04_tests::thread_counts_largest_first()) {
        INFO(threads << " threads");
        REQUIRE_THAT(ch04::omp_sum(x, threads), Catch::Matchers::WithinRel(serial, tolerance));
    }
}

TEST_CASE("04.7 the threads share the work", "[ch04][race]") {
    // CPU time, not wall time: off_caller_share() is the part of the call's CPU time spent on threads
    // other than the caller, about (T-1)/T when T threads share the loop evenly and about 0 when the
    // caller sums alone. A busy machine slows the threads down but does not move their CPU time from
    // one thread to another. What it can add is waiting: libgomp's threads spin for up to some
    // milliseconds at the end of a loop before they sleep, and a caller whose helper is waiting for a
    // core spins all that time. Calls of 2^23 doubles (several milliseconds of work each) and a
    // threshold of a fifth of the even share keep that from failing a parallel loop, while a serial
    // loop stays near 0.
    const std::vector<double> x(std::size_t{1} << 23, 1.0);
    for (int threads : ch04_tests::thread_counts_largest_first()) {
        if (threads < 2) continue;
        double total = 0.0;
        const wb::testing::WorkSpread spread = wb::testing::measure_spread([&] {
            for (int rep = 0; rep < 2; ++rep) total += ch04::omp_sum(x, threads);
        });
        REQUIRE(total == 2.0 * static_cast<double>(x.size()));
        const double even = static_cast<double>(threads - 1) / threads;
        INFO(threads << " threads: " << 100.0 * spread.off_caller_share() << "% of the CPU time off the calling "
                     << "thread (about " << 100.0 * even << "% when the threads share the loop; 0% for a "
                     << "serial loop)");
        REQUIRE(spread.off_caller_share() > 0.2 * even);
    }
}

TEST_CASE("04.7 the empty sum is zero", "[ch04][race]") { REQUIRE(ch04::omp_sum({}, 2) == 0.0); }
