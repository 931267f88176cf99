// ways_impl.hpp: the omp simd and std::experimental::simd versions of the kernels, written once and
// compiled three times: in ways.cpp (x86-64 baseline), ways_avx2.cpp and ways_avx512.cpp, each inside its
// own namespace. Both ways take their vector width from the flags of the file that includes them (the
// point of the _avx2 / _avx512 file names). Only raw pointers cross into here: no library inline function
// is compiled with wider instructions than its other copies expect.
//
// Include with WB_WAYS_NS defined (the namespace name).
#include <experimental/simd>

#include <cmath>
#include <cstddef>

#include "ch06/kernels.hpp"

// The N-body loop below asks for vectors with omp simd and does not get them: std::sqrt may set errno
// (the lesson's point). clang says so with a warning, which is no error here.
#if defined(__clang__)
#pragma clang diagnostic ignored "-Wpass-failed"
#endif

namespace ch06::ways::WB_WAYS_NS {
namespace stdx = std::experimental;

// [omp_simd_sum]
template <bool Square>
double sum_omp_simd(const double* p, std::size_t n) {
    double s = 0.0;
    // The reduction clause lets the compiler keep one partial sum per lane (and add them at the end).
#pragma omp simd reduction(+ : s)
    for (std::size_t i = 0; i < n; ++i) s += Square ? p[i] * p[i] : p[i];
    return s;
}
// [omp_simd_sum]

// [stdx_sum]
template <bool Square>
double sum_stdx(const double* p, std::size_t n) {
    using V = stdx::native_simd<double>;  // 2, 4 or 8 lanes: the width of this file's flags
    constexpr std::size_t L = V::size();
    V a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0;  // four accumulators: four chains in flight
    std::size_t i = 0;
    for (; i + 4 * L <= n; i += 4 * L) {
        V v0(p + i, stdx::element_aligned), v1(p + i + L, stdx::element_aligned);
        V v2(p + i + 2 * L, stdx::element_aligned), v3(p + i + 3 * L, stdx::element_aligned);
        if constexpr (Square) {
            a0 += v0 * v0, a1 += v1 * v1, a2 += v2 * v2, a3 += v3 * v3;
        } else {
            a0 += v0, a1 += v1, a2 += v2, a3 += v3;
        }
    }
    double s = stdx::reduce((a0 + a1) + (a2 + a3));  // the horizontal add
    for (; i < n; ++i) s += Square ? p[i] * p[i] : p[i];  // the tail, one element at a time
    return s;
}
// [stdx_sum]

// ---- Mandelbrot: one row; cx holds the row's real parts plus at least 16 padding entries -------------
// [omp_simd_mandelbrot]
CH06_NO_FMA_CONTRACTION inline void mandelbrot_row_omp_simd(const double* cx, int width, double cy, int max_iter, int* dst) {
#if defined(__clang__)
#pragma clang fp contract(off)  // clang would fuse (2 zx) zy + cy into one FMA: other counts than escape_time
#endif
    constexpr int B = 16;  // pixels iterated together
    for (int col = 0; col < width; col += B) {
        double zx[B] = {}, zy[B] = {}, count[B] = {}, live[B];
        for (int k = 0; k < B; ++k) live[k] = 1.0;
        for (int it = 0; it < max_iter; ++it) {
            double any = 0.0;
#pragma omp simd reduction(+ : any)
            for (int k = 0; k < B; ++k) {
                const double x2 = zx[k] * zx[k], y2 = zy[k] * zy[k];
                live[k] = x2 + y2 <= 4.0 ? live[k] : 0.0;  // once escaped, never live again
                count[k] += live[k];
                any += live[k];
                zy[k] = (zx[k] + zx[k]) * zy[k] + cy;
                zx[k] = x2 - y2 + cx[col + k];
            }
            if (any == 0.0) break;
        }
        for (int k = 0; k < B && col + k < width; ++k) dst[col + k] = static_cast<int>(count[k]);
    }
}
// [omp_simd_mandelbrot]

// [stdx_mandelbrot]
CH06_NO_FMA_CONTRACTION inline void mandelbrot_row_stdx(const double* cx, int width, double cy, int max_iter, int* dst) {
    using V = stdx::native_simd<double>;
    constexpr int L = static_cast<int>(V::size());
    for (int col = 0; col < width; col += 2 * L) {  // two vectors in flight
        const V cx0(cx + col, stdx::element_aligned), cx1(cx + col + L, stdx::element_aligned);
        V zx0 = 0.0, zy0 = 0.0, n0 = 0.0, zx1 = 0.0, zy1 = 0.0, n1 = 0.0;
        auto live0 = zx0 == zx0, live1 = zx1 == zx1;  // all true
        for (int it = 0; it < max_iter; ++it) {
            const V x20 = zx0 * zx0, y20 = zy0 * zy0, x21 = zx1 * zx1, y21 = zy1 * zy1;
            live0 = live0 && (x20 + y20 <= 4.0);
            live1 = live1 && (x21 + y21 <= 4.0);
            if (stdx::none_of(live0 || live1)) break;
            stdx::where(live0, n0) += 1.0;
            stdx::where(live1, n1) += 1.0;
            zy0 = (zx0 + zx0) * zy0 + cy;
            zy1 = (zx1 + zx1) * zy1 + cy;
            zx0 = x20 - y20 + cx0;
            zx1 = x21 - y21 + cx1;
        }
        double counts[2 * L];
        n0.copy_to(counts, stdx::element_aligned);
        n1.copy_to(counts + L, stdx::element_aligned);
        for (int k = 0; k < 2 * L && col + k < width; ++k) dst[col + k] = static_cast<int>(counts[k]);
    }
}
// [stdx_mandelbrot]

// ---- N-body: bodies [begin, end) of arrays x, y, z, m of n bodies ------------------------------------
inline void nbody_omp_simd(const double* x, const double* y, const double* z, const double* m, std::size_t n,
                           std::size_t begin, std::size_t end, double* ax, double* ay, double* az) {
    for (std::size_t i = begin; i < end; ++i) ax[i] = ay[i] = az[i] = 0.0;
    for (std::size_t j = 0; j < n; ++j) {
        const double xj = x[j], yj = y[j], zj = z[j], mj = m[j];
        // Lanes = bodies i: contiguous loads of x[i], y[i], z[i], the body j broadcast.
#pragma omp simd
        for (std::size_t i = begin; i < end; ++i) {
            const double dx = xj - x[i], dy = yj - y[i], dz = zj - z[i];
            const double r2 = dx * dx + dy * dy + dz * dz + kSoftening2;
            const double s = mj / (r2 * std::sqrt(r2));
            ax[i] += dx * s;
            ay[i] += dy * s;
            az[i] += dz * s;
        }
    }
}

inline void nbody_stdx(const double* x, const double* y, const double* z, const double* m, std::size_t n,
                       std::size_t begin, std::size_t end, double* ax, double* ay, double* az) {
    using V = stdx::native_simd<double>;
    constexpr std::size_t L = V::size();
    std::size_t i = begin;
    for (; i + L <= end; i += L) {
        const V xi(x + i, stdx::element_aligned), yi(y + i, stdx::element_aligned), zi(z + i, stdx::element_aligned);
        V sx = 0.0, sy = 0.0, sz = 0.0;
        for (std::size_t j = 0; j < n; ++j) {
            const V dx = x[j] - xi, dy = y[j] - yi, dz = z[j] - zi;
            const V r2 = dx * dx + dy * dy + dz * dz + kSoftening2;
            const V s = m[j] / (r2 * stdx::sqrt(r2));
            sx += dx * s;
            sy += dy * s;
            sz += dz * s;
        }
        sx.copy_to(ax + i, stdx::element_aligned);
        sy.copy_to(ay + i, stdx::element_aligned);
        sz.copy_to(az + i, stdx::element_aligned);
    }
    if (i < end) nbody_omp_simd(x, y, z, m, n, i, end, ax, ay, az);  // fewer than L bodies left
}

}  // namespace ch06::ways::WB_WAYS_NS

