// Tests of exercise 00.2 (keep_alive). A loop that the optimizer deleted computes the same nothing as
// one that ran, so no test can tell them apart without a clock; these tests check that the guards
// change no value and that the timing loop behaves. Whether the loop really ran is checked by the
// speed report (./wb grade 00), which refuses a rate no real sum can reach.
#include <cmath>
#include <stdexcept>
#include <vector>

#include "ch00/keep_alive.hpp"
#include "wb/catch.hpp"

TEST_CASE("escape and clobber change no value") {
    double v = 3.25;
    ch00::escape(&v);
    REQUIRE(v == 3.25);
    std::vector<double> x{1.0, -2.0, 0.5};
    ch00::escape(x.data());
    ch00::clobber();
    REQUIRE(x == std::vector<double>{1.0, -2.0, 0.5});
}

TEST_CASE("the kernel still gives the right sum around the guards") {
    std::vector<double> x(1000);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<double>(i % 10);
    double s = ch00::sum_of_squares(x);
    ch00::escape(&s);
    ch00::clobber();
    // Small whole numbers: the sum is exact in double. 100 times (0 + 1 + 4 + ... + 81) = 28500.
    REQUIRE(s == 28500.0);
}

TEST_CASE("seconds_per_sum returns a time per call") {
    const std::vector<double> x(4096, 0.5);
    for (int repeats : {1, 10, 1000}) {
        const double t = ch00::seconds_per_sum(x, repeats);
        // Nothing about speed is checked, only that a duration came back.
        REQUIRE(std::isfinite(t));
        REQUIRE(t >= 0.0);
    }
    REQUIRE(x == std::vector<double>(4096, 0.5));  // the data is read, never changed
}

TEST_CASE("seconds_per_sum works on an empty array") {
    const std::vector<double> none;
    REQUIRE(ch00::seconds_per_sum(none, 5) >= 0.0);
}

TEST_CASE("seconds_per_sum refuses fewer than one repeat") {
    const std::vector<double> x(16, 1.0);
    REQUIRE_THROWS_AS(ch00::seconds_per_sum(x, 0), std::invalid_argument);
    REQUIRE_THROWS_AS(ch00::seconds_per_sum(x, -3), std::invalid_argument);
}
