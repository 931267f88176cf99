// The peak kernels: independent fma chains in the widest vector registers the CPU has, chosen at run time.
#include "peak.hpp"

#include <omp.h>

#include <cmath>
#include <cstddef>
#include <cstdio>
#include <stdexcept>
#include <utility>

#include "wb/cpu_features.hpp"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define CH00_PEAK_X86 1
#else
#define CH00_PEAK_X86 0
#endif

namespace ch00::peak {
namespace {

using Kernel = void (*)(double* x, double a, double b, std::int64_t steps);

// The portable path: V chains in an array, each step advancing all of them. The compiler vectorises it
// with whatever the build allows (-march=native: the CPU's own vectors; without it: SSE2 on x86-64).
template <int V>
struct Generic {
    static void run(double* x, double a, double b, std::int64_t steps) {
        std::array<double, V> v;
        for (int k = 0; k < V; ++k) v[k] = x[k];
        for (std::int64_t s = 0; s < steps; ++s)
            for (int k = 0; k < V; ++k) v[k] = std::fma(v[k], a, b);
        for (int k = 0; k < V; ++k) x[k] = v[k];
    }
};

#if CH00_PEAK_X86
// V registers of 4 doubles. The target attribute lets the compiler use AVX2 and FMA in this function
// only, whatever the rest of the program was compiled for; run() calls it only when the CPU has them.
//! [avx2]
template <int V>
struct Avx2 {
    __attribute__((target("avx2,fma"))) static void run(double* x, double a, double b, std::int64_t steps) {
        __m256d v[V];
        for (int k = 0; k < V; ++k) v[k] = _mm256_loadu_pd(x + 4 * k);
        const __m256d va = _mm256_set1_pd(a), vb = _mm256_set1_pd(b);
        for (std::int64_t s = 0; s < steps; ++s) {
#pragma GCC unroll 16
            for (int k = 0; k < V; ++k) v[k] = _mm256_fmadd_pd(v[k], va, vb);  // V independent fmas
        }
        for (int k = 0; k < V; ++k) _mm256_storeu_pd(x + 4 * k, v[k]);
    }
};
//! [avx2]

template <int V>
struct Avx512 {
    __attribute__((target("avx512f"))) static void run(double* x, double a, double b, std::int64_t steps) {
        __m512d v[V];
        for (int k = 0; k < V; ++k) v[k] = _mm512_loadu_pd(x + 8 * k);
        const __m512d va = _mm512_set1_pd(a), vb = _mm512_set1_pd(b);
        for (std::int64_t s = 0; s < steps; ++s) {
#pragma GCC unroll 16
            for (int k = 0; k < V; ++k) v[k] = _mm512_fmadd_pd(v[k], va, vb);
        }
        for (int k = 0; k < V; ++k) _mm512_storeu_pd(x + 8 * k, v[k]);
    }
};
#endif

template <template <int> class K, std::size_t... I>
constexpr std::array<Kernel, sizeof...(I)> table(std::index_sequence<I...>) {
    return {&K<kVectorCounts[I]>::run...};
}
template <template <int> class K>
constexpr auto table() {
    return table<K>(std::make_index_sequence<kVectorCounts.size()>{});
}

Kernel kernel(Isa isa, int vectors) {
    std::size_t i = 0;
    while (i < kVectorCounts.size() && kVectorCounts[i] != vectors) ++i;
    if (i == kVectorCounts.size()) throw std::invalid_argument("peak::run: unsupported vector count");
    bool ok = false;
    for (Isa have : available()) ok = ok || have == isa;
    if (!ok) throw std::invalid_argument(std::string("peak::run: this CPU cannot run the ") + name(isa) + " path");
    switch (isa) {
        case Isa::generic: {
            static constexpr auto t = table<Generic>();
            return t[i];
        }
#if CH00_PEAK_X86
        case Isa::avx2: {
            static constexpr auto t = table<Avx2>();
            return t[i];
        }
        case Isa::avx512: {
            static constexpr auto t = table<Avx512>();
            return t[i];
        }
#else
        default:
            break;
#endif
    }
    throw std::invalid_argument("peak::run: unknown path");
}

// x = fma(x, a, b) converges to b / (1 - a) = 1: the values stay finite and far from subnormals.
constexpr double kA = 0.999;
constexpr double kB = 0.001;

std::vector<double> start_values(std::size_t n, int seed) {
    std::vector<double> x(n);
    for (std::size_t j = 0; j < n; ++j) x[j] = 0.5 + 0.01 * static_cast<double>(j) + 0.001 * seed;
    return x;
}

}  // namespace

std::vector<Isa> available() {
    std::vector<Isa> out{Isa::generic};
#if CH00_PEAK_X86
    const wb::CpuFeatures f = wb::cpu_features();
    if (f.avx2_fma) out.push_back(Isa::avx2);
    if (f.avx512f) out.push_back(Isa::avx512);
#endif
    return out;
}

Isa widest() { return available().back(); }

const char* name(Isa isa) {
    switch (isa) {
        case Isa::generic:
            return "generic";
        case Isa::avx2:
            return "AVX2+FMA";
        case Isa::avx512:
            return "AVX-512F";
    }
    return "?";
}

int lanes(Isa isa) {
    switch (isa) {
        case Isa::generic:
            return 1;
        case Isa::avx2:
            return 4;
        case Isa::avx512:
            return 8;
    }
    return 1;
}

void run(Isa isa, int vectors, std::span<double> x, double a, double b, std::int64_t steps) {
    const Kernel k = kernel(isa, vectors);
    if (x.size() != static_cast<std::size_t>(vectors * lanes(isa)))
        throw std::invalid_argument("peak::run: x must hold vectors * lanes values");
    if (steps < 0) throw std::invalid_argument("peak::run: steps must not be negative");
    k(x.data(), a, b, steps);
}

double flops(Isa isa, int vectors, std::int64_t steps, int threads) {
    return 2.0 * vectors * lanes(isa) * static_cast<double>(steps) * threads;
}

double run_threads(Isa isa, int vectors, int threads, std::int64_t steps) {
    const Kernel k = kernel(isa, vectors);
    const auto n = static_cast<std::size_t>(vectors * lanes(isa));
    double checksum = 0.0;
#pragma omp parallel num_threads(threads) reduction(+ : checksum)
    {
        std::vector<double> x = start_values(n, omp_get_thread_num());
        k(x.data(), kA, kB, steps);
        for (double v : x) checksum += v;
    }
    return checksum;
}

std::string self_check() {
    const double a = kA, b = kB;  // not exact: every step rounds, so a path that did not fuse would differ
    const std::int64_t steps = 1000;
    for (Isa isa : available()) {
        for (int vectors : kVectorCounts) {
            std::vector<double> x = start_values(static_cast<std::size_t>(vectors * lanes(isa)), vectors);
            std::vector<double> expected = x;
            for (double& v : expected)
                for (std::int64_t s = 0; s < steps; ++s) v = std::fma(v, a, b);
            run(isa, vectors, x, a, b, steps);
            for (std::size_t j = 0; j < x.size(); ++j)
                if (x[j] != expected[j]) {
                    char msg[200];
                    std::snprintf(msg, sizeof msg, "%s path, %d vectors: chain %zu ends at %.17g, std::fma gives %.17g",
                                  name(isa), vectors, j, x[j], expected[j]);
                    return msg;
                }
        }
    }
    return "";
}

std::uint64_t add_chain(std::int64_t blocks) {
    static volatile std::uint64_t step = 1;
    const std::uint64_t k = step;  // read at run time: an addition of a known constant could be folded
    std::uint64_t x = 0;
    for (std::int64_t i = 0; i < blocks; ++i) {
#pragma GCC unroll 16
        for (int u = 0; u < 16; ++u) {
            x += k;
            // No instruction; x must be in a register after every addition, so the compiler cannot
            // merge the 16 additions into one.
            asm volatile("" : "+r"(x));
        }
    }
    return x;
}

}  // namespace ch00::peak
