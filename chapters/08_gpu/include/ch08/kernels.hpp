// ch08/kernels.hpp: the per-element work of chapter 08's kernels, as WB_HD functions: one definition runs
// in the CUDA kernels, in the OpenMP offload loops, in the all-core CPU loops and in the tests. Not an
// exercise: everything here is inline and the same for the learner's side and the reference side.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "ch08/launch.hpp"

namespace ch08 {

// ---- vector add ---------------------------------------------------------------------------------------
/// c[i] = a[i] + b[i]: one add per 12 bytes moved, the least arithmetic a kernel can do.
WB_HD inline void vector_add_element(const float* a, const float* b, float* c, std::size_t i) { c[i] = a[i] + b[i]; }

// ---- Mandelbrot (the frame and escape rule of chapter 05) ----------------------------------------------
/// A rectangle of the complex plane sampled on a width x height grid (pixel centres), row 0 at y_min.
struct Frame {
    double x_min, x_max, y_min, y_max;
    int width, height, max_iter;
};

/// Chapter 05's lopsided frame: the upper half of the set, most of the cost in the rows near the axis.
inline Frame lopsided_frame(int width, int height, int max_iter) { return {-2.0, 0.6, 0.0, 1.3, width, height, max_iter}; }

// [escape_time]
/// Iterations of z <- z^2 + c, z0 = 0, until |z| > 2 or max_iter: chapter 05's ch05::escape_time, marked
/// WB_HD so that the GPU runs the same function.
WB_HD inline int escape_time(double cx, double cy, int max_iter) {
    double zx = 0.0, zy = 0.0;
    int i = 0;
    while (i < max_iter) {
        const double x2 = zx * zx, y2 = zy * zy;
        if (x2 + y2 > 4.0) break;
        zy = 2.0 * zx * zy + cy;
        zx = x2 - y2 + cx;
        ++i;
    }
    return i;
}
// [escape_time]

/// The escape time of pixel (col, row) of f, computed as chapter 05's mandelbrot_row does.
WB_HD inline int mandelbrot_pixel(const Frame& f, int col, int row) {
    const double dx = (f.x_max - f.x_min) / f.width, dy = (f.y_max - f.y_min) / f.height;
    return escape_time(f.x_min + (col + 0.5) * dx, f.y_min + (row + 0.5) * dy, f.max_iter);
}

// ---- 2D convolution (the seed's convolve2d: "valid" output, no padding) --------------------------------
/// out(r, c) = sum over the k x k window of img(r + u, c + v) * w(u, v), for the (h - k + 1) x (w - k + 1)
/// output pixels; img is h x width row-major, w is k x k.
WB_HD inline float conv2d_pixel(const float* img, int width, const float* w, int k, int r, int c) {
    float s = 0.0f;
    for (int u = 0; u < k; ++u)
        for (int v = 0; v < k; ++v) s += img[(r + u) * width + (c + v)] * w[u * k + v];
    return s;
}

// ---- N-body (the seed's softened gravity, G = 1) ------------------------------------------------------
/// A body: position and mass, 16 bytes (one 128-bit load on a GPU).
struct alignas(16) Body {
    float x, y, z, m;
};
struct Vec3 {
    float x, y, z;
};

/// Softening: r^2 + kSoftening2 never vanishes, and a body's pull on itself is 0 (its distance is 0).
inline constexpr float kSoftening2 = 1e-2f;

// [body_pull]
/// Adds the pull of body b on a body at p to acc: m_b (r_b - p) / (|r_b - p|^2 + eps^2)^(3/2).
/// 20 flops: 3 subtractions, 3 multiply-adds for r^2 plus eps^2, a square root, a division and a
/// multiply for m / r^3, and 3 multiply-adds into acc.
WB_HD inline void add_pull(Vec3& acc, const Body& p, const Body& b) {
    const float dx = b.x - p.x, dy = b.y - p.y, dz = b.z - p.z;
    const float r2 = dx * dx + dy * dy + dz * dz + kSoftening2;
    const float r = sqrtf(r2);
    const float s = b.m / (r2 * r);
    acc.x += s * dx;
    acc.y += s * dy;
    acc.z += s * dz;
}
// [body_pull]
inline constexpr double kFlopsPerPull = 20.0;

/// n bodies in a unit cube with masses in [0.5, 1.5), reproducibly from `seed`.
std::vector<Body> make_bodies(std::size_t n, std::uint64_t seed);

/// The accelerations of all bodies, the plain double loop over pairs in float (the tests' reference).
std::vector<Vec3> accelerations_reference(const std::vector<Body>& bodies);

/// sum_j |pull of j on i| summed over components: the scale a body's error is measured against.
double pull_scale(const std::vector<Body>& bodies, std::size_t i);

// ---- Monte Carlo pi: one generator stream per thread --------------------------------------------------
/// SplitMix64's finalizer: a bijection of 64-bit words that mixes every input bit into every output bit.
WB_HD inline std::uint64_t mix64(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// [counter_rng]
/// A counter-based generator: number k of stream `stream` is a hash of (seed, stream, k). A thread needs
/// no state that other threads share, any k can be drawn in any order, and the host reproduces exactly
/// what any GPU thread drew.
struct CounterRng {
    std::uint64_t key;
    WB_HD CounterRng(std::uint64_t seed, std::uint64_t stream) : key(mix64(seed ^ mix64(stream + 0x9e3779b97f4a7c15ULL))) {}
    /// Number k of this stream: 64 random bits.
    WB_HD std::uint64_t bits(std::uint64_t k) const { return mix64(key + k * 0xd1b54a32d192ed03ULL); }
    /// Number k of this stream as an integer uniform in [0, 2^31).
    WB_HD std::uint32_t u31(std::uint64_t k) const { return static_cast<std::uint32_t>(bits(k) >> 33); }
};
// [counter_rng]

/// True when the point (x, y), both integers in [0, 2^31), lies inside the quarter circle of radius 2^31:
/// x^2 + y^2 < 2^62, in exact integer arithmetic (no rounding that could differ between GPU and CPU).
WB_HD inline bool inside_circle(std::uint32_t x, std::uint32_t y) {
    return std::uint64_t{x} * x + std::uint64_t{y} * y < (std::uint64_t{1} << 62);
}

}  // namespace ch08
