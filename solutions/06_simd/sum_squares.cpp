// EXERCISE 06.2 Goal: the sum of squares with AVX2 and AVX-512 vector registers: several vector
// accumulators, a horizontal add at the end, and the elements that do not fill a whole vector.
//
// What the grade checks: on every path this CPU has (scalar, avx2, avx512), for every size 0 to 70 and
// some large ones, the result is within n * 2^-53 (relative) of a long-double reference; a vector path
// that reads past the end of x fails under AddressSanitizer. The speed report times the widest path
// against the reference, on data in the L1 cache (goal 0.7).
// Read first: chapters/06_simd/README.md, sections "Intrinsics" and "Horizontal sums and tails".
// Stuck? `./wb hint 06.2` shows a hint, one stage per call.
#include "ch06/sum_squares.hpp"

#include <cstddef>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace ch06 {
WB_IMPL_BEGIN
namespace {

// Four independent chains: the additions of one chain wait for each other, four chains overlap.
double scalar_path(const double* p, std::size_t n) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 += p[i] * p[i];
        s1 += p[i + 1] * p[i + 1];
        s2 += p[i + 2] * p[i + 2];
        s3 += p[i + 3] * p[i + 3];
    }
    for (; i < n; ++i) s0 += p[i] * p[i];
    return (s0 + s1) + (s2 + s3);
}

#if defined(__x86_64__)
__attribute__((target("avx2,fma"))) double avx2_path(const double* p, std::size_t n) {
    __m256d a0 = _mm256_setzero_pd(), a1 = _mm256_setzero_pd(), a2 = _mm256_setzero_pd(),
            a3 = _mm256_setzero_pd();
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m256d v0 = _mm256_loadu_pd(p + i), v1 = _mm256_loadu_pd(p + i + 4);
        const __m256d v2 = _mm256_loadu_pd(p + i + 8), v3 = _mm256_loadu_pd(p + i + 12);
        a0 = _mm256_fmadd_pd(v0, v0, a0);
        a1 = _mm256_fmadd_pd(v1, v1, a1);
        a2 = _mm256_fmadd_pd(v2, v2, a2);
        a3 = _mm256_fmadd_pd(v3, v3, a3);
    }
    for (; i + 4 <= n; i += 4) {
        const __m256d v = _mm256_loadu_pd(p + i);
        a0 = _mm256_fmadd_pd(v, v, a0);
    }
    const __m256d a = _mm256_add_pd(_mm256_add_pd(a0, a1), _mm256_add_pd(a2, a3));
    // Horizontal add: the two 128-bit halves, then the two doubles of what is left.
    __m128d h = _mm_add_pd(_mm256_castpd256_pd128(a), _mm256_extractf128_pd(a, 1));
    h = _mm_add_sd(h, _mm_unpackhi_pd(h, h));
    double s = _mm_cvtsd_f64(h);
    for (; i < n; ++i) s += p[i] * p[i];
    return s;
}

__attribute__((target("avx512f,avx512vl,avx512dq,avx512bw,avx2,fma"))) double avx512_path(const double* p,
                                                                                         std::size_t n) {
    __m512d a0 = _mm512_setzero_pd(), a1 = _mm512_setzero_pd(), a2 = _mm512_setzero_pd(),
            a3 = _mm512_setzero_pd();
    std::size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        const __m512d v0 = _mm512_loadu_pd(p + i), v1 = _mm512_loadu_pd(p + i + 8);
        const __m512d v2 = _mm512_loadu_pd(p + i + 16), v3 = _mm512_loadu_pd(p + i + 24);
        a0 = _mm512_fmadd_pd(v0, v0, a0);
        a1 = _mm512_fmadd_pd(v1, v1, a1);
        a2 = _mm512_fmadd_pd(v2, v2, a2);
        a3 = _mm512_fmadd_pd(v3, v3, a3);
    }
    for (; i + 8 <= n; i += 8) {
        const __m512d v = _mm512_loadu_pd(p + i);
        a0 = _mm512_fmadd_pd(v, v, a0);
    }
    // The last n - i < 8 elements: a masked load reads only them (the other lanes are 0).
    const __mmask8 tail = static_cast<__mmask8>((1u << (n - i)) - 1u);
    const __m512d v = _mm512_maskz_loadu_pd(tail, p + i);
    a1 = _mm512_fmadd_pd(v, v, a1);
    const __m512d a = _mm512_add_pd(_mm512_add_pd(a0, a1), _mm512_add_pd(a2, a3));
    // The two 256-bit halves added. (The maskz_ form of the extract, every lane kept: the plain one, and
    // even the cast, trip -Wuninitialized inside GCC 12's own header.)
    const __m256d q = _mm256_add_pd(_mm512_maskz_extractf64x4_pd(0xF, a, 0), _mm512_maskz_extractf64x4_pd(0xF, a, 1));
    __m128d h = _mm_add_pd(_mm256_castpd256_pd128(q), _mm256_extractf128_pd(q, 1));
    h = _mm_add_sd(h, _mm_unpackhi_pd(h, h));
    return _mm_cvtsd_f64(h);
}
#endif

}  // namespace

double sum_squares(std::span<const double> x, wb::Isa isa) {
    switch (isa) {
#if defined(__x86_64__)
        case wb::Isa::avx512: return avx512_path(x.data(), x.size());
        case wb::Isa::avx2: return avx2_path(x.data(), x.size());
#endif
        default: return scalar_path(x.data(), x.size());
    }
}

WB_IMPL_END
}  // namespace ch06
