// Tests of exercise 06.2: the sum of squares on every instruction-set path this CPU has, for every
// size up to a few vectors past the widest unrolled step, and some large ones.
#include <cmath>
#include <vector>

#include "ch06/kernels.hpp"
#include "ch06/sum_squares.hpp"
#include "wb/catch.hpp"
#include "wb/isa.hpp"

namespace {
long double reference(const std::vector<double>& x) {
    long double s = 0;
    for (double v : x) s += static_cast<long double>(v) * v;
    return s;
}

// Data where every element matters: values in [-1, 1), the last element 1000 and the middle one -700
// (a lost or doubled element moves the sum far more than any rounding).
std::vector<double> data(std::size_t n) {
    std::vector<double> x = ch06::uniform(n, -1.0, 1.0, 1000 + n);
    if (n > 0) x[n / 2] = -700.0;
    if (n > 0) x[n - 1] = 1000.0;
    return x;
}
}  // namespace

TEST_CASE("06.2 sum_squares is right on every path, for every size") {
    std::vector<std::size_t> sizes;
    for (std::size_t n = 0; n <= 70; ++n) sizes.push_back(n);
    for (std::size_t n : {127u, 128u, 129u, 1000u, 4099u, 100003u}) sizes.push_back(n);
    for (wb::Isa isa : wb::isas_on_this_cpu()) {
        for (std::size_t n : sizes) {
            // Exactly n doubles on the heap: a vector load past the end is caught by AddressSanitizer.
            const std::vector<double> x = data(n);
            const long double want = reference(x);
            const double got = ch06::sum_squares(x, isa);
            INFO("path " << wb::isa_name(isa) << ", n = " << n << ": got " << got << ", want "
                         << static_cast<double>(want));
            // All terms are >= 0: any order of the additions (one chain, four, one per vector lane, any
            // horizontal add) is within (n - 1) * 2^-53 of the exact sum, plus 2^-53 per rounded square
            // (or none with fused multiply-adds). A different result of a different order is not wrong.
            const double tol = (static_cast<double>(n) + 2) * std::ldexp(1.0, -53) * static_cast<double>(want);
            REQUIRE(std::fabs(static_cast<double>(static_cast<long double>(got) - want)) <= tol);
        }
    }
}

TEST_CASE("06.2 the paths agree with each other on a large array in the middle of a larger one") {
    // A span that starts at an odd position: unaligned loads must work.
    const std::vector<double> big = ch06::uniform(20011, -2.0, 2.0, 5);
    const std::span<const double> x(big.data() + 3, 20001);
    const std::vector<double> copy(x.begin(), x.end());
    const long double want = reference(copy);
    for (wb::Isa isa : wb::isas_on_this_cpu()) {
        INFO("path " << wb::isa_name(isa));
        const double got = ch06::sum_squares(x, isa);
        REQUIRE(std::fabs(static_cast<double>(static_cast<long double>(got) - want)) <=
                20003 * std::ldexp(1.0, -53) * static_cast<double>(want));
    }
}
