// ways.cpp: the baseline (x86-64, SSE2) copies of the omp simd and std::experimental::simd kernels, the
// dispatch to the AVX2 and AVX-512 copies, the plain loops, and the moving averages.
#define WB_WAYS_NS base
#include "ways_impl.hpp"
// (ways_impl.hpp is meant to be included once per file, with a different namespace each time.)

#include "ways.hpp"

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "ways_isa.hpp"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace ch06::ways {
namespace {

// The copy of an entry point for `isa`, compiled with that instruction set's flags.
#if defined(__x86_64__)
#define WB_PICK(isa, fn) ((isa) == wb::Isa::avx512 ? avx512::fn : (isa) == wb::Isa::avx2 ? avx2::fn : base::fn)
#else
#define WB_PICK(isa, fn) base::fn
#endif

#if defined(__x86_64__)
//! [intrinsics_sum]
__attribute__((target("avx2,fma"))) double sum_avx2(const double* p, std::size_t n) {
    __m256d a0 = _mm256_setzero_pd(), a1 = a0, a2 = a0, a3 = a0;
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        a0 = _mm256_add_pd(a0, _mm256_loadu_pd(p + i));
        a1 = _mm256_add_pd(a1, _mm256_loadu_pd(p + i + 4));
        a2 = _mm256_add_pd(a2, _mm256_loadu_pd(p + i + 8));
        a3 = _mm256_add_pd(a3, _mm256_loadu_pd(p + i + 12));
    }
    const __m256d a = _mm256_add_pd(_mm256_add_pd(a0, a1), _mm256_add_pd(a2, a3));
    __m128d h = _mm_add_pd(_mm256_castpd256_pd128(a), _mm256_extractf128_pd(a, 1));
    h = _mm_add_sd(h, _mm_unpackhi_pd(h, h));
    double s = _mm_cvtsd_f64(h);
    for (; i < n; ++i) s += p[i];
    return s;
}
//! [intrinsics_sum]

__attribute__((target("avx512f,avx512vl,avx512dq,avx512bw,avx2,fma"))) double sum_avx512(const double* p,
                                                                                        std::size_t n) {
    __m512d a0 = _mm512_setzero_pd(), a1 = a0, a2 = a0, a3 = a0;
    std::size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        a0 = _mm512_add_pd(a0, _mm512_loadu_pd(p + i));
        a1 = _mm512_add_pd(a1, _mm512_loadu_pd(p + i + 8));
        a2 = _mm512_add_pd(a2, _mm512_loadu_pd(p + i + 16));
        a3 = _mm512_add_pd(a3, _mm512_loadu_pd(p + i + 24));
    }
    for (; i + 8 <= n; i += 8) a0 = _mm512_add_pd(a0, _mm512_loadu_pd(p + i));
    a1 = _mm512_add_pd(a1, _mm512_maskz_loadu_pd(static_cast<__mmask8>((1u << (n - i)) - 1u), p + i));
    const __m512d a = _mm512_add_pd(_mm512_add_pd(a0, a1), _mm512_add_pd(a2, a3));
    const __m256d q = _mm256_add_pd(_mm512_maskz_extractf64x4_pd(0xF, a, 0), _mm512_maskz_extractf64x4_pd(0xF, a, 1));
    __m128d h = _mm_add_pd(_mm256_castpd256_pd128(q), _mm256_extractf128_pd(q, 1));
    h = _mm_add_sd(h, _mm_unpackhi_pd(h, h));
    return _mm_cvtsd_f64(h);
}
#endif

// The real parts of a row's pixels, padded with 16 points far outside the set.
std::vector<double> row_cx(const Frame& f) {
    std::vector<double> cx(static_cast<std::size_t>(f.width) + 16, 10.0);
    for (int col = 0; col < f.width; ++col) cx[static_cast<std::size_t>(col)] = pixel_x(f, col);
    return cx;
}

using RowFn = void (*)(const double*, int, double, int, int*);
void mandelbrot_rows(const Frame& f, std::span<int> out, RowFn row_fn) {
    if (out.size() != pixels(f)) throw std::invalid_argument("mandelbrot: out has the wrong size");
    const std::vector<double> cx = row_cx(f);
    for (int row = 0; row < f.height; ++row)
        row_fn(cx.data(), f.width, pixel_y(f, row), f.max_iter,
               out.data() + static_cast<std::size_t>(row) * static_cast<std::size_t>(f.width));
}

using NbodyFn = void (*)(const double*, const double*, const double*, const double*, std::size_t, std::size_t,
                         std::size_t, double*, double*, double*);
