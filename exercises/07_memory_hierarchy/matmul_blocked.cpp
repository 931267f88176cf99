// EXERCISE 07.5 Goal: multiply two matrices at a large share of the core's FMA peak, by blocking the
// loops so that every number brought into a cache is used many times before it leaves, around a
// micro-kernel that keeps a tile of C in vector registers (one kernel per instruction set, chosen at
// run time).
//
// What the grade checks: C = A B against a naive reference within the rounding-error bound of a
// k-term dot product, for sizes that are not multiples of any tile or block (1 x 1 x 1, odd sizes,
// k = 0, k, m and n past one block), with C full of garbage beforehand, on every path this CPU runs
// (wb::isas_on_this_cpu()), and that the micro-kernel of the path asked for did the work
// (ch07::microkernel_calls). Wrong sizes and a path the CPU lacks throw std::invalid_argument. The
// speed report times n = 768 against the reference on one core (goal 0.6).
// Read first: chapters/07_memory_hierarchy/README.md, section "Matrix multiply: from three loops to
// a micro-kernel".
// Stuck? `./wb hint 07.5` shows a hint, one stage per call.
//
// Three files: this one holds the blocking and the choice of kernel; matmul_blocked_avx2.cpp and
// matmul_blocked_avx512.cpp hold the vector micro-kernels (compiled with those instruction sets).
#include <algorithm>
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "ch07/matmul.hpp"

namespace ch07 {
WB_IMPL_BEGIN

// ---- given: the scalar micro-kernel, the model of the vector ones ----------------------------------
void microkernel_scalar(int kc, const double* ap, const double* bp, double* c, std::ptrdiff_t ldc) {
    microkernel_calls[static_cast<int>(wb::Isa::scalar)].fetch_add(1, std::memory_order_relaxed);
    constexpr int mr = 4, nr = 4;
    double acc[mr][nr] = {};
    for (int p = 0; p < kc; ++p) {
        for (int r = 0; r < mr; ++r) {
            for (int j = 0; j < nr; ++j) acc[r][j] += ap[p * mr + r] * bp[p * nr + j];
        }
    }
    for (int r = 0; r < mr; ++r) {
        for (int j = 0; j < nr; ++j) c[r * ldc + j] += acc[r][j];
    }
}

namespace {

// ---- given: packing and scratch space --------------------------------------------------------------
// Copies the rows x kc block of A at `a` (row stride lda) into `ap` as slivers of mr rows, each stored
// column by column (mr values per step of k), in the order the micro-kernel reads them. Rows past
// `rows` in the last sliver are zeros, so the kernel can always compute a whole tile.
void pack_a(const double* a, std::ptrdiff_t lda, int rows, int kc, int mr, double* ap) {
    for (int i0 = 0; i0 < rows; i0 += mr) {
        for (int p = 0; p < kc; ++p) {
            for (int r = 0; r < mr; ++r) *ap++ = i0 + r < rows ? a[(i0 + r) * lda + p] : 0.0;
        }
    }
}

// Copies the kc x cols block of B at `b` (row stride ldb) into `bp` as slivers of nr columns, each
// stored row by row (nr values per step of k). Columns past `cols` in the last sliver are zeros.
void pack_b(const double* b, std::ptrdiff_t ldb, int kc, int cols, int nr, double* bp) {
    for (int j0 = 0; j0 < cols; j0 += nr) {
        for (int p = 0; p < kc; ++p) {
            for (int j = 0; j < nr; ++j) *bp++ = j0 + j < cols ? b[p * ldb + j0 + j] : 0.0;
        }
    }
}

// `count` doubles aligned to 64 bytes (a cache line, one AVX-512 vector) in a buffer this thread keeps
// between calls: a fresh allocation of megabytes on every call would cost page faults each time.
double* scratch(std::vector<double>& buffer, std::size_t count) {
    if (buffer.size() < count + 8) buffer.resize(count + 8);
    void* p = buffer.data();
    std::size_t space = buffer.size() * sizeof(double);
    return static_cast<double*>(std::align(64, count * sizeof(double), p, space));
}

using Kernel = void (*)(int, const double*, const double*, double*, std::ptrdiff_t);

// ---- your part -------------------------------------------------------------------------------------
// EXERCISE: choose the block sizes (the 1s only make the stub compile): a packed kc x nr sliver of B
// should stay in L1 while the kernel runs down a block of A, the packed mc x kc block of A in L2, the
// packed kc x nc panel of B in the last-level cache.
constexpr int kKc = 1;
constexpr int kMc = 1;
constexpr int kNc = 1;

// Returns the micro-kernel of path `isa` (microkernel_avx2 and microkernel_avx512 exist only on x86-64).
Kernel kernel_for(wb::Isa isa) {
    // EXERCISE: one kernel per path, so that a test that asks for a path sees that path's kernel run.
    (void)isa;
    WB_TODO("07.5");
}

}  // namespace

void matmul_blocked(std::span<const double> a, std::span<const double> b, std::span<double> c, int m, int n,
                    int k, wb::Isa isa) {
    if (m < 0 || n < 0 || k < 0) throw std::invalid_argument("matmul_blocked: negative dimension");
    const auto mm = static_cast<std::size_t>(m), nn = static_cast<std::size_t>(n), kk = static_cast<std::size_t>(k);
    if (a.size() != mm * kk || b.size() != kk * nn || c.size() != mm * nn)
        throw std::invalid_argument("matmul_blocked: a, b or c does not match m, n and k");
    if (!wb::cpu_has(isa)) throw std::invalid_argument(std::string("matmul_blocked: this CPU does not run ") + wb::isa_name(isa));

    // EXERCISE: C = A B. Loop over panels of kNc columns of B, blocks of kKc steps of k (pack the
    // panel with pack_b) and blocks of kMc rows of A (pack with pack_a), then over the tiles of the block
    // of C: kernel_for(isa) adds each tile's part, so C must start from 0 and each block over k adds to
    // it. A tile that sticks out past row m or column n (the last ones, when m or n is not a multiple of
    // the tile) must still be computed, without writing outside C. Take the packed buffers from
    // scratch() (sized for the largest blocks), not from a new allocation per call.
    WB_TODO("07.5");
}

WB_IMPL_END
}  // namespace ch07
