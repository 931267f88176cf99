// EXERCISE 07.5 Goal: the micro-kernel (this file: AVX2 and FMA); it adds the product of a packed sliver of A
// and a packed sliver of B to one tile of C held in vector registers, 4 doubles per register, with
// one FMA per register per step of k.
//
// What the grade checks: the tests of matmul_blocked.cpp run this kernel whenever the CPU has AVX2 and FMA
// (results against the naive reference, and microkernel_calls shows this path did the work); the speed
// report times the whole multiply. The blocking is in matmul_blocked.cpp, and microkernel_scalar there
// is the model to translate.
// Read first: chapters/07_memory_hierarchy/README.md, section "Matrix multiply: from three loops to
// a micro-kernel".
// Stuck? `./wb hint 07.5` shows a hint, one stage per call.
//
// The build compiles every file named *_avx2.cpp with the AVX2 and FMA flags; it is called only on a CPU
// that runs them (wb::cpu_has).
#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>

#include "ch07/matmul.hpp"

namespace ch07 {
WB_IMPL_BEGIN

// A 6 x 8 tile of C lives in 12 registers of 4 doubles for the whole pass over k; with the two vectors
// of B and one broadcast value of A that makes 15 of AVX2's 16 registers. Each step of k does 12
// independent FMAs.
void microkernel_avx2(int kc, const double* ap, const double* bp, double* c, std::ptrdiff_t ldc) {
    microkernel_calls[static_cast<int>(wb::Isa::avx2)].fetch_add(1, std::memory_order_relaxed);
    constexpr int mr = 6, nr = 8;
    __m256d acc[mr][2];
#pragma GCC unroll 6
    for (int r = 0; r < mr; ++r) acc[r][0] = acc[r][1] = _mm256_setzero_pd();
    for (int p = 0; p < kc; ++p) {
        // EXERCISE: one step of k, as in microkernel_scalar: every accumulator acc[r][v] (row r of the
        // tile, columns 4v .. 4v+3) gains A(r, p) times those 4 values of row p of B, one FMA each.
        WB_TODO("07.5");
    }
#pragma GCC unroll 6
    for (int r = 0; r < mr; ++r) {
        double* row = c + r * ldc;
        _mm256_storeu_pd(row, _mm256_add_pd(_mm256_loadu_pd(row), acc[r][0]));
        _mm256_storeu_pd(row + 4, _mm256_add_pd(_mm256_loadu_pd(row + 4), acc[r][1]));
    }
}

WB_IMPL_END
}  // namespace ch07
#endif
