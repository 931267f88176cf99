// flags/accuracy.hpp: how far a result is from the correctly rounded one, in ULPs, and the references
// the flag variants are compared with. Used by the report, the benchmarks and the tests (not by
// kernels.cpp, which is compiled with fast-math in one of its copies).
#pragma once

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "kernels.hpp"

namespace ch06::flags {

// [ulp_distance]
/// The number of doubles from a to b: 0 when equal (+0 and -0 count as equal), 1 for neighbours, the
/// largest uint64 when either is NaN. The bit pattern of a non-negative double, read as an integer,
/// grows with its value; a negative double has the sign bit set and its magnitude in the other bits.
/// Mapping a negative one to minus its magnitude puts every double on one integer line, where the
/// distance is a subtraction.
inline std::uint64_t ulp_distance(double a, double b) {
    if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<std::uint64_t>::max();
    auto line = [](double d) {
        const auto bits = std::bit_cast<std::int64_t>(d);
        // Magnitude bits of a negative double, negated: -0.0 maps to 0 like +0.0.
        return bits < 0 ? -(bits & std::numeric_limits<std::int64_t>::max()) : bits;
    };
    const std::int64_t la = line(a), lb = line(b);
    // The difference can exceed int64's range (from -inf to +inf): subtract as unsigned.
    return la >= lb ? static_cast<std::uint64_t>(la) - static_cast<std::uint64_t>(lb)
                    : static_cast<std::uint64_t>(lb) - static_cast<std::uint64_t>(la);
}
// [ulp_distance]

/// exp(x) rounded to double from a long double exp (64-bit significand, error below one of its own
/// units): correctly rounded except when the true value lies within about 2^-63 (relative) of the
/// midpoint between two doubles, which is rare, and then off by one ULP at most.
inline double exp_reference(double x) { return static_cast<double>(std::exp(static_cast<long double>(x))); }

/// poly() of kernels.hpp evaluated in long double, then rounded: the exact value of the polynomial with
/// those double coefficients to within a ULP (of double) in the rare rounding ties, like exp_reference.
inline double poly_reference(double x) {
    const long double lx = x;
    long double p = kPoly[8];
    for (int k = 7; k >= 0; --k) p = p * lx + kPoly[static_cast<std::size_t>(k)];
    return static_cast<double>(p);
}

/// sqrt is correctly rounded by IEEE 754 in every variant's hardware instruction; its reference is itself.
inline double sqrt_reference(double x) { return std::sqrt(x); }

/// The sum in long double with Neumaier's compensation: for the sums here (at most millions of terms of
/// one sign) its error is far below a double's last bit.
inline long double sum_reference(const double* x, std::size_t n) {
    long double s = 0.0L, c = 0.0L;
    for (std::size_t i = 0; i < n; ++i) {
        const long double t = s + x[i];
        c += std::fabs(s) >= std::fabs(static_cast<long double>(x[i])) ? (s - t) + x[i] : (x[i] - t) + s;
        s = t;
    }
    return s + c;
}

/// |computed - reference| / |reference|.
inline double relative_error(double computed, long double reference) {
    return static_cast<double>(std::fabs(static_cast<long double>(computed) - reference) / std::fabs(reference));
}

struct UlpStats {
    std::uint64_t max = 0;  ///< the largest distance over the array
    double mean = 0.0;      ///< the mean distance
};

/// ULP distances between got[i] and want[i] over n elements.
inline UlpStats ulp_stats(const double* got, const double* want, std::size_t n) {
    UlpStats s;
    double total = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t d = ulp_distance(got[i], want[i]);
        s.max = d > s.max ? d : s.max;
        total += static_cast<double>(d);
    }
    s.mean = n ? total / static_cast<double>(n) : 0.0;
    return s;
}

// [partial_sums]
/// How many partial sums the variant's sum() keeps, read from its rounding alone. The probe is 2^53
/// followed by 63 ones. Added in order, every 1 is lost: 2^53 + 1 lies halfway between two doubles and
/// rounds to the even one, 2^53. A sum with W partial sums (W-lane vectors) puts 2^53 in lane 0, where
/// the ones of that lane are lost, while the other lanes add their ones exactly; the result is then
/// 2^53 + 64 - 64 / W. Returns W (1: one chain, in order), or 0 when the result fits no such W.
inline int partial_sums(const Variant& v) {
    std::vector<double> probe(64, 1.0);
    probe[0] = 9007199254740992.0;  // 2^53
    const double lost = 63.0 - (v.sum(probe.data(), probe.size()) - probe[0]);  // 64 / W - 1 ones
    for (int w = 1; w <= 64; w *= 2)
        if (lost == 64.0 / w - 1.0) return w;
    return 0;
}
// [partial_sums]

/// n values uniform in [lo, hi), from a fixed seed: the inputs of every comparison.
inline std::vector<double> uniform(std::size_t n, double lo, double hi, unsigned seed) {
    std::mt19937_64 gen(seed);
    std::uniform_real_distribution<double> u(lo, hi);
    std::vector<double> v(n);
    for (double& x : v) x = u(gen);
    return v;
}

/// The input ranges: exp over [-50, 50) (results from 2e-22 to 5e21, no overflow, no subnormals),
/// poly over [-1, 1), sqrt over [0, 100), the sum over [0, 1) (one sign: no cancellation, so its
/// relative error measures the rounding of the additions alone).
inline constexpr double kExpLo = -50.0, kExpHi = 50.0;
inline constexpr double kPolyLo = -1.0, kPolyHi = 1.0;
inline constexpr double kSqrtLo = 0.0, kSqrtHi = 100.0;
inline constexpr double kSumLo = 0.0, kSumHi = 1.0;

}  // namespace ch06::flags
