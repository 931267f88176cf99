// wb/stats.hpp: the few statistics the workbook reports (median and quartiles of repeated timings).
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace wb {

/// The q-quantile (0 <= q <= 1) of `v`, linear interpolation between order statistics.
inline double quantile(std::vector<double> v, double q) {
    if (v.empty()) throw std::invalid_argument("quantile of an empty sample");
    std::sort(v.begin(), v.end());
    const double pos = q * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const auto hi = static_cast<std::size_t>(std::ceil(pos));
    const double frac = pos - static_cast<double>(lo);
    return v[lo] + (v[hi] - v[lo]) * frac;
}

inline double median(const std::vector<double>& v) { return quantile(v, 0.5); }

/// Median wall time of `repeats` calls of `work`, in milliseconds, after one untimed warm-up call
/// (the programs' quick measurements; the benchmarks use Google Benchmark).
template <class Work>
double median_ms(Work&& work, int repeats) {
    using Clock = std::chrono::steady_clock;
    work();
    std::vector<double> t;
    for (int r = 0; r < repeats; ++r) {
        const auto start = Clock::now();
        work();
        t.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    return median(t);
}

}  // namespace wb
