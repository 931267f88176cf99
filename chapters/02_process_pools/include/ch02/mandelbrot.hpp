// ch02/mandelbrot.hpp: the Mandelbrot set, the chapter's workload (given code).
//
// Every pixel is independent, which makes the image easy to split, but pixels differ wildly in cost:
// a point outside the set escapes after a few iterations, a point inside runs all max_iter of them.
// The default view is the upper half of the classic picture (the set is symmetric about the real
// axis), so rows near the real axis, which cross the main cardioid, cost far more than rows at the
// top: split into contiguous blocks, the first worker gets most of the work.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "ch02/functions.hpp"
#include "ch02/pool_map.hpp"
#include "wb/exercise.hpp"

namespace ch02 {

using Image = std::vector<std::uint32_t>;  ///< iteration counts, row-major, width * height

struct View {
    double x_min = -2.0, x_max = 1.0;  ///< real axis, left to right
    double y_min = 0.0, y_max = 1.5;   ///< imaginary axis, row 0 at y_min
    int width = 1024, height = 512;
    int max_iter = 1000;
};

// [kernel]
/// Iteration counts of row `row` into out[0 .. width): how many steps of z = z*z + c stay within
/// |z| <= 2, from z = 0, at most max_iter.
/// Not inlined on purpose: the serial code and the workers then run the very same machine code (the
/// compiler may fuse a*b + c into one FMA instruction in one copy and not in another), so the pool's
/// image is bitwise identical to the serial one.
[[gnu::noinline]] inline void mandelbrot_row(const View& v, int row, std::uint32_t* out) {
    const double dx = (v.x_max - v.x_min) / v.width;
    const double dy = (v.y_max - v.y_min) / v.height;
    const double ci = v.y_min + (row + 0.5) * dy;
    for (int col = 0; col < v.width; ++col) {
        const double cr = v.x_min + (col + 0.5) * dx;
        double zr = 0.0, zi = 0.0;
        int n = 0;
        while (n < v.max_iter) {
            const double zr2 = zr * zr, zi2 = zi * zi;
            if (zr2 + zi2 > 4.0) break;
            zi = 2.0 * zr * zi + ci;
            zr = zr2 - zi2 + cr;
            ++n;
        }
        out[col] = static_cast<std::uint32_t>(n);
    }
}
// [kernel]

/// The whole image, one row after another.
inline Image mandelbrot_serial(const View& v) {
    Image img(static_cast<std::size_t>(v.width) * static_cast<std::size_t>(v.height));
    for (int row = 0; row < v.height; ++row)
        mandelbrot_row(v, row, img.data() + static_cast<std::size_t>(row) * v.width);
    return img;
}

// [register]
/// Registers "mandelbrot_row": row index in, that row's iteration counts out. The view is captured:
/// the workers get it with the fork, and only row numbers and rows travel.
inline MapFn<int, std::vector<std::uint32_t>> add_mandelbrot_rows(FunctionTable& table, const View& v) {
    return table.add_map<int, std::vector<std::uint32_t>>("mandelbrot_row", [v](int row) {
        std::vector<std::uint32_t> out(static_cast<std::size_t>(v.width));
        mandelbrot_row(v, row, out.data());
        return out;
    });
}
// [register]

WB_IMPL_BEGIN

/// The image computed by the pool, `chunk` rows per task (0: auto_chunksize).
inline Image mandelbrot_pool(Pool& pool, MapFn<int, std::vector<std::uint32_t>> rows_fn, const View& v,
                             std::size_t chunk) {
    std::vector<int> rows(static_cast<std::size_t>(v.height));
    for (int r = 0; r < v.height; ++r) rows[static_cast<std::size_t>(r)] = r;
    const std::vector<std::vector<std::uint32_t>> out = map(pool, rows_fn, rows, chunk);
    Image img;
    img.reserve(static_cast<std::size_t>(v.width) * static_cast<std::size_t>(v.height));
    for (const auto& row : out) img.insert(img.end(), row.begin(), row.end());
    return img;
}

WB_IMPL_END
}  // namespace ch02
