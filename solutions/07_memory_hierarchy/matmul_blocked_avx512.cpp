// EXERCISE 07.5 Goal: the micro-kernel (this file: AVX-512); it adds the product of a packed sliver of A
// and a packed sliver of B to one tile of C held in vector registers, 8 doubles per register, with
// one FMA per register per step of k.
//
// What the grade checks: the tests of matmul_blocked.cpp run this kernel whenever the CPU has AVX-512
// (results against the naive reference, and microkernel_calls shows this path did the work); the speed
// report times the whole multiply. The blocking is in matmul_blocked.cpp, and microkernel_scalar there
// is the model to translate.
// Read first: chapters/07_memory_hierarchy/README.md, section "Matrix multiply: from three loops to
// a micro-kernel".
// Stuck? `./wb hint 07.5` shows a hint, one stage per call.
//
// The build compiles every file named *_avx512.cpp with the AVX-512 flags; it is called only on a CPU
// that runs them (wb::cpu_has).
#if defined(__AVX512F__)
#include <immintrin.h>

#include "ch07/matmul.hpp"

namespace ch07 {
WB_IMPL_BEGIN

// A 12 x 16 tile of C lives in 24 registers of 8 doubles (of the 32 AVX-512 has) for the whole pass
// over k. Each step of k loads two vectors of B, broadcasts 12 values of A, and does 24 independent
// FMAs: enough chains in flight to keep two FMA units with 4-cycle latency busy.
void microkernel_avx512(int kc, const double* ap, const double* bp, double* c, std::ptrdiff_t ldc) {
    microkernel_calls[static_cast<int>(wb::Isa::avx512)].fetch_add(1, std::memory_order_relaxed);
    constexpr int mr = 12, nr = 16;
    __m512d acc[mr][2];
#pragma GCC unroll 12
    for (int r = 0; r < mr; ++r) acc[r][0] = acc[r][1] = _mm512_setzero_pd();
    for (int p = 0; p < kc; ++p) {
        const __m512d b0 = _mm512_loadu_pd(bp + p * nr);
        const __m512d b1 = _mm512_loadu_pd(bp + p * nr + 8);
        const double* a = ap + p * mr;
#pragma GCC unroll 12
        for (int r = 0; r < mr; ++r) {
            const __m512d ar = _mm512_set1_pd(a[r]);
            acc[r][0] = _mm512_fmadd_pd(ar, b0, acc[r][0]);
            acc[r][1] = _mm512_fmadd_pd(ar, b1, acc[r][1]);
        }
    }
#pragma GCC unroll 12
    for (int r = 0; r < mr; ++r) {
        double* row = c + r * ldc;
        _mm512_storeu_pd(row, _mm512_add_pd(_mm512_loadu_pd(row), acc[r][0]));
        _mm512_storeu_pd(row + 8, _mm512_add_pd(_mm512_loadu_pd(row + 8), acc[r][1]));
    }
}

WB_IMPL_END
}  // namespace ch07
#endif
