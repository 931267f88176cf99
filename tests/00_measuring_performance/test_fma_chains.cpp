// Tests of exercise 00.4 (fma_chains).
#include <array>
#include <cmath>
#include <exception>
#include <stdexcept>
#include <thread>
#include <vector>

#include "ch00/fma_chains.hpp"
#include "wb/catch.hpp"
#include "wb/testing.hpp"

using Values = std::array<double, ch00::kChains>;

namespace {

Values ramp(double start, double step) {
    Values x{};
    for (std::size_t j = 0; j < x.size(); ++j) x[j] = start + step * static_cast<double>(j);
    return x;
}

}  // namespace

TEST_CASE("a = 1, b = 1 counts the steps, in every chain") {
    // fma(x, 1, 1) = x + 1 exactly for these whole numbers: the result must be exact.
    Values x = ramp(0.0, 1.0);
    ch00::fma_chains(x, 1.0, 1.0, 1000);
    REQUIRE(x == ramp(1000.0, 1.0));
}

TEST_CASE("a = 2, b = 0 doubles every value at every step") {
    Values x = ramp(-3.0, 0.5);
    ch00::fma_chains(x, 2.0, 0.0, 10);
    REQUIRE(x == ramp(-3.0 * 1024, 0.5 * 1024));  // powers of two: exact
}

TEST_CASE("zero steps change nothing; negative steps are refused") {
    Values x = ramp(1.0, 0.25);
    ch00::fma_chains(x, 0.5, 7.0, 0);
    REQUIRE(x == ramp(1.0, 0.25));
    REQUIRE_THROWS_AS(ch00::fma_chains(x, 0.5, 7.0, -1), std::invalid_argument);
    REQUIRE(x == ramp(1.0, 0.25));
}

TEST_CASE("each chain follows x = fma(x, a, b) on its own") {
    const double a = 0.75, b = 0.5;
    const std::int64_t steps = 25;  // few enough that the chains have not all converged to 2 yet
    Values x = ramp(-8.0, 0.5);
    Values expected = x;
    for (double& v : expected)
        for (std::int64_t s = 0; s < steps; ++s) v = std::fma(v, a, b);
    ch00::fma_chains(x, a, b, steps);
    // std::fma rounds once, exactly as the standard specifies, whatever instruction computes it: the
    // results must be bitwise equal to this reference. (x * a + b without fusing rounds twice and
    // differs in the last bits; compilers fuse it when they may, which is why it often passes.)
    for (std::size_t j = 0; j < x.size(); ++j) {
        INFO("chain " << j);
        REQUIRE(x[j] == expected[j]);
    }
}

TEST_CASE("the chains are independent: each depends only on its own start value") {
    // Change one chain's start value: that chain alone may end elsewhere.
    const double a = 0.5, b = 1.0;  // fma(x, 0.5, 1) = x / 2 + 1: exact for these values, converges to 2
    const std::int64_t steps = 20;
    for (std::size_t changed : {std::size_t{0}, ch00::kChains / 2, ch00::kChains - 1}) {
        INFO("changed chain " << changed);
        Values base = ramp(0.0, 1.0), other = base;
        other[changed] = 1000.0;
        ch00::fma_chains(base, a, b, steps);
        ch00::fma_chains(other, a, b, steps);
        for (std::size_t j = 0; j < base.size(); ++j) {
            INFO("chain " << j);
            if (j == changed)
                REQUIRE(base[j] != other[j]);
            else
                REQUIRE(base[j] == other[j]);
        }
    }
}

TEST_CASE("threads running fma_chains on their own arrays do not disturb each other") {
    for (int threads : wb::testing::thread_counts()) {
        INFO("threads = " << threads);
        std::vector<Values> xs;
        for (int t = 0; t < threads; ++t) xs.push_back(ramp(1000.0 * t, 1.0));
        // An exception must not leave a thread (that would abort the test program): keep it, rethrow it here.
        std::vector<std::exception_ptr> errors(static_cast<std::size_t>(threads));
        std::vector<std::thread> pool;
        for (int t = 0; t < threads; ++t)
            pool.emplace_back([&xs, &errors, t] {
                const auto i = static_cast<std::size_t>(t);
                try {
                    ch00::fma_chains(xs[i], 1.0, 1.0, 5000 + t);
                } catch (...) {
                    errors[i] = std::current_exception();
                }
            });
        for (auto& th : pool) th.join();
        for (const auto& e : errors)
            if (e) std::rethrow_exception(e);
        for (int t = 0; t < threads; ++t) REQUIRE(xs[static_cast<std::size_t>(t)] == ramp(1000.0 * t + 5000 + t, 1.0));
    }
}