void nbody_blocks(const Bodies& b, Accel& a, int threads, NbodyFn fn) {
    const std::size_t n = b.size();
    a = Accel(n);
    constexpr std::size_t kBlock = 64;  // bodies per task: a multiple of every vector width
    const auto blocks = static_cast<long>((n + kBlock - 1) / kBlock);
#pragma omp parallel for schedule(static) num_threads(threads)
    for (long k = 0; k < blocks; ++k) {
        const std::size_t begin = static_cast<std::size_t>(k) * kBlock, end = std::min(n, begin + kBlock);
        fn(b.x.data(), b.y.data(), b.z.data(), b.m.data(), n, begin, end, a.x.data(), a.y.data(), a.z.data());
    }
}

}  // namespace

double sum_serial(std::span<const double> x) {
    double s = 0.0;
    for (double v : x) s += v;
    return s;
}
double sumsq_serial(std::span<const double> x) {
    double s = 0.0;
    for (double v : x) s += v * v;
    return s;
}
double sum_omp_simd(std::span<const double> x, wb::Isa isa) { return WB_PICK(isa, entry_sum_omp)(x.data(), x.size()); }
double sumsq_omp_simd(std::span<const double> x, wb::Isa isa) {
    return WB_PICK(isa, entry_sumsq_omp)(x.data(), x.size());
}
double sum_stdx(std::span<const double> x, wb::Isa isa) { return WB_PICK(isa, entry_sum_stdx)(x.data(), x.size()); }
double sumsq_stdx(std::span<const double> x, wb::Isa isa) {
    return WB_PICK(isa, entry_sumsq_stdx)(x.data(), x.size());
}
double sum_intrinsics(std::span<const double> x, wb::Isa isa) {
#if defined(__x86_64__)
    if (isa == wb::Isa::avx512) return sum_avx512(x.data(), x.size());
    if (isa == wb::Isa::avx2) return sum_avx2(x.data(), x.size());
#endif
    (void)isa;
    return sum_serial(x);
}

// ---- moving averages ----------------------------------------------------------------------------------
namespace {
void check_window(std::span<const double> x, std::size_t w, std::span<double> out) {
    if (w < 1 || w > x.size() || out.size() != x.size() - w + 1)
        throw std::invalid_argument("moving average: need 1 <= w <= n and n - w + 1 outputs");
}
}  // namespace

//! [moving_three]
void moving_naive(std::span<const double> x, std::size_t w, std::span<double> out) {
    check_window(x, w, out);
    for (std::size_t i = 0; i < out.size(); ++i) {
        double s = 0.0;
#pragma omp simd reduction(+ : s)
        for (std::size_t k = 0; k < w; ++k) s += x[i + k];
        out[i] = s / static_cast<double>(w);
    }
}

void moving_sliding(std::span<const double> x, std::size_t w, std::span<double> out) {
    check_window(x, w, out);
    double s = 0.0;
    for (std::size_t k = 0; k < w; ++k) s += x[k];
    out[0] = s / static_cast<double>(w);
    for (std::size_t i = 1; i < out.size(); ++i) {
        s += x[i + w - 1] - x[i - 1];  // one rounding error per step, never taken back
        out[i] = s / static_cast<double>(w);
    }
}

void moving_cumsum(std::span<const double> x, std::size_t w, std::span<double> out) {
    check_window(x, w, out);
    double total = 0.0;  // P[i]: the sum of x[0 .. i), kept only as far back as the window reaches
    std::vector<double> p(x.size() + 1);
    for (std::size_t i = 0; i < x.size(); ++i) p[i + 1] = total += x[i];
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = (p[i + w] - p[i]) / static_cast<double>(w);
}
//! [moving_three]

// ---- Mandelbrot and N-body ------------------------------------------------------------------------------
void mandelbrot_omp_simd(const Frame& f, std::span<int> out, wb::Isa isa) {
    mandelbrot_rows(f, out, WB_PICK(isa, entry_mandelbrot_omp));
}
void mandelbrot_stdx(const Frame& f, std::span<int> out, wb::Isa isa) {
    mandelbrot_rows(f, out, WB_PICK(isa, entry_mandelbrot_stdx));
}
void nbody_omp_simd(const Bodies& b, Accel& a, wb::Isa isa, int threads) {
    nbody_blocks(b, a, threads, WB_PICK(isa, entry_nbody_omp));
}
void nbody_stdx(const Bodies& b, Accel& a, wb::Isa isa, int threads) {
    nbody_blocks(b, a, threads, WB_PICK(isa, entry_nbody_stdx));
}

}  // namespace ch06::ways
