// ch09/heat.hpp: the 2D heat-equation stencil of chapter 09, its rows split among the ranks, and
// exercise 09.3, the halo exchange that lets each rank compute its rows.
#pragma once

#include <mpi.h>

#include <cstddef>
#include <stdexcept>
#include <vector>

#include "ch09/mpi_util.hpp"
#include "wb/exercise.hpp"

namespace ch09 {

// [block]
/// One rank's rows of a grid of `global_rows` x `nx` cells, with one halo row above and one below.
/// u holds (rows + 2) x nx doubles, row-major: row 0 is the upper halo (a copy of the last row of the
/// rank above, or the fixed hot boundary above the grid on the first rank), rows 1 .. rows are this
/// rank's own rows (global rows first_row .. first_row + rows - 1), row rows + 1 is the lower halo (the
/// first row of the rank below, or the fixed cold boundary below the grid on the last rank). Columns 0
/// and nx - 1 are fixed boundaries too.
struct HeatBlock {
    int nx = 0, global_rows = 0, first_row = 0, rows = 0;
    std::vector<double> u;
    double* row(int r) { return u.data() + static_cast<std::size_t>(r) * static_cast<std::size_t>(nx); }
    const double* row(int r) const { return u.data() + static_cast<std::size_t>(r) * static_cast<std::size_t>(nx); }
};
// [block]

/// The temperature the grid starts from, at global row `gr` (-1 is the boundary above, global_rows the
/// one below) and column `c`: hot above, cold below, a warm diagonal stripe inside, and fixed side
/// walls that vary along the rows, so that any cell taken from the wrong place shows.
inline double initial_value(int gr, int c, int global_rows, int nx) {
    if (gr < 0) return 1.0;
    if (gr >= global_rows) return 0.0;
    if (c == 0) return 0.25 + 0.5 * gr / global_rows;
    if (c == nx - 1) return 0.75 - 0.5 * gr / global_rows;
    return ((gr + c) % 17 == 0) ? 0.9 : 0.1;
}

/// This rank's block of a global_rows x nx grid split by rows with block_range, filled with
/// initial_value (its halo rows too, so the fixed boundaries are in place on the first and last rank).
inline HeatBlock make_block(MPI_Comm comm, int global_rows, int nx) {
    if (global_rows < 1 || nx < 3) throw std::invalid_argument("make_block: need at least 1 row and 3 columns");
    const Range r = block_range(global_rows, rank_of(comm), size_of(comm));
    HeatBlock b;
    b.nx = nx;
    b.global_rows = global_rows;
    b.first_row = static_cast<int>(r.begin);
    b.rows = static_cast<int>(r.size());
    b.u.resize(static_cast<std::size_t>(b.rows + 2) * static_cast<std::size_t>(nx));
    for (int lr = 0; lr < b.rows + 2; ++lr)
        for (int c = 0; c < nx; ++c) b.row(lr)[c] = initial_value(b.first_row + lr - 1, c, global_rows, nx);
    return b;
}

/// The diffusion number of the explicit scheme (stable up to 0.25).
inline constexpr double kAlpha = 0.2;

// [stencil]
/// One explicit step for rows [r0, r1) of `in` (local row numbers, 1 .. rows), written to `out` (same
/// shape): every inner cell moves towards the mean of its four neighbours. Reads rows r0 - 1 .. r1, so
/// rows 1 and `rows` need the halo rows to be current. Columns 0 and nx - 1 are copied unchanged.
inline void heat_rows(const HeatBlock& in, HeatBlock& out, int r0, int r1) {
    const int nx = in.nx;
    for (int r = r0; r < r1; ++r) {
        const double* up = in.row(r - 1);
        const double* mid = in.row(r);
        const double* down = in.row(r + 1);
        double* dst = out.row(r);
        dst[0] = mid[0];
        for (int c = 1; c < nx - 1; ++c)
            dst[c] = mid[c] + kAlpha * (up[c] + down[c] + mid[c - 1] + mid[c + 1] - 4.0 * mid[c]);
        dst[nx - 1] = mid[nx - 1];
    }
}
// [stencil]

WB_IMPL_BEGIN

/// Brings both halo rows of `b` up to date: the upper halo (row 0) receives the last own row of the rank
/// above (rank - 1), the lower halo (row rows + 1) the first own row of the rank below (rank + 1); in
/// turn this rank's first own row goes to the rank above and its last own row to the rank below. The
/// first rank has no rank above and the last none below: their outer halo keeps the fixed boundary.
/// Rows are nx doubles, thousands of them, too many for MPI to buffer. Collective over `comm`; every
/// rank's block comes from make_block on the same comm.
void exchange_halos(MPI_Comm comm, HeatBlock& b);

WB_IMPL_END
}  // namespace ch09
