// ch06/kernels.hpp: the data and the scalar reference versions of chapter 06's kernels. Not an
// exercise: everything here is inline and identical for the learner's side and the reference side.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <stdexcept>
#include <vector>

namespace ch06 {

/// n numbers drawn uniformly from [lo, hi), reproducibly from `seed`.
inline std::vector<double> uniform(std::size_t n, double lo, double hi, std::uint64_t seed) {
    std::mt19937_64 gen(seed);
    std::uniform_real_distribution<double> u(lo, hi);
    std::vector<double> v(n);
    for (double& e : v) e = u(gen);
    return v;
}

// ---- Mandelbrot -----------------------------------------------------------------------------------
/// A rectangle of the complex plane sampled on a width x height grid (pixel centres), row 0 at y_min.
/// The same frame and escape rule as chapter 05, so the escape counts can be compared.
struct Frame {
    double x_min, x_max, y_min, y_max;
    int width, height, max_iter;
};

/// The frame of this chapter: the whole set, with a border that escapes at once.
inline Frame standard_frame(int width, int height, int max_iter) {
    return {-2.0, 0.6, -1.3, 1.3, width, height, max_iter};
}

inline std::size_t pixels(const Frame& f) {
    return static_cast<std::size_t>(f.width) * static_cast<std::size_t>(f.height);
}

/// Real part of the centre of pixel column `col`: every path computes it this way (multiply, then add,
/// no fused multiply-add), so every path starts from the same c, bit for bit.
inline double pixel_x(const Frame& f, int col) {
    const double dx = (f.x_max - f.x_min) / f.width;
    return f.x_min + (col + 0.5) * dx;
}
inline double pixel_y(const Frame& f, int row) {
    const double dy = (f.y_max - f.y_min) / f.height;
    return f.y_min + (row + 0.5) * dy;
}

// [escape_time]
/// Iterations of z <- z^2 + c, z0 = 0, counted while |z|^2 <= 4 before the step, at most max_iter.
inline int escape_time(double cx, double cy, int max_iter) {
    double zx = 0.0, zy = 0.0;
    int i = 0;
    while (i < max_iter) {
        const double x2 = zx * zx, y2 = zy * zy;
        if (x2 + y2 > 4.0) break;
        zy = 2.0 * zx * zy + cy;  // (2 zx) zy + cy: two roundings, never fused
        zx = x2 - y2 + cx;
        ++i;
    }
    return i;
}
// [escape_time]

// [no_contraction]
/// Put on a function whose results must equal escape_time()'s bit for bit. g++ fuses a multiply and a
/// following add into one FMA (rounded once instead of twice) wherever the instruction set has FMA, even
/// between two intrinsics; the baseline build of escape_time() has no FMA. clang fuses only inside one
/// expression, not across intrinsics (`#pragma clang fp contract(off)` stops that).
#if defined(__clang__)
#define CH06_NO_FMA_CONTRACTION
#else
#define CH06_NO_FMA_CONTRACTION __attribute__((optimize("fp-contract=off")))
#endif
// [no_contraction]

/// The reference image: escape_time of every pixel, row-major.
inline void mandelbrot_reference(const Frame& f, std::span<int> out) {
    if (out.size() != pixels(f)) throw std::invalid_argument("mandelbrot_reference: out has the wrong size");
    for (int row = 0; row < f.height; ++row) {
        const double cy = pixel_y(f, row);
        for (int col = 0; col < f.width; ++col)
            out[static_cast<std::size_t>(row) * static_cast<std::size_t>(f.width) + static_cast<std::size_t>(col)] =
                escape_time(pixel_x(f, col), cy, f.max_iter);
    }
}

// ---- N-body ----------------------------------------------------------------------------------------
/// Softening: r^2 + kSoftening2 never vanishes, and a body's pull on itself is 0 (dx = dy = dz = 0).
inline constexpr double kSoftening2 = 1e-3;

// [soa]
/// Bodies as a structure of arrays: all x together, all y together... A vector register then loads the
/// x of 4 or 8 consecutive bodies in one instruction.
struct Bodies {
    std::vector<double> x, y, z, m;
    std::size_t size() const { return x.size(); }
};

/// Accelerations, the same layout.
struct Accel {
    std::vector<double> x, y, z;
    explicit Accel(std::size_t n = 0) : x(n), y(n), z(n) {}
};
// [soa]

/// n bodies in a unit cube with masses in [0.5, 1.5), reproducibly from `seed`.
inline Bodies make_bodies(std::size_t n, std::uint64_t seed) {
    Bodies b;
    b.x = uniform(n, -1.0, 1.0, seed);
    b.y = uniform(n, -1.0, 1.0, seed + 1);
    b.z = uniform(n, -1.0, 1.0, seed + 2);
    b.m = uniform(n, 0.5, 1.5, seed + 3);
    return b;
}

/// a_i = sum_j m_j (r_j - r_i) / (|r_j - r_i|^2 + kSoftening2)^(3/2): the plain loop, one body at a time,
/// with a correctly rounded square root and a division (the reference of the tests).
inline void accelerations_reference(const Bodies& b, Accel& a) {
    const std::size_t n = b.size();
    a = Accel(n);
    for (std::size_t i = 0; i < n; ++i) {
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

/// The size of body i's acceleration as a sum of magnitudes, sum_j |m_j r_ij / r^3| per component summed
/// over x, y, z: the scale the tests measure errors against (cancellation in the sum cannot make it small).
inline double force_scale(const Bodies& b, std::size_t i) {
    double s = 0;
    for (std::size_t j = 0; j < b.size(); ++j) {
        const double dx = b.x[j] - b.x[i], dy = b.y[j] - b.y[i], dz = b.z[j] - b.z[i];
        const double r2 = dx * dx + dy * dy + dz * dz + kSoftening2;
        s += b.m[j] * (std::fabs(dx) + std::fabs(dy) + std::fabs(dz)) / (r2 * std::sqrt(r2));
    }
    return s;
}

/// Floating-point operations per pair (i, j) that the vector kernels execute, a fused multiply-add
/// counted as two: 3 subtractions, 3 multiply-adds for r^2 (6), r^2 / 2 (1), two Newton steps of the
/// reciprocal square root (4 each), r^-3 (2), m / r^3 (1), three multiply-adds into the sums (6). The
/// flops counters of the benchmarks use this count; the approximate reciprocal itself is not counted.
inline constexpr double kNbodyFlopsPerPair = 3 + 6 + 1 + 8 + 2 + 1 + 6;

}  // namespace ch06
