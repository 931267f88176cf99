// ch09/manager_worker.hpp: exercise 09.4, chapter 05's lopsided Mandelbrot frame shared among ranks by a
// manager that hands out one row at a time to whichever worker asks.
#pragma once

#include <mpi.h>

#include <functional>
#include <span>
#include <stdexcept>

#include "ch05/kernels.hpp"
#include "wb/exercise.hpp"

namespace ch09 {

/// Row `row` of `f` into `dst` (f.width entries): the same arithmetic as ch05::mandelbrot_row, which
/// writes into a whole image, for a worker that holds one row at a time.
inline void mandelbrot_row_into(const ch05::Frame& f, int row, std::span<int> dst) {
    if (dst.size() != static_cast<std::size_t>(f.width)) throw std::invalid_argument("mandelbrot_row_into: size");
    const double dx = (f.x_max - f.x_min) / f.width, dy = (f.y_max - f.y_min) / f.height;
    const double cy = f.y_min + (row + 0.5) * dy;
    for (int col = 0; col < f.width; ++col) dst[static_cast<std::size_t>(col)] = ch05::escape_time(f.x_min + (col + 0.5) * dx, cy, f.max_iter);
}

WB_IMPL_BEGIN

/// The escape times of every pixel of `f` (ch05::mandelbrot_row computes a row), assembled on rank 0 of
/// `comm`, the manager. With one rank the manager computes every row itself. With more, rank 0 only hands
/// out rows, one at a time, each to the worker (ranks 1 .. size-1) that has just returned its previous
/// row, until none is left, and then tells every worker to stop; workers compute what they are given.
/// On rank 0, `out` has ch05::pixels(f) entries and `owner` f.height: owner[row] is set to the rank that
/// computed the row. On other ranks both are ignored (they may be empty). On the rank that computes a
/// row, `before_row(row)` (when set) is called just before it. Collective over `comm`. Throws
/// std::invalid_argument on rank 0 if out or owner has the wrong size.
void mandelbrot_manager_worker(MPI_Comm comm, const ch05::Frame& f, std::span<int> out, std::span<int> owner,
                               const std::function<void(int row)>& before_row = {});

WB_IMPL_END
}  // namespace ch09
