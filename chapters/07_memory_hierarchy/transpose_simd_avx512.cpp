// transpose_simd_avx512.cpp: the tiled transpose with 8 x 8 blocks transposed in AVX-512 registers (see
// memory.hpp, transpose_simd). Compiled with -mavx512f ...
#if defined(__AVX512F__)
#include <immintrin.h>

#include <algorithm>
#include <cstdint>

#include "memory.hpp"

namespace ch07::demo {

namespace {

// Stores one row of a block. Streaming stores (non-temporal) write whole lines without reading them
// first: no read-for-ownership of `out`, whose lines would otherwise come in from memory only to be
// overwritten. They need aligned addresses, hence the two versions.
template <bool kStream>
inline void put(double* p, __m512d v) {
    if constexpr (kStream) _mm512_stream_pd(p, v);
    else _mm512_storeu_pd(p, v);
}

template <bool kStream>
void blocks(const double* in, double* out, std::size_t rows, std::size_t cols) {
    constexpr std::size_t T = 32, B = 8;
    // Lane selections of _mm512_permutex2var_pd: 0-7 from the first operand, 8-15 from the second
    // (also for the unpacks: GCC 12's _mm512_unpacklo_pd trips its own uninitialized-value warning).
    const __m512i even = _mm512_setr_epi64(0, 8, 2, 10, 4, 12, 6, 14);
    const __m512i odd = _mm512_setr_epi64(1, 9, 3, 11, 5, 13, 7, 15);
    const __m512i pairs_lo = _mm512_setr_epi64(0, 1, 8, 9, 4, 5, 12, 13);
    const __m512i pairs_hi = _mm512_setr_epi64(2, 3, 10, 11, 6, 7, 14, 15);
    const __m512i halves_lo = _mm512_setr_epi64(0, 1, 2, 3, 8, 9, 10, 11);
    const __m512i halves_hi = _mm512_setr_epi64(4, 5, 6, 7, 12, 13, 14, 15);
    for (std::size_t ib = 0; ib < rows; ib += T) {
        const std::size_t ie = std::min(ib + T, rows);
        for (std::size_t jb = 0; jb < cols; jb += T) {
            const std::size_t je = std::min(jb + T, cols);
            std::size_t j = jb;
            for (; j + B <= je; j += B) {
                std::size_t i = ib;
                for (; i + B <= ie; i += B) {
                    __m512d r[8], a[8], b[4], c[4];
                    for (int k = 0; k < 8; ++k) r[k] = _mm512_loadu_pd(in + (i + std::size_t(k)) * cols + j);
                    for (int k = 0; k < 8; k += 2) {  // a[k]: even columns of rows k, k+1; a[k+1]: odd ones
                        a[k] = _mm512_permutex2var_pd(r[k], even, r[k + 1]);
                        a[k + 1] = _mm512_permutex2var_pd(r[k], odd, r[k + 1]);
                    }
                    // b: rows 0-3, c: rows 4-7, columns {0,4}, {1,5}, {2,6}, {3,7} in that order.
                    b[0] = _mm512_permutex2var_pd(a[0], pairs_lo, a[2]);
                    b[1] = _mm512_permutex2var_pd(a[1], pairs_lo, a[3]);
                    b[2] = _mm512_permutex2var_pd(a[0], pairs_hi, a[2]);
                    b[3] = _mm512_permutex2var_pd(a[1], pairs_hi, a[3]);
                    c[0] = _mm512_permutex2var_pd(a[4], pairs_lo, a[6]);
                    c[1] = _mm512_permutex2var_pd(a[5], pairs_lo, a[7]);
                    c[2] = _mm512_permutex2var_pd(a[4], pairs_hi, a[6]);
                    c[3] = _mm512_permutex2var_pd(a[5], pairs_hi, a[7]);
                    for (int k = 0; k < 4; ++k) {
                        put<kStream>(out + (j + std::size_t(k)) * rows + i, _mm512_permutex2var_pd(b[k], halves_lo, c[k]));
                        put<kStream>(out + (j + std::size_t(k) + 4) * rows + i,
                                         _mm512_permutex2var_pd(b[k], halves_hi, c[k]));
                    }
                }
                for (; i < ie; ++i)
                    for (std::size_t jj = j; jj < j + B; ++jj) out[jj * rows + i] = in[i * cols + jj];
            }
            for (; j < je; ++j)
                for (std::size_t i = ib; i < ie; ++i) out[j * rows + i] = in[i * cols + j];
        }
    }
}

}  // namespace

void transpose_simd_avx512(const double* in, double* out, std::size_t rows, std::size_t cols, bool stream) {
    // Streaming pays only for data beyond the caches (in-cache, it would evict `out` for nothing), so
    // the caller decides. Every block row starts on a 64-byte boundary when `out` does and a row of `out` is a whole number
    // of vectors: then the stores can stream (after them, a fence orders them before later stores).
    if (stream && reinterpret_cast<std::uintptr_t>(out) % 64 == 0 && rows % 8 == 0) {
        blocks<true>(in, out, rows, cols);
        _mm_sfence();
    } else {
        blocks<false>(in, out, rows, cols);
    }
}

}  // namespace ch07::demo
#endif
