// Tests of exercise 09.3, run by tools/mpi_run.py under mpirun with 1, 2 and 4 ranks (see test_ring.cpp).
#include <algorithm>
#include <cstddef>
#include <vector>

#include "ch09/heat.hpp"
#include "ch09/mpi_util.hpp"
#include "wb/catch.hpp"

namespace {
// 2048 doubles a row (16 KiB): beyond OpenMPI's eager limit, so a blocking send waits for its receive.
constexpr int kNx = 2048;

// `steps` steps of the whole grid on this rank alone (the reference), returned without halo rows.
std::vector<double> whole_grid(int global_rows, int steps) {
    ch09::HeatBlock a = ch09::make_block(MPI_COMM_SELF, global_rows, kNx), b = a;
    for (int s = 0; s < steps; ++s) {
        ch09::heat_rows(a, b, 1, a.rows + 1);
        std::swap(a.u, b.u);
    }
    return {a.u.begin() + kNx, a.u.end() - kNx};
}

// Compares this rank's own rows with the same rows of the whole grid; returns the first differing
// global row, or -1.
int first_wrong_row(const ch09::HeatBlock& b, const std::vector<double>& whole) {
    for (int r = 0; r < b.rows; ++r) {
        const auto first = whole.begin() + static_cast<std::ptrdiff_t>(b.first_row + r) * kNx;
        if (!std::equal(b.row(r + 1), b.row(r + 1) + kNx, first)) return b.first_row + r;
    }
    return -1;
}
}  // namespace

TEST_CASE("09.3 after one exchange each halo row holds the neighbour's edge row") {
    const int rank = ch09::rank_of(MPI_COMM_WORLD), size = ch09::size_of(MPI_COMM_WORLD);
    const int global_rows = 4 * size + 3;   // blocks of unequal height
    ch09::HeatBlock b = ch09::make_block(MPI_COMM_WORLD, global_rows, kNx);
    // Mark every own cell with its global row, and the halos with -1: an exchange must replace the
    // inner halos and leave the outer boundaries alone.
    for (int r = 1; r <= b.rows; ++r) std::fill(b.row(r), b.row(r) + kNx, b.first_row + r - 1);
    const std::vector<double> top(b.row(0), b.row(0) + kNx), bottom(b.row(b.rows + 1), b.row(b.rows + 1) + kNx);
    if (rank > 0) std::fill(b.row(0), b.row(0) + kNx, -1.0);
    if (rank < size - 1) std::fill(b.row(b.rows + 1), b.row(b.rows + 1) + kNx, -1.0);
    ch09::exchange_halos(MPI_COMM_WORLD, b);
    INFO("rank " << rank << " of " << size << " owns global rows " << b.first_row << " .. "
                 << b.first_row + b.rows - 1 << "; upper halo now holds " << b.row(0)[1] << ", lower halo "
                 << b.row(b.rows + 1)[1] << " (each own row was filled with its global row number)");
    if (rank > 0) {
        INFO("the upper halo must hold global row " << b.first_row - 1 << ", the last own row of rank " << rank - 1);
        REQUIRE(std::all_of(b.row(0), b.row(0) + kNx, [&](double v) { return v == b.first_row - 1; }));
    } else {
        INFO("the first rank's upper halo is the fixed hot boundary: it must not change");
        REQUIRE(std::equal(top.begin(), top.end(), b.row(0)));
    }
    if (rank < size - 1) {
        INFO("the lower halo must hold global row " << b.first_row + b.rows << ", the first own row of rank " << rank + 1);
        REQUIRE(std::all_of(b.row(b.rows + 1), b.row(b.rows + 1) + kNx,
                            [&](double v) { return v == b.first_row + b.rows; }));
    } else {
        INFO("the last rank's lower halo is the fixed cold boundary: it must not change");
        REQUIRE(std::equal(bottom.begin(), bottom.end(), b.row(b.rows + 1)));
    }
    for (int r = 1; r <= b.rows; ++r) REQUIRE(b.row(r)[0] == b.first_row + r - 1);   // own rows untouched
}

TEST_CASE("09.3 fifty steps on the split grid equal the whole grid bit for bit") {
    // The same arithmetic on the same values in the same order: the split grid must match exactly.
    const int rank = ch09::rank_of(MPI_COMM_WORLD), size = ch09::size_of(MPI_COMM_WORLD);
    constexpr int kSteps = 50;
    for (int global_rows : {37, 8}) {
        if (global_rows < size) continue;
        const std::vector<double> whole = whole_grid(global_rows, kSteps);
        ch09::HeatBlock a = ch09::make_block(MPI_COMM_WORLD, global_rows, kNx), b = a;
        for (int s = 0; s < kSteps; ++s) {
            ch09::exchange_halos(MPI_COMM_WORLD, a);
            ch09::heat_rows(a, b, 1, a.rows + 1);
            std::swap(a.u, b.u);   // the halo rows travel with the grid; the next exchange refreshes them
        }
        INFO("rank " << rank << " of " << size << ", " << global_rows << " rows: first global row that differs "
                     "from the whole grid after " << kSteps << " steps (-1: none)");
        REQUIRE(first_wrong_row(a, whole) == -1);
    }
}
