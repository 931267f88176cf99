// EXERCISE 06.2 Goal: the sum of squares with AVX2 and AVX-512 vector registers: several vector
// accumulators, a horizontal add at the end, and the elements that do not fill a whole vector.
//
// What the grade checks: on every path this CPU has (scalar, avx2, avx512), for every size 0 to 70 and
// some large ones, the result is within n * 2^-53 (relative) of a long-double reference; a vector path
// that reads past the end of x fails under AddressSanitizer. The speed report times the widest path
// against the reference, on data in the L1 cache (goal 0.7).
// Read first: chapters/06_simd/README.md, sections "Intrinsics" and "Horizontal sums and tails".
// Stuck? `./wb hint 06.2` shows a hint, one stage per call.
#include "ch06/sum_squares.hpp"

#include <cstddef>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace ch06 {
WB_IMPL_BEGIN
namespace {

// Four independent chains: the additions of one chain wait for each other, four chains overlap.
double scalar_path(const double* p, std::size_t n) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 += p[i] * p[i];
        s1 += p[i + 1] * p[i + 1];
        s2 += p[i + 2] * p[i + 2];
        s3 += p[i + 3] * p[i + 3];
    }
    for (; i < n; ++i) s0 += p[i] * p[i];
    return (s0 + s1) + (s2 + s3);
}

#if defined(__x86_64__)
__attribute__((target("avx2,fma"))) double avx2_path(const double* p, std::size_t n) {
    // EXERCISE: the sum of p[0]^2 .. p[n-1]^2 with 256-bit registers (4 doubles): several vector
    // accumulators, one horizontal add at the end, and the last n % 4 elements counted too.
    WB_TODO("06.2");
}

__attribute__((target("avx512f,avx512vl,avx512dq,avx512bw,avx2,fma"))) double avx512_path(const double* p,
                                                                                         std::size_t n) {
    // EXERCISE: the same with 512-bit registers (8 doubles). The elements after the last whole vector
    // must be counted without reading a single byte past p[n-1].
    WB_TODO("06.2");
}
#endif

}  // namespace

//! [dispatch]
double sum_squares(std::span<const double> x, wb::Isa isa) {
    switch (isa) {
#if defined(__x86_64__)
        case wb::Isa::avx512: return avx512_path(x.data(), x.size());
        case wb::Isa::avx2: return avx2_path(x.data(), x.size());
#endif
        default: return scalar_path(x.data(), x.size());
    }
}
//! [dispatch]

WB_IMPL_END
}  // namespace ch06
