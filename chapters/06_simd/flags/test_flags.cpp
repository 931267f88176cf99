// flags/test_flags.cpp: the ULP distance, and that every flags variant of flags/kernels.cpp computes
// what it should: exactly the IEEE result where its flags promise one, within a stated error where they
// allow the compiler to change the arithmetic. Linked with ch06_flags_variants.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "accuracy.hpp"
#include "kernels.hpp"
#include "wb/catch.hpp"

using namespace ch06::flags;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kMax = std::numeric_limits<double>::max();
constexpr double kDenormMin = std::numeric_limits<double>::denorm_min();

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

bool reassociates(const std::string& name) { return name == "assoc" || name == "fast"; }

// Sanitizer builds instrument every load, and the compiler may then keep a loop scalar that it would
// otherwise vectorize: there, only the results are checked, not whether a loop was vectorized.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(undefined_behavior_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

// 100 000 inputs: enough to meet glibc's and libmvec's worst cases in the range often, small enough
// to run in milliseconds.
constexpr std::size_t kN = 100000;

}  // namespace

TEST_CASE("ulp_distance counts the doubles between two values", "[ch06][flags]") {
    REQUIRE(ulp_distance(1.0, 1.0) == 0);
    REQUIRE(ulp_distance(1.0, std::nextafter(1.0, 2.0)) == 1);
    REQUIRE(ulp_distance(std::nextafter(1.0, 2.0), 1.0) == 1);  // symmetric
    REQUIRE(ulp_distance(1.0, std::nextafter(1.0, 0.0)) == 1);  // below 1 the spacing halves: still one step
    REQUIRE(ulp_distance(1.0, 1.0 + 4 * std::numeric_limits<double>::epsilon()) == 4);
    REQUIRE(ulp_distance(-1.0, std::nextafter(-1.0, -2.0)) == 1);
    REQUIRE(ulp_distance(-1.0, -1.0 - 2 * std::numeric_limits<double>::epsilon()) == 2);
    // Zero: +0 and -0 are the same number; the smallest subnormals on either side are one step away.
    REQUIRE(ulp_distance(0.0, -0.0) == 0);
    REQUIRE(ulp_distance(0.0, kDenormMin) == 1);
    REQUIRE(ulp_distance(-0.0, -kDenormMin) == 1);
    REQUIRE(ulp_distance(-kDenormMin, kDenormMin) == 2);
    // Across zero the distance is the sum of both sides: 1.0 is 0x3FF0000000000000 steps above 0.
    REQUIRE(ulp_distance(-1.0, 1.0) == 2 * std::uint64_t{0x3FF0000000000000});
    REQUIRE(ulp_distance(kMax, kInf) == 1);
    REQUIRE(ulp_distance(-kInf, kInf) == 2 * std::uint64_t{0x7FF0000000000000});  // no overflow
    REQUIRE(ulp_distance(std::nan(""), 1.0) == std::numeric_limits<std::uint64_t>::max());
    REQUIRE(ulp_distance(1.0, std::nan("")) == std::numeric_limits<std::uint64_t>::max());
}

TEST_CASE("the references are what they claim", "[ch06][flags]") {
    // exp(1) rounded correctly is the double nearest e.
    REQUIRE(exp_reference(1.0) == 2.718281828459045);
    REQUIRE(exp_reference(0.0) == 1.0);
    // The sum reference is exact on a sum that double arithmetic gets wrong in this order.
    const std::vector<double> x = {1e16, 1.0, -1e16, 1.0};
    REQUIRE(static_cast<double>(sum_reference(x.data(), x.size())) == 2.0);
    // poly(x) at 0 is its constant term; at 1 it is the Taylor sum 1 + 1 + 1/2 + ... + 1/8!.
    REQUIRE(poly_reference(0.0) == 1.0);
    REQUIRE(ulp_distance(poly_reference(1.0), 2.71827876984127) <= 2);  // the decimal has 15 digits
}

