// The machine-profile kernels shared by ch00_program and ch00_bench.
#include "profile.hpp"

#include <sys/resource.h>

#include <array>
#include <cmath>

#include "ch00/fma_chains.hpp"
#include "ch00/triad.hpp"

namespace ch00::profile {
namespace {
// x = fma(x, a, b) converges to b / (1 - a) = 1: the values stay finite and far from subnormals.
constexpr double kA = 0.999;
constexpr double kB = 0.001;

std::array<double, kChains> start_values(int seed) {
    std::array<double, kChains> x{};
    for (std::size_t j = 0; j < kChains; ++j) x[j] = 0.5 + 0.01 * static_cast<double>(j) + 0.001 * seed;
    return x;
}
}  // namespace

StreamArrays::StreamArrays(std::size_t size, int threads)
    : n(size),
      a(std::make_unique_for_overwrite<double[]>(size)),
      b(std::make_unique_for_overwrite<double[]>(size)),
      c(std::make_unique_for_overwrite<double[]>(size)) {
    fill(span_a(), 0.0, threads);
    fill(span_b(), 1.0, threads);
    fill(span_c(), 2.0, threads);
}

void fill(std::span<double> x, double value, int threads) {
    const std::size_t n = x.size();
#pragma omp parallel for schedule(static) num_threads(threads)
    for (std::size_t i = 0; i < n; ++i) x[i] = value;
}

//! [copy]
void copy(std::span<double> dst, std::span<const double> src, int threads) {
    const std::size_t n = dst.size();
#pragma omp parallel for schedule(static) num_threads(threads)
    for (std::size_t i = 0; i < n; ++i) dst[i] = src[i];
}
//! [copy]

void triad(StreamArrays& s, double scalar, int threads) {
    OmpThreads scope(threads);
    ch00::triad(s.span_a(), s.span_b(), s.span_c(), scalar);
}

double fma_flops(int threads, std::int64_t steps) {
    return 2.0 * static_cast<double>(kChains) * static_cast<double>(steps) * threads;
}

double fma_peak(int threads, std::int64_t steps) {
    double checksum = 0.0;
#pragma omp parallel num_threads(threads) reduction(+ : checksum)
    {
        auto x = start_values(omp_get_thread_num());
        ch00::fma_chains(x, kA, kB, steps);
        for (double v : x) checksum += v;
    }
    return checksum;
}

double fma_one_chain(std::int64_t steps) {
    auto x = start_values(0);
    //! [one_chain]
    for (std::size_t j = 0; j < kChains; ++j) {  // one chain after the other ...
        double v = x[j];
        for (std::int64_t s = 0; s < steps; ++s) v = std::fma(v, kA, kB);  // ... each step waits for the last
        x[j] = v;
    }
    //! [one_chain]
    double checksum = 0.0;
    for (double v : x) checksum += v;
    return checksum;
}

namespace {
volatile double kept_result;
}  // namespace

void sink(double v) { kept_result = v; }

long minor_page_faults() {
    rusage r{};
    getrusage(RUSAGE_SELF, &r);
    return r.ru_minflt;
}

}  // namespace ch00::profile