// The entry points that ways.cpp dispatches to (declared in ways_isa.hpp).
namespace ch06::ways::WB_WAYS_NS {
double entry_sum_omp(const double* p, std::size_t n) { return sum_omp_simd<false>(p, n); }
double entry_sumsq_omp(const double* p, std::size_t n) { return sum_omp_simd<true>(p, n); }
double entry_sum_stdx(const double* p, std::size_t n) { return sum_stdx<false>(p, n); }
double entry_sumsq_stdx(const double* p, std::size_t n) { return sum_stdx<true>(p, n); }
void entry_mandelbrot_omp(const double* cx, int width, double cy, int max_iter, int* dst) {
    mandelbrot_row_omp_simd(cx, width, cy, max_iter, dst);
}
void entry_mandelbrot_stdx(const double* cx, int width, double cy, int max_iter, int* dst) {
    mandelbrot_row_stdx(cx, width, cy, max_iter, dst);
}
void entry_nbody_omp(const double* x, const double* y, const double* z, const double* m, std::size_t n,
                     std::size_t begin, std::size_t end, double* ax, double* ay, double* az) {
    nbody_omp_simd(x, y, z, m, n, begin, end, ax, ay, az);
}
void entry_nbody_stdx(const double* x, const double* y, const double* z, const double* m, std::size_t n,
                      std::size_t begin, std::size_t end, double* ax, double* ay, double* az) {
    nbody_stdx(x, y, z, m, n, begin, end, ax, ay, az);
}
}  // namespace ch06::ways::WB_WAYS_NS
