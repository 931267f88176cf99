// EXERCISE 06.4 Goal: Mandelbrot with 4 (AVX2) or 8 (AVX-512) pixels per vector register and two
// registers in flight, each lane iterating until its own pixel escapes.
//
// What the grade checks: on every path this CPU has (scalar, avx2, avx512) every escape count equals
// escape_time() of the same pixel, exactly, on frames whose widths are not multiples of the vector
// width (1, 3, 13, 37 and 100 pixels wide), with 1 to 500 iterations. The speed report times the widest
// path against the reference on one thread (goal 0.7); the program prints its speedup over the scalar
// loop beside the vector width.
// Read first: chapters/06_simd/README.md, section "Mandelbrot: masks instead of branches".
// Stuck? `./wb hint 06.4` shows a hint, one stage per call.
#include "ch06/mandelbrot.hpp"

#include <cstddef>
#include <stdexcept>
#include <vector>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace ch06 {
WB_IMPL_BEGIN
namespace {

// One row: cx[0 .. width) holds the real parts of its pixels (and a few padding entries after them).
void row_scalar(const double* cx, int width, double cy, int max_iter, int* dst) {
    for (int col = 0; col < width; ++col) dst[col] = escape_time(cx[col], cy, max_iter);
}

#if defined(__x86_64__)
__attribute__((target("avx2,fma"))) CH06_NO_FMA_CONTRACTION void row_avx2(const double* cx, int width, double cy, int max_iter, int* dst) {
    const __m256d four = _mm256_set1_pd(4.0), one = _mm256_set1_pd(1.0), vcy = _mm256_set1_pd(cy);
    for (int col = 0; col < width; col += 8) {
        const __m256d cx0 = _mm256_loadu_pd(cx + col), cx1 = _mm256_loadu_pd(cx + col + 4);
        __m256d zx0 = _mm256_setzero_pd(), zy0 = zx0, n0 = zx0, zx1 = zx0, zy1 = zx0, n1 = zx0;
        __m256d live0 = _mm256_castsi256_pd(_mm256_set1_epi64x(-1)), live1 = live0;
        for (int it = 0; it < max_iter; ++it) {
            const __m256d x20 = _mm256_mul_pd(zx0, zx0), y20 = _mm256_mul_pd(zy0, zy0);
            const __m256d x21 = _mm256_mul_pd(zx1, zx1), y21 = _mm256_mul_pd(zy1, zy1);
            // A lane stays live while |z|^2 <= 4; once escaped it never comes back.
            live0 = _mm256_and_pd(live0, _mm256_cmp_pd(_mm256_add_pd(x20, y20), four, _CMP_LE_OQ));
            live1 = _mm256_and_pd(live1, _mm256_cmp_pd(_mm256_add_pd(x21, y21), four, _CMP_LE_OQ));
            if (_mm256_movemask_pd(_mm256_or_pd(live0, live1)) == 0) break;
            n0 = _mm256_add_pd(n0, _mm256_and_pd(live0, one));
            n1 = _mm256_add_pd(n1, _mm256_and_pd(live1, one));
            // The scalar loop's arithmetic exactly: multiply, then add, never a fused multiply-add.
            zy0 = _mm256_add_pd(_mm256_mul_pd(_mm256_add_pd(zx0, zx0), zy0), vcy);
            zy1 = _mm256_add_pd(_mm256_mul_pd(_mm256_add_pd(zx1, zx1), zy1), vcy);
            zx0 = _mm256_add_pd(_mm256_sub_pd(x20, y20), cx0);
            zx1 = _mm256_add_pd(_mm256_sub_pd(x21, y21), cx1);
        }
        alignas(32) int counts[8];
        _mm_store_si128(reinterpret_cast<__m128i*>(counts), _mm256_cvtpd_epi32(n0));
        _mm_store_si128(reinterpret_cast<__m128i*>(counts + 4), _mm256_cvtpd_epi32(n1));
        for (int k = 0; k < 8 && col + k < width; ++k) dst[col + k] = counts[k];
    }
}

__attribute__((target("avx512f,avx512vl,avx512dq,avx512bw,avx2,fma"))) CH06_NO_FMA_CONTRACTION void row_avx512(const double* cx, int width,
                                                                                     double cy, int max_iter,
                                                                                     int* dst) {
    const __m512d four = _mm512_set1_pd(4.0), one = _mm512_set1_pd(1.0), vcy = _mm512_set1_pd(cy);
    for (int col = 0; col < width; col += 16) {
        const __m512d cx0 = _mm512_loadu_pd(cx + col), cx1 = _mm512_loadu_pd(cx + col + 8);
        __m512d zx0 = _mm512_setzero_pd(), zy0 = zx0, n0 = zx0, zx1 = zx0, zy1 = zx0, n1 = zx0;
        __mmask8 live0 = 0xFF, live1 = 0xFF;
        for (int it = 0; it < max_iter; ++it) {
            const __m512d x20 = _mm512_mul_pd(zx0, zx0), y20 = _mm512_mul_pd(zy0, zy0);
            const __m512d x21 = _mm512_mul_pd(zx1, zx1), y21 = _mm512_mul_pd(zy1, zy1);
            live0 = _mm512_mask_cmp_pd_mask(live0, _mm512_add_pd(x20, y20), four, _CMP_LE_OQ);
            live1 = _mm512_mask_cmp_pd_mask(live1, _mm512_add_pd(x21, y21), four, _CMP_LE_OQ);
            if ((live0 | live1) == 0) break;
            n0 = _mm512_mask_add_pd(n0, live0, n0, one);
            n1 = _mm512_mask_add_pd(n1, live1, n1, one);
            zy0 = _mm512_add_pd(_mm512_mul_pd(_mm512_add_pd(zx0, zx0), zy0), vcy);
            zy1 = _mm512_add_pd(_mm512_mul_pd(_mm512_add_pd(zx1, zx1), zy1), vcy);
            zx0 = _mm512_add_pd(_mm512_sub_pd(x20, y20), cx0);
            zx1 = _mm512_add_pd(_mm512_sub_pd(x21, y21), cx1);
        }
        // Store only the lanes that are pixels of this row. (maskz_ conversions with every lane on: the
        // plain ones trip GCC 12's -Wuninitialized inside its own header.)
        const int left = width - col;
        const auto m0 = static_cast<__mmask8>(left >= 8 ? 0xFF : (1u << left) - 1u);
        const auto m1 = static_cast<__mmask8>(left >= 16 ? 0xFF : left <= 8 ? 0u : (1u << (left - 8)) - 1u);
        _mm256_mask_storeu_epi32(dst + col, m0, _mm512_maskz_cvtpd_epi32(0xFF, n0));
        _mm256_mask_storeu_epi32(dst + col + 8, m1, _mm512_maskz_cvtpd_epi32(0xFF, n1));
    }
}
#endif

}  // namespace

void mandelbrot_simd(const Frame& f, std::span<int> out, wb::Isa isa) {
    if (out.size() != pixels(f)) throw std::invalid_argument("mandelbrot_simd: out has the wrong size");
    // The real parts of one row, computed once in plain C++ (the reference's rounding), padded to a
    // whole number of 16-lane groups with a point far outside the set, which escapes at once.
    std::vector<double> cx(static_cast<std::size_t>(f.width) + 16, 10.0);
    for (int col = 0; col < f.width; ++col) cx[static_cast<std::size_t>(col)] = pixel_x(f, col);
    for (int row = 0; row < f.height; ++row) {
        int* dst = out.data() + static_cast<std::size_t>(row) * static_cast<std::size_t>(f.width);
        const double cy = pixel_y(f, row);
        switch (isa) {
#if defined(__x86_64__)
            case wb::Isa::avx512: row_avx512(cx.data(), f.width, cy, f.max_iter, dst); break;
            case wb::Isa::avx2: row_avx2(cx.data(), f.width, cy, f.max_iter, dst); break;
#endif
            default: row_scalar(cx.data(), f.width, cy, f.max_iter, dst); break;
        }
    }
}

WB_IMPL_END
}  // namespace ch06
