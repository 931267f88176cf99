// Tests of exercise 05.6: least-squares fit of Amdahl's serial fraction.
#include <stdexcept>
#include <vector>

#include "ch05/amdahl.hpp"
#include "wb/catch.hpp"

using Catch::Matchers::WithinAbs;

TEST_CASE("05.6 recovers the serial fraction from exact Amdahl speedups") {
    // Noise-free data fits exactly; the tolerance only absorbs a few roundings.
    for (double f : {0.0, 0.05, 0.25, 0.5, 1.0}) {
        INFO("f = " << f);
        std::vector<ch05::ScalingPoint> pts;
        for (double p : {1.0, 2.0, 3.0, 4.0, 8.0}) pts.push_back({p, ch05::amdahl_speedup(f, p)});
        REQUIRE_THAT(ch05::fit_serial_fraction(pts), WithinAbs(f, 1e-12));
    }
}

TEST_CASE("05.6 the least-squares value for noisy data, worked by hand") {
    // a = 1 - 1/p, b = 1/S - 1/p:   p=2, S=1.6: a=0.5, b=0.125;   p=4, S=2.5: a=0.75, b=0.15.
    // f = (0.5*0.125 + 0.75*0.15) / (0.25 + 0.5625) = 0.175 / 0.8125.
    const std::vector<ch05::ScalingPoint> pts{{1.0, 1.0}, {2.0, 1.6}, {4.0, 2.5}};
    REQUIRE_THAT(ch05::fit_serial_fraction(pts), WithinAbs(0.175 / 0.8125, 1e-12));
}

TEST_CASE("05.6 clamps to [0, 1]") {
    const std::vector<ch05::ScalingPoint> superlinear{{2.0, 2.5}};  // faster than ideal: f would be < 0
    REQUIRE(ch05::fit_serial_fraction(superlinear) == 0.0);
    const std::vector<ch05::ScalingPoint> slowdown{{2.0, 0.5}};  // slower than serial: f would be > 1
    REQUIRE(ch05::fit_serial_fraction(slowdown) == 1.0);
}

TEST_CASE("05.6 rejects data that cannot determine f") {
    const std::vector<ch05::ScalingPoint> none;
    REQUIRE_THROWS_AS(ch05::fit_serial_fraction(none), std::invalid_argument);
    const std::vector<ch05::ScalingPoint> only_one{{1.0, 1.0}, {1.0, 1.0}};
    REQUIRE_THROWS_AS(ch05::fit_serial_fraction(only_one), std::invalid_argument);
    const std::vector<ch05::ScalingPoint> bad_p{{0.5, 1.0}, {2.0, 1.5}};
    REQUIRE_THROWS_AS(ch05::fit_serial_fraction(bad_p), std::invalid_argument);
    const std::vector<ch05::ScalingPoint> bad_s{{2.0, 0.0}};
    REQUIRE_THROWS_AS(ch05::fit_serial_fraction(bad_s), std::invalid_argument);
}
