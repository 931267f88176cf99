// ch05/kernels.hpp: the work the parallel loops of chapter 05 share out. Not an exercise: every
// function here is inline and identical for the learner's side and the reference side.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <stdexcept>

namespace ch05 {

// [kernel]
/// The elementwise kernel of the chunked loops: three transcendental functions per element (dozens of
/// instructions each) against 24 bytes moved, so its speed is set by arithmetic, not by memory.
inline double kernel(double x, double y) {
    return std::log1p(std::exp(-0.25 * x) * std::log(y)) + std::sin(x * y);
}
// [kernel]

/// Fills x with uniform numbers in [0, 20) and y with uniform numbers in [1.5, 20), reproducibly from
/// `seed`. Serial on purpose: the Amdahl demonstration of the program uses it as its serial phase.
inline void fill_inputs(std::span<double> x, std::span<double> y, std::uint64_t seed) {
    if (x.size() != y.size()) throw std::invalid_argument("fill_inputs: x and y differ in size");
    std::mt19937_64 gen(seed);
    std::uniform_real_distribution<double> ux(0.0, 20.0), uy(1.5, 20.0);
    for (std::size_t i = 0; i < x.size(); ++i) {
        x[i] = ux(gen);
        y[i] = uy(gen);
    }
}

/// A rectangle of the complex plane sampled on a width x height grid (pixel centres), row 0 at y_min.
struct Frame {
    double x_min, x_max, y_min, y_max;
    int width, height, max_iter;
};

// [frame]
/// The Mandelbrot frame of this chapter: the upper half of the set, with the real axis in row 0.
/// The rows near the axis cross the main cardioid and the period-2 bulb, where every pixel runs to
/// max_iter; the rows near the top escape after a few iterations. Nearly all the cost is in the first
/// half of the rows, so handing each thread one contiguous block of rows is badly unbalanced.
inline Frame lopsided_frame(int width, int height, int max_iter) {
    return {-2.0, 0.6, 0.0, 1.3, width, height, max_iter};
}
// [frame]

/// Iterations of z <- z^2 + c, z0 = 0, until |z| > 2 or max_iter is reached.
inline int escape_time(double cx, double cy, int max_iter) {
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

/// Escape times of one row of `f` into out[row * width .. row * width + width).
inline void mandelbrot_row(const Frame& f, int row, std::span<int> out) {
    const double dx = (f.x_max - f.x_min) / f.width, dy = (f.y_max - f.y_min) / f.height;
    const double cy = f.y_min + (row + 0.5) * dy;
    int* dst = out.data() + static_cast<std::size_t>(row) * static_cast<std::size_t>(f.width);
    for (int col = 0; col < f.width; ++col) dst[col] = escape_time(f.x_min + (col + 0.5) * dx, cy, f.max_iter);
}

/// Number of pixels of `f` (the size `out` must have).
inline std::size_t pixels(const Frame& f) {
    return static_cast<std::size_t>(f.width) * static_cast<std::size_t>(f.height);
}

}  // namespace ch05
