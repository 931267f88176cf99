// ways_highway.cpp: the kernels with Google Highway. Highway compiles this file once per instruction set
// it knows (foreach_target.h re-includes it) and picks the best one the CPU runs at the first call
// (HWY_DYNAMIC_DISPATCH): the production way of what the _avx2 / _avx512 files do by hand. Hence no ISA
// suffix on this file's name. Without Highway (WB_HAVE_HIGHWAY=0) every function says so.
#include "ways.hpp"

#include <algorithm>
#include <stdexcept>
#include <vector>

#if WB_HAVE_HIGHWAY
#undef HWY_TARGET_INCLUDE
// Found through the include path: chapters/06_simd/include/../ways_highway.cpp is this file.
#define HWY_TARGET_INCLUDE "../ways_highway.cpp"
#include <hwy/foreach_target.h>  // re-includes this file once per target
#include <hwy/highway.h>

HWY_BEFORE_NAMESPACE();
namespace ch06::ways::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

//! [highway_sum]
template <bool Square>
double SumImpl(const double* p, std::size_t n) {
    const hn::ScalableTag<double> d;  // the widest vector of this target
    const std::size_t L = hn::Lanes(d);
    auto a0 = hn::Zero(d), a1 = hn::Zero(d), a2 = hn::Zero(d), a3 = hn::Zero(d);
    std::size_t i = 0;
    for (; i + 4 * L <= n; i += 4 * L) {
        const auto v0 = hn::LoadU(d, p + i), v1 = hn::LoadU(d, p + i + L);
        const auto v2 = hn::LoadU(d, p + i + 2 * L), v3 = hn::LoadU(d, p + i + 3 * L);
        if constexpr (Square) {
            a0 = hn::MulAdd(v0, v0, a0), a1 = hn::MulAdd(v1, v1, a1);
            a2 = hn::MulAdd(v2, v2, a2), a3 = hn::MulAdd(v3, v3, a3);
        } else {
            a0 = hn::Add(a0, v0), a1 = hn::Add(a1, v1), a2 = hn::Add(a2, v2), a3 = hn::Add(a3, v3);
        }
    }
    double s = hn::GetLane(hn::SumOfLanes(d, hn::Add(hn::Add(a0, a1), hn::Add(a2, a3))));
    for (; i < n; ++i) s += Square ? p[i] * p[i] : p[i];
    return s;
}
//! [highway_sum]
double SumHwy(const double* p, std::size_t n) { return SumImpl<false>(p, n); }
double SumSqHwy(const double* p, std::size_t n) { return SumImpl<true>(p, n); }

// One row; cx has at least 16 padding entries after the row.
CH06_NO_FMA_CONTRACTION void MandelbrotRowHwy(const double* cx, int width, double cy, int max_iter, int* dst) {
    const hn::ScalableTag<double> d;
    const int L = static_cast<int>(hn::Lanes(d));
    const auto four = hn::Set(d, 4.0), one = hn::Set(d, 1.0), vcy = hn::Set(d, cy);
    HWY_ALIGN double counts[HWY_MAX_BYTES / sizeof(double)];
    for (int col = 0; col < width; col += L) {
        const auto vcx = hn::LoadU(d, cx + col);
        auto zx = hn::Zero(d), zy = hn::Zero(d), count = hn::Zero(d);
        auto live = hn::Eq(zx, zx);
        for (int it = 0; it < max_iter; ++it) {
            const auto x2 = hn::Mul(zx, zx), y2 = hn::Mul(zy, zy);
            live = hn::And(live, hn::Le(hn::Add(x2, y2), four));
            if (hn::AllFalse(d, live)) break;
            count = hn::Add(count, hn::IfThenElseZero(live, one));
            zy = hn::Add(hn::Mul(hn::Add(zx, zx), zy), vcy);
            zx = hn::Add(hn::Sub(x2, y2), vcx);
        }
        hn::Store(count, d, counts);
        for (int k = 0; k < L && col + k < width; ++k) dst[col + k] = static_cast<int>(counts[k]);
    }
}

