// Tests of exercise 06.3: the moving average, exact on small integer cases, and as accurate as summing
// each window directly on a long series with a large offset.
#include <cmath>
#include <stdexcept>
#include <vector>

#include "ch06/kernels.hpp"
#include "ch06/moving_mean.hpp"
#include "wb/catch.hpp"

TEST_CASE("06.3 small cases are exact") {
    // Integers: every partial sum is exact, and so is every mean that is a short binary fraction.
    const std::vector<double> x = {1, 2, 3, 4, 5, 6, 7, 8};
    std::vector<double> out(7);
    ch06::moving_mean(x, 2, out);
    REQUIRE(out == std::vector<double>{1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5});
    out.assign(5, 0.0);
    ch06::moving_mean(x, 4, out);
    REQUIRE(out == std::vector<double>{2.5, 3.5, 4.5, 5.5, 6.5});
    out.assign(8, 0.0);
    ch06::moving_mean(x, 1, out);
    REQUIRE(out == x);
    out.assign(1, 0.0);
    ch06::moving_mean(x, 8, out);
    REQUIRE(out[0] == 4.5);
    const std::vector<double> y = {4, -4, 8, 0, 2, 2};
    out.assign(5, 0.0);
    ch06::moving_mean(y, 2, out);
    REQUIRE(out == std::vector<double>{0, 2, 4, 1, 2});
}

TEST_CASE("06.3 bad sizes are rejected") {
    const std::vector<double> x(10, 1.0);
    std::vector<double> out(10);
    REQUIRE_THROWS_AS(ch06::moving_mean(x, 0, out), std::invalid_argument);
    REQUIRE_THROWS_AS(ch06::moving_mean(x, 11, out), std::invalid_argument);
    REQUIRE_THROWS_AS(ch06::moving_mean(x, 3, out), std::invalid_argument);  // needs 8 outputs
}

TEST_CASE("06.3 a long series with a large offset: every mean within the header's bound") {
    // 2^20 samples of 1e6 + noise in [-1, 1): the window sums are about w * 1e6, and a running sum that is
    // only added to and subtracted from picks up a rounding error of up to half a unit in its last place
    // at every step, a random walk of about sqrt(2 n) / 2 such units after n steps. The bound allows
    // (w + 16) * 2^-53 * (sum of |x| over the window), a little more than summing each window directly.
    const std::size_t n = std::size_t{1} << 20;
    std::vector<double> x = ch06::uniform(n, -1.0, 1.0, 99);
    for (double& v : x) v += 1e6;
    for (std::size_t w : {3u, 8u, 100u}) {
        std::vector<double> out(n - w + 1);
        ch06::moving_mean(x, w, out);
        // Reference: each window summed directly in long double (64-bit mantissa), every 7th window
        // (all of them would take w times the work).
        double worst = 0;
        std::size_t worst_at = 0;
        for (std::size_t i = 0; i + w <= n; i += (i < 1000 || i + w + 1000 > n) ? 1 : 7) {
            long double s = 0, mag = 0;
            for (std::size_t k = i; k < i + w; ++k) {
                s += x[k];
                mag += std::fabs(x[k]);
            }
            const long double exact = s / static_cast<long double>(w);
            const double bound = static_cast<double>(w + 16) * std::ldexp(1.0, -53) * static_cast<double>(mag) /
                                 static_cast<double>(w);
            const double err = std::fabs(static_cast<double>(static_cast<long double>(out[i]) - exact)) / bound;
            if (err > worst) {
                worst = err;
                worst_at = i;
            }
        }
        INFO("w = " << w << ": the worst mean is out[" << worst_at << "], off by " << worst
                    << " times the allowed error. A running sum that only adds and subtracts drifts with n; a "
                       "cumulative sum loses the digits of the small differences of two huge totals.");
        REQUIRE(worst <= 1.0);
    }
}