TEST_CASE("every variant: exp within its stated error of the correctly rounded value", "[ch06][flags]") {
    const std::vector<double> in = uniform(kN, kExpLo, kExpHi, 11);
    std::vector<double> want(kN), got(kN), strict_out(kN);
    for (std::size_t i = 0; i < kN; ++i) want[i] = exp_reference(in[i]);
    find_variant("strict")->exp_all(strict_out.data(), in.data(), kN);
    // glibc's scalar exp is correctly rounded in all but rare cases; the reference can itself be one ULP
    // off when the true value is within 2^-63 of a rounding tie: at most 1 ULP either way.
    REQUIRE(ulp_stats(strict_out.data(), want.data(), kN).max <= 1);
    for (const Variant& v : variants()) {
        INFO("variant " << v.name);
        v.exp_all(got.data(), in.data(), kN);
        const UlpStats s = ulp_stats(got.data(), want.data(), kN);
        if (std::string(v.name) == "fast") {
            // glibc's vector exp (libmvec) promises at most 4 ULP; here it must at least be a real exp.
            REQUIRE(s.max <= 4);
            REQUIRE(s.mean < 1.0);
        } else {
            // Without -ffast-math every variant calls the same scalar exp: the very same bits.
            REQUIRE(same_bits(got, strict_out));
        }
        // The pinned copy calls the scalar exp whatever the flags.
        v.pinned.exp_all(got.data(), in.data(), kN);
        REQUIRE(ulp_stats(got.data(), want.data(), kN).max <= 1);
    }
}

TEST_CASE("every variant: sqrt is the correctly rounded square root", "[ch06][flags]") {
    // IEEE 754 requires sqrt to be correctly rounded, and the scalar and vector instructions both are;
    // -fno-math-errno only drops the errno check, so every variant must give the same bits.
    const std::vector<double> in = uniform(kN, kSqrtLo, kSqrtHi, 12);
    std::vector<double> want(kN), got(kN);
    for (std::size_t i = 0; i < kN; ++i) want[i] = sqrt_reference(in[i]);
    for (const Variant& v : variants()) {
        INFO("variant " << v.name);
        v.sqrt_all(got.data(), in.data(), kN);
        REQUIRE(same_bits(got, want));
        v.pinned.sqrt_all(got.data(), in.data(), kN);
        REQUIRE(same_bits(got, want));
    }
}

TEST_CASE("every variant: the sum adds in order unless its flags allow reassociation", "[ch06][flags]") {
    const std::vector<double> x = uniform(kN, kSumLo, kSumHi, 13);
    double in_order = 0.0;
    for (double e : x) {
        in_order += e;
        // This loop is compiled without reassociation; the empty asm keeps it a single scalar chain
        // under any compiler (clang may vectorize an in-order sum differently).
        __asm__ volatile("" : "+m"(in_order));
    }
    const long double exact = sum_reference(x.data(), kN);
    for (const Variant& v : variants()) {
        INFO("variant " << v.name);
        const double s = v.sum(x.data(), kN);
        if (reassociates(v.name)) {
            // Partial sums, as the rounding probe shows (in an optimized build), and a different result...
            if (!kSanitized) REQUIRE(partial_sums(v) > 1);
            // ...whose error is still within the worst case of any order of n - 1 additions of terms of
            // one sign: (n - 1) u relative (u = 2^-53). Partial sums are in fact usually more accurate.
            REQUIRE(relative_error(s, exact) <= (kN - 1) * 0.5 * std::numeric_limits<double>::epsilon());
        } else {
            REQUIRE(partial_sums(v) == 1);
            REQUIRE(std::memcmp(&s, &in_order, sizeof s) == 0);  // the very same bits as the loop above
        }
        // The pinned copy keeps one chain in every variant.
        const double p = v.pinned.sum(x.data(), kN);
        REQUIRE(std::memcmp(&p, &in_order, sizeof p) == 0);
    }
}

