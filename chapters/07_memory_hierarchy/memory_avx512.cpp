// memory_avx512.cpp: the read kernel on 512-bit vectors (compiled with -mavx512f ...; see memory.hpp).
#if defined(__AVX512F__)
#include <immintrin.h>

#include "memory.hpp"

namespace ch07::demo {

double read_sum_avx512(const double* x, std::size_t n) {
    __m512d a0 = _mm512_setzero_pd(), a1 = _mm512_setzero_pd(), a2 = _mm512_setzero_pd(), a3 = _mm512_setzero_pd();
    std::size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        a0 = _mm512_add_pd(a0, _mm512_loadu_pd(x + i));
        a1 = _mm512_add_pd(a1, _mm512_loadu_pd(x + i + 8));
        a2 = _mm512_add_pd(a2, _mm512_loadu_pd(x + i + 16));
        a3 = _mm512_add_pd(a3, _mm512_loadu_pd(x + i + 24));
    }
    // Reduced through memory: _mm512_reduce_add_pd and the 512-to-256-bit extracts trip GCC 12's
    // uninitialized-value warnings (a header bug).
    const __m512d a = _mm512_add_pd(_mm512_add_pd(a0, a1), _mm512_add_pd(a2, a3));
    alignas(64) double lanes[8];
    _mm512_store_pd(lanes, a);
    double s = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
    for (; i < n; ++i) s += x[i];
    return s;
}

}  // namespace ch07::demo
#endif
