// Tests of exercise 06.5: the SoA N-body accelerations on every path and thread count, against the
// double-precision reference, to the tolerance the fast reciprocal square root + Newton steps allow.
#include <cmath>
#include <stdexcept>
#include <vector>

#include "ch06/kernels.hpp"
#include "ch06/nbody.hpp"
#include "wb/catch.hpp"
#include "wb/isa.hpp"
#include "wb/testing.hpp"

TEST_CASE("06.5 accelerations match the reference on every path and thread count") {
    // The tolerance, 1e-12 of the sum of the magnitudes of the pulls on body i: a reciprocal square root
    // with relative error e makes r^-3 off by about 3e. From the CPU's estimate (2^-12 for float, 2^-14
    // for AVX-512's double one), Newton steps give e = 1.5 e_prev^2: float's seed reaches about 6e-14
    // after two steps, the double seed about 1e-16; one step fewer leaves 2e-7 or 6e-9, far outside.
    // Summing n pulls in another order adds at most n * 2^-53 of the same scale (3e-14 for 257 bodies).
    for (std::size_t n : {1u, 5u, 13u, 100u, 257u}) {
        const ch06::Bodies b = ch06::make_bodies(n, 7 + n);
        ch06::Accel want;
        ch06::accelerations_reference(b, want);
        std::vector<double> scale(n);
        for (std::size_t i = 0; i < n; ++i) scale[i] = ch06::force_scale(b, i);
        for (wb::Isa isa : wb::isas_on_this_cpu()) {
            for (int threads : wb::testing::thread_counts()) {
                ch06::Accel got;
                ch06::accelerations(b, got, isa, threads);
                REQUIRE(got.x.size() == n);
                double worst = 0;
                std::size_t at = 0;
                for (std::size_t i = 0; i < n; ++i) {
                    const double e = std::fmax(std::fabs(got.x[i] - want.x[i]),
                                               std::fmax(std::fabs(got.y[i] - want.y[i]), std::fabs(got.z[i] - want.z[i]))) /
                                     std::fmax(scale[i], 1e-300);  // one body alone: scale 0, force 0
                    if (!(e <= worst)) {
                        worst = e;
                        at = i;
                    }
                }
                INFO("path " << wb::isa_name(isa) << ", " << n << " bodies, " << threads << " threads: body " << at
                             << " is off by " << worst << " of its force scale (allowed 1e-12)");
                REQUIRE(worst <= 1e-12);
            }
        }
    }
}

TEST_CASE("06.5 bad arguments are rejected") {
    const ch06::Bodies b = ch06::make_bodies(4, 1);
    ch06::Accel a;
    REQUIRE_THROWS_AS(ch06::accelerations(b, a, wb::Isa::scalar, 0), std::invalid_argument);
    ch06::Bodies c = b;
    c.m.pop_back();
    REQUIRE_THROWS_AS(ch06::accelerations(c, a, wb::Isa::scalar, 1), std::invalid_argument);
}
