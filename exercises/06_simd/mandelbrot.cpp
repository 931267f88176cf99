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
    // EXERCISE: dst[col] = escape_time(cx[col], cy, max_iter) for col = 0 .. width-1, 4 pixels per
    // 256-bit register and two registers in flight: every lane iterates until its own pixel escapes (or
    // max_iter), the loop ends when no lane is left, and the counts equal the scalar ones exactly.
    // cx has at least 16 readable entries past width.
    WB_TODO("06.4");
}

__attribute__((target("avx512f,avx512vl,avx512dq,avx512bw,avx2,fma"))) CH06_NO_FMA_CONTRACTION void row_avx512(const double* cx, int width,
                                                                                     double cy, int max_iter,
                                                                                     int* dst) {
    // EXERCISE: the same with 8 pixels per 512-bit register, two registers in flight, and mask registers.
    WB_TODO("06.4");
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
