// transpose_simd_avx2.cpp: the tiled transpose with 4 x 4 blocks transposed in AVX2 registers (see
// memory.hpp, transpose_simd). Compiled with -mavx2 -mfma.
#if defined(__AVX2__)
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
inline void put(double* p, __m256d v) {
    if constexpr (kStream) _mm256_stream_pd(p, v);
    else _mm256_storeu_pd(p, v);
}

template <bool kStream>
void blocks(const double* in, double* out, std::size_t rows, std::size_t cols) {
    constexpr std::size_t T = 32, B = 4;
    for (std::size_t ib = 0; ib < rows; ib += T) {
        const std::size_t ie = std::min(ib + T, rows);
        for (std::size_t jb = 0; jb < cols; jb += T) {
            const std::size_t je = std::min(jb + T, cols);
            std::size_t j = jb;
            for (; j + B <= je; j += B) {
                std::size_t i = ib;
                for (; i + B <= ie; i += B) {
                    //! [avx2_4x4]
                    // Four rows of four doubles in, four columns out: pairs interleaved, then halves swapped.
                    const __m256d r0 = _mm256_loadu_pd(in + (i + 0) * cols + j);
                    const __m256d r1 = _mm256_loadu_pd(in + (i + 1) * cols + j);
                    const __m256d r2 = _mm256_loadu_pd(in + (i + 2) * cols + j);
                    const __m256d r3 = _mm256_loadu_pd(in + (i + 3) * cols + j);
                    const __m256d t0 = _mm256_unpacklo_pd(r0, r1), t1 = _mm256_unpackhi_pd(r0, r1);
                    const __m256d t2 = _mm256_unpacklo_pd(r2, r3), t3 = _mm256_unpackhi_pd(r2, r3);
                    put<kStream>(out + (j + 0) * rows + i, _mm256_permute2f128_pd(t0, t2, 0x20));
                    put<kStream>(out + (j + 1) * rows + i, _mm256_permute2f128_pd(t1, t3, 0x20));
                    put<kStream>(out + (j + 2) * rows + i, _mm256_permute2f128_pd(t0, t2, 0x31));
                    put<kStream>(out + (j + 3) * rows + i, _mm256_permute2f128_pd(t1, t3, 0x31));
                    //! [avx2_4x4]
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

void transpose_simd_avx2(const double* in, double* out, std::size_t rows, std::size_t cols, bool stream) {
    // Streaming pays only for data beyond the caches (in-cache, it would evict `out` for nothing), so
    // the caller decides. Every block row starts on a 32-byte boundary when `out` does and a row of `out` is a whole number
    // of vectors: then the stores can stream (after them, a fence orders them before later stores).
    if (stream && reinterpret_cast<std::uintptr_t>(out) % 32 == 0 && rows % 4 == 0) {
        blocks<true>(in, out, rows, cols);
        _mm_sfence();
    } else {
        blocks<false>(in, out, rows, cols);
    }
}

}  // namespace ch07::demo
#endif