TEST_CASE("every variant: the polynomial within 4 ULP; axpy and the kinetic energy as the formula says",
          "[ch06][flags]") {
    const std::vector<double> in = uniform(kN, kPolyLo, kPolyHi, 14);
    std::vector<double> want(kN), got(kN);
    for (std::size_t i = 0; i < kN; ++i) want[i] = poly_reference(in[i]);

    // axpy with a = 0.5: a * x is exact, so y + a * x is rounded once whether or not it is fused into an
    // FMA: every variant must give exactly the bits of the plain expression.
    const std::vector<double> x = uniform(kN, -1.0, 1.0, 15), y0 = uniform(kN, -1.0, 1.0, 16);
    std::vector<double> y_want(kN);
    for (std::size_t i = 0; i < kN; ++i) y_want[i] = y0[i] + 0.5 * x[i];

    // Kinetic energy: the terms are all positive, so no cancellation: five roundings of relative size
    // u each, at most about 3 ULP from the value computed in long double; 4 allows for the reference's
    // own rounding.
    const std::vector<double> m = uniform(kN, 1.0, 2.0, 17), vx = uniform(kN, -1.0, 1.0, 18),
                              vy = uniform(kN, -1.0, 1.0, 19), vz = uniform(kN, -1.0, 1.0, 20);
    std::vector<Particle> p(kN);
    std::vector<double> e_want(kN);
    for (std::size_t i = 0; i < kN; ++i) {
        p[i] = {0.0, 0.0, 0.0, vx[i], vy[i], vz[i], m[i]};
        const long double v2 = static_cast<long double>(vx[i]) * vx[i] + static_cast<long double>(vy[i]) * vy[i] +
                               static_cast<long double>(vz[i]) * vz[i];
        e_want[i] = static_cast<double>(0.5L * m[i] * v2);
    }

    for (const Variant& v : variants()) {
        INFO("variant " << v.name);
        // The a priori bound of Horner's rule, gamma_16 * sum |c_k x^k| / |p(x)| (that ratio is at most
        // e^2 on [-1, 1]), is about 120 u: far looser than what happens. The largest error seen over 10^5
        // inputs is 2 ULP, with and without FMA; 4 leaves a margin for a compiler that orders the
        // arithmetic differently, and still rejects a wrong coefficient or a lost step.
        v.poly(got.data(), in.data(), kN);
        REQUIRE(ulp_stats(got.data(), want.data(), kN).max <= 4);
        v.pinned.poly(got.data(), in.data(), kN);
        REQUIRE(ulp_stats(got.data(), want.data(), kN).max <= 4);

        std::vector<double> y = y0;
        v.axpy(y.data(), x.data(), 0.5, kN);
        REQUIRE(same_bits(y, y_want));
        y = y0;
        v.axpy_restrict(y.data(), x.data(), 0.5, kN);
        REQUIRE(same_bits(y, y_want));
        y = y0;
        v.pinned.axpy_restrict(y.data(), x.data(), 0.5, kN);
        REQUIRE(same_bits(y, y_want));

        v.kinetic_aos(got.data(), p.data(), kN);
        REQUIRE(ulp_stats(got.data(), e_want.data(), kN).max <= 4);
        v.kinetic_soa(got.data(), m.data(), vx.data(), vy.data(), vz.data(), kN);
        REQUIRE(ulp_stats(got.data(), e_want.data(), kN).max <= 4);
        v.pinned.kinetic_soa(got.data(), m.data(), vx.data(), vy.data(), vz.data(), kN);
        REQUIRE(ulp_stats(got.data(), e_want.data(), kN).max <= 4);
    }
}

TEST_CASE("axpy is right when its arrays overlap (the run-time check takes the scalar path)", "[ch06][flags]") {
    // y = x shifted by one element: y[i] += 0.5 * y[i - 1] must use the y[i - 1] already updated. A
    // vectorized loop without the overlap check would read the old values.
    for (const Variant& v : variants()) {
        INFO("variant " << v.name);
        std::vector<double> buf(1025, 1.0), want(1025, 1.0);
        for (std::size_t i = 1; i < want.size(); ++i) want[i] += 0.5 * want[i - 1];
        v.axpy(buf.data() + 1, buf.data(), 0.5, 1024);
        // 0.5 * x is exact, so each step is rounded once, fused or not: the same bits.
        REQUIRE(same_bits(buf, want));
    }
}

TEST_CASE("each variant reports the vector width its flags target", "[ch06][flags]") {
    for (const Variant& v : variants()) {
        INFO("variant " << v.name);
        const int w = v.isa_doubles();
        REQUIRE((w == 1 || w == 2 || w == 4 || w == 8));
        if (std::string(v.name) == "O2" || std::string(v.name) == "O3") REQUIRE(w <= 2);  // x86-64 baseline
    }
}
