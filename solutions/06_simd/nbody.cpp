// EXERCISE 06.5 Goal: the N-body accelerations with 4 or 8 bodies per vector register (structure of
// arrays), the reciprocal square root from the CPU's fast approximation refined by Newton steps, and
// the bodies shared among OpenMP threads.
//
// What the grade checks: on every path this CPU has (scalar, avx2, avx512), for 1 to cores+2 threads and
// body counts that are not multiples of the vector width (1, 5, 13, 100, 257), every component within
// 1e-12 * force_scale(b, i) of the double-precision reference: the fast approximation alone (12 or 14
// correct bits) or with one Newton step too few is far outside that. The speed report times the
// widest path on one thread against the reference (goal 0.7).
// Read first: chapters/06_simd/README.md, section "N-body: structure of arrays and a fast 1/sqrt".
// Stuck? `./wb hint 06.5` shows a hint, one stage per call.
#include "ch06/nbody.hpp"

#include <cmath>
#include <cstddef>
#include <stdexcept>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace ch06 {
WB_IMPL_BEGIN
namespace {

// Bodies [begin, end): the plain loop, a correctly rounded square root and a division.
void range_scalar(const Bodies& b, Accel& a, std::size_t begin, std::size_t end) {
    const std::size_t n = b.size();
    for (std::size_t i = begin; i < end; ++i) {
        double ax = 0, ay = 0, az = 0;
        for (std::size_t j = 0; j < n; ++j) {
            const double dx = b.x[j] - b.x[i], dy = b.y[j] - b.y[i], dz = b.z[j] - b.z[i];
            const double r2 = dx * dx + dy * dy + dz * dz + kSoftening2;
            const double s = b.m[j] / (r2 * std::sqrt(r2));
            ax += dx * s;
            ay += dy * s;
            az += dz * s;
        }
        a.x[i] = ax;
        a.y[i] = ay;
        a.z[i] = az;
    }
}

#if defined(__x86_64__)
// Bodies i .. i+3 (fewer at the end: `lanes` of them) against every body j.
__attribute__((target("avx2,fma"))) void group_avx2(const Bodies& b, Accel& a, std::size_t i, std::size_t lanes) {
    const std::size_t n = b.size();
    const __m256i keep = _mm256_cmpgt_epi64(_mm256_set1_epi64x(static_cast<long long>(lanes)),
                                            _mm256_setr_epi64x(0, 1, 2, 3));
    const __m256d xi = _mm256_maskload_pd(&b.x[i], keep), yi = _mm256_maskload_pd(&b.y[i], keep),
                  zi = _mm256_maskload_pd(&b.z[i], keep);
    const __m256d eps = _mm256_set1_pd(kSoftening2), half = _mm256_set1_pd(0.5), three_halves = _mm256_set1_pd(1.5);
    __m256d ax = _mm256_setzero_pd(), ay = ax, az = ax;
    for (std::size_t j = 0; j < n; ++j) {
        const __m256d dx = _mm256_sub_pd(_mm256_set1_pd(b.x[j]), xi), dy = _mm256_sub_pd(_mm256_set1_pd(b.y[j]), yi),
                      dz = _mm256_sub_pd(_mm256_set1_pd(b.z[j]), zi);
        const __m256d r2 = _mm256_fmadd_pd(dx, dx, _mm256_fmadd_pd(dy, dy, _mm256_fmadd_pd(dz, dz, eps)));
        // AVX2 has no double-precision estimate: the float one (12 bits), converted back to double.
        __m256d y = _mm256_cvtps_pd(_mm_rsqrt_ps(_mm256_cvtpd_ps(r2)));
        const __m256d h = _mm256_mul_pd(half, r2);
        // Newton's step y <- y (3/2 - r2/2 y^2) doubles the correct bits: 12 -> 23 -> 46.
        y = _mm256_mul_pd(y, _mm256_fnmadd_pd(h, _mm256_mul_pd(y, y), three_halves));
        y = _mm256_mul_pd(y, _mm256_fnmadd_pd(h, _mm256_mul_pd(y, y), three_halves));
        const __m256d s = _mm256_mul_pd(_mm256_set1_pd(b.m[j]), _mm256_mul_pd(_mm256_mul_pd(y, y), y));
        ax = _mm256_fmadd_pd(dx, s, ax);
        ay = _mm256_fmadd_pd(dy, s, ay);
        az = _mm256_fmadd_pd(dz, s, az);
    }
    _mm256_maskstore_pd(&a.x[i], keep, ax);
    _mm256_maskstore_pd(&a.y[i], keep, ay);
    _mm256_maskstore_pd(&a.z[i], keep, az);
}

__attribute__((target("avx512f,avx512vl,avx512dq,avx512bw,avx2,fma"))) void group_avx512(const Bodies& b, Accel& a,
                                                                                        std::size_t i,
                                                                                        std::size_t lanes) {
    const std::size_t n = b.size();
    const auto keep = static_cast<__mmask8>(lanes >= 8 ? 0xFFu : (1u << lanes) - 1u);
    const __m512d xi = _mm512_maskz_loadu_pd(keep, &b.x[i]), yi = _mm512_maskz_loadu_pd(keep, &b.y[i]),
                  zi = _mm512_maskz_loadu_pd(keep, &b.z[i]);
    const __m512d eps = _mm512_set1_pd(kSoftening2), half = _mm512_set1_pd(0.5), three_halves = _mm512_set1_pd(1.5);
    __m512d ax = _mm512_setzero_pd(), ay = ax, az = ax;
    for (std::size_t j = 0; j < n; ++j) {
        const __m512d dx = _mm512_sub_pd(_mm512_set1_pd(b.x[j]), xi), dy = _mm512_sub_pd(_mm512_set1_pd(b.y[j]), yi),
                      dz = _mm512_sub_pd(_mm512_set1_pd(b.z[j]), zi);
        const __m512d r2 = _mm512_fmadd_pd(dx, dx, _mm512_fmadd_pd(dy, dy, _mm512_fmadd_pd(dz, dz, eps)));
        // The double-precision estimate has 14 correct bits: 14 -> 28 -> 53 in two Newton steps.
        __m512d y = _mm512_maskz_rsqrt14_pd(0xFF, r2);  // maskz_: GCC 12's plain form warns in its header
        const __m512d h = _mm512_mul_pd(half, r2);
        y = _mm512_mul_pd(y, _mm512_fnmadd_pd(h, _mm512_mul_pd(y, y), three_halves));
        y = _mm512_mul_pd(y, _mm512_fnmadd_pd(h, _mm512_mul_pd(y, y), three_halves));
        const __m512d s = _mm512_mul_pd(_mm512_set1_pd(b.m[j]), _mm512_mul_pd(_mm512_mul_pd(y, y), y));
        ax = _mm512_fmadd_pd(dx, s, ax);
        ay = _mm512_fmadd_pd(dy, s, ay);
        az = _mm512_fmadd_pd(dz, s, az);
    }
    _mm512_mask_storeu_pd(&a.x[i], keep, ax);
    _mm512_mask_storeu_pd(&a.y[i], keep, ay);
    _mm512_mask_storeu_pd(&a.z[i], keep, az);
}
#endif

}  // namespace

void accelerations(const Bodies& b, Accel& a, wb::Isa isa, int threads) {
    if (threads < 1) throw std::invalid_argument("accelerations: threads < 1");
    const std::size_t n = b.size();
    if (b.y.size() != n || b.z.size() != n || b.m.size() != n)
        throw std::invalid_argument("accelerations: x, y, z and m differ in size");
    a = Accel(n);
    const auto lanes = static_cast<std::size_t>(wb::isa_doubles(isa));
    const auto groups = static_cast<long>((n + lanes - 1) / lanes);
    // Groups of `lanes` bodies are independent: the threads share them.
#pragma omp parallel for schedule(static) num_threads(threads)
    for (long g = 0; g < groups; ++g) {
        const std::size_t i = static_cast<std::size_t>(g) * lanes;
        const std::size_t count = n - i < lanes ? n - i : lanes;
        switch (isa) {
#if defined(__x86_64__)
            case wb::Isa::avx512: group_avx512(b, a, i, count); break;
            case wb::Isa::avx2: group_avx2(b, a, i, count); break;
#endif
            default: range_scalar(b, a, i, i + count); break;
        }
    }
}

WB_IMPL_END
}  // namespace ch06
