// ch07/matmul.hpp: exercise 07.5, a cache-blocked matrix multiply C = A B built around a
// register-blocked micro-kernel, one kernel per instruction set, chosen at run time.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>

#include "wb/exercise.hpp"
#include "wb/isa.hpp"

namespace ch07 {

/// The tile of C one micro-kernel call computes: mr rows by nr columns.
struct TileShape {
    int mr;
    int nr;
};

// [tile_shape]
/// Each path's tile. Its mr x nr sums stay in registers for a whole pass over k: 16 doubles
/// for the scalar path, 12 vectors of 4 for AVX2 (of its 16 registers), 24 vectors of 8 for
/// AVX-512 (of its 32). Every step of k loads nr/lanes vectors of B and mr values of A, and does
/// mr x nr / lanes vector FMAs: many more FMAs than loads, so the FMA units, not the loads, set
/// the pace.
constexpr TileShape tile_shape(wb::Isa isa) {
    switch (isa) {
        case wb::Isa::avx2: return {6, 8};
        case wb::Isa::avx512: return {12, 16};
        case wb::Isa::scalar: break;
    }
    return {4, 4};
}
// [tile_shape]

/// The largest tile of any path (for buffers sized once).
inline constexpr int kMaxTileRows = 12;
inline constexpr int kMaxTileCols = 16;

WB_IMPL_BEGIN

/// C = A B with A m x k, B k x n and C m x n, all dense and row-major (a.size() == m*k,
/// b.size() == k*n, c.size() == m*n; any of m, n, k may be 0). C's old contents are ignored.
/// Computed with cache blocking around the micro-kernel of path `isa`. Throws
/// std::invalid_argument on a wrong size, a negative dimension, or an `isa` this CPU does not run.
void matmul_blocked(std::span<const double> a, std::span<const double> b, std::span<double> c, int m, int n,
                    int k, wb::Isa isa);

// [microkernel]
/// The micro-kernels (given code, the same in exercises/ and solutions/). Each adds the product
/// of two packed slivers to one tile of C:
///   C(r, j) += sum over p < kc of ap[p * mr + r] * bp[p * nr + j]   for r < mr, j < nr,
/// with (mr, nr) = tile_shape(path) and C(r, j) at c[r * ldc + j]. `ap` holds a sliver of A packed
/// column by column (mr values per step of p), `bp` a sliver of B packed row by row (nr values per
/// step): both are read strictly in order. The AVX2 and AVX-512 ones may only be called on a CPU
/// that runs that path (wb::cpu_has).
void microkernel_scalar(int kc, const double* ap, const double* bp, double* c, std::ptrdiff_t ldc);
void microkernel_avx2(int kc, const double* ap, const double* bp, double* c, std::ptrdiff_t ldc);
void microkernel_avx512(int kc, const double* ap, const double* bp, double* c, std::ptrdiff_t ldc);
// [microkernel]

/// How many times each micro-kernel has run in this process, indexed by static_cast<int>(wb::Isa):
/// the tests read it to see which path did the work.
inline std::atomic<std::uint64_t> microkernel_calls[3] = {};

WB_IMPL_END

}  // namespace ch07