// Bodies [begin, end) against all n; whole vectors of bodies i, the rest one at a time.
void NbodyHwy(const double* x, const double* y, const double* z, const double* m, std::size_t n, std::size_t begin,
              std::size_t end, double* ax, double* ay, double* az) {
    const hn::ScalableTag<double> d;
    const std::size_t L = hn::Lanes(d);
    const auto eps = hn::Set(d, kSoftening2);
    std::size_t i = begin;
    for (; i + L <= end; i += L) {
        const auto xi = hn::LoadU(d, x + i), yi = hn::LoadU(d, y + i), zi = hn::LoadU(d, z + i);
        auto sx = hn::Zero(d), sy = hn::Zero(d), sz = hn::Zero(d);
        for (std::size_t j = 0; j < n; ++j) {
            const auto dx = hn::Sub(hn::Set(d, x[j]), xi), dy = hn::Sub(hn::Set(d, y[j]), yi),
                       dz = hn::Sub(hn::Set(d, z[j]), zi);
            const auto r2 = hn::MulAdd(dx, dx, hn::MulAdd(dy, dy, hn::MulAdd(dz, dz, eps)));
            const auto s = hn::Div(hn::Set(d, m[j]), hn::Mul(r2, hn::Sqrt(r2)));
            sx = hn::MulAdd(dx, s, sx);
            sy = hn::MulAdd(dy, s, sy);
            sz = hn::MulAdd(dz, s, sz);
        }
        hn::StoreU(sx, d, ax + i);
        hn::StoreU(sy, d, ay + i);
        hn::StoreU(sz, d, az + i);
    }
    for (; i < end; ++i) {
        double sx = 0, sy = 0, sz = 0;
        for (std::size_t j = 0; j < n; ++j) {
            const double dx = x[j] - x[i], dy = y[j] - y[i], dz = z[j] - z[i];
            const double r2 = dx * dx + dy * dy + dz * dz + kSoftening2;
            const double s = m[j] / (r2 * std::sqrt(r2));
            sx += dx * s, sy += dy * s, sz += dz * s;
        }
        ax[i] = sx, ay[i] = sy, az[i] = sz;
    }
}

}  // namespace ch06::ways::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();
#endif  // WB_HAVE_HIGHWAY

#if !WB_HAVE_HIGHWAY || HWY_ONCE
namespace ch06::ways {
#if WB_HAVE_HIGHWAY
HWY_EXPORT(SumHwy);
HWY_EXPORT(SumSqHwy);
HWY_EXPORT(MandelbrotRowHwy);
HWY_EXPORT(NbodyHwy);

std::string highway_target() {
    // Highway's choice: the best (lowest-bit) target that this CPU runs and this file was compiled for.
    const std::int64_t usable = hwy::SupportedTargets() & HWY_TARGETS;
    return hwy::TargetName(usable & -usable);
}

double sum_highway(std::span<const double> x, bool& ok) {
    ok = true;
    return HWY_DYNAMIC_DISPATCH(SumHwy)(x.data(), x.size());
}
double sumsq_highway(std::span<const double> x, bool& ok) {
    ok = true;
    return HWY_DYNAMIC_DISPATCH(SumSqHwy)(x.data(), x.size());
}
void mandelbrot_highway(const Frame& f, std::span<int> out, bool& ok) {
    ok = true;
    if (out.size() != pixels(f)) throw std::invalid_argument("mandelbrot_highway: out has the wrong size");
    std::vector<double> cx(static_cast<std::size_t>(f.width) + 16, 10.0);
    for (int col = 0; col < f.width; ++col) cx[static_cast<std::size_t>(col)] = pixel_x(f, col);
    for (int row = 0; row < f.height; ++row)
        HWY_DYNAMIC_DISPATCH(MandelbrotRowHwy)(cx.data(), f.width, pixel_y(f, row), f.max_iter,
                                               out.data() + static_cast<std::size_t>(row) * static_cast<std::size_t>(f.width));
}
void nbody_highway(const Bodies& b, Accel& a, int threads, bool& ok) {
    ok = true;
    const std::size_t n = b.size();
    a = Accel(n);
    constexpr std::size_t kBlock = 64;
    const auto blocks = static_cast<long>((n + kBlock - 1) / kBlock);
#pragma omp parallel for schedule(static) num_threads(threads)
    for (long k = 0; k < blocks; ++k) {
        const std::size_t begin = static_cast<std::size_t>(k) * kBlock, end = std::min(n, begin + kBlock);
        HWY_DYNAMIC_DISPATCH(NbodyHwy)(b.x.data(), b.y.data(), b.z.data(), b.m.data(), n, begin, end, a.x.data(),
                                       a.y.data(), a.z.data());
    }
}
#else
std::string highway_target() { return "none (this build has no Google Highway: Debian package libhwy-dev)"; }
double sum_highway(std::span<const double>, bool& ok) { return ok = false, 0.0; }
double sumsq_highway(std::span<const double>, bool& ok) { return ok = false, 0.0; }
void mandelbrot_highway(const Frame&, std::span<int>, bool& ok) { ok = false; }
void nbody_highway(const Bodies&, Accel&, int, bool& ok) { ok = false; }
#endif
}  // namespace ch06::ways
#endif
