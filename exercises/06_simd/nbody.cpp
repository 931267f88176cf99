// EXERCISE 06.5 Goal: the N-body accelerations with 4 or 8 bodies per vector register (structure of
// arrays), the reciprocal square root from the CPU's fast approximation refined by Newton steps, and
// the bodies shared among OpenMP threads.
//
// What the grade checks: on every path this CPU has (scalar, avx2, avx512), for 1 to cores+2 threads and
// body counts that are not multiples of the vector width (1, 5, 13, 100, 257), every component within
// 1e-12 * force_scale(b, i) of the double-precision reference: the fast approximation alone (12 or 14
// correct bits) or with one Newton step too few is far outside that. The speed report times the
// widest path on one thread against the reference (goal 0.7).
// Read first: chapters/06_simd/README.md, section "N-body: structure of arrays and a fast 1/sqrt".
// Stuck? `./wb hint 06.5` shows a hint, one stage per call.
#include "ch06/nbody.hpp"

#include <cmath>
#include <cstddef>
#include <stdexcept>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace ch06 {
WB_IMPL_BEGIN
namespace {

// Bodies [begin, end): the plain loop, a correctly rounded square root and a division.
void range_scalar(const Bodies& b, Accel& a, std::size_t begin, std::size_t end) {
    const std::size_t n = b.size();
    for (std::size_t i = begin; i < end; ++i) {
        double ax = 0, ay = 0, az = 0;
        for (std::size_t j = 0; j < n; ++j) {
            const double dx = b.x[j] - b.x[i], dy = b.y[j] - b.y[i], dz = b.z[j] - b.z[i];
            const double r2 = dx * dx + dy * dy + dz * dz + kSoftening2;
            const double s = b.m[j] / (r2 * std::sqrt(r2));
            ax += dx * s;
            ay += dy * s;
            az += dz * s;
        }
        a.x[i] = ax;
        a.y[i] = ay;
        a.z[i] = az;
    }
}

#if defined(__x86_64__)
// Bodies i .. i+3 (fewer at the end: `lanes` of them) against every body j.
__attribute__((target("avx2,fma"))) void group_avx2(const Bodies& b, Accel& a, std::size_t i, std::size_t lanes) {
    // EXERCISE: a.x[i + k], a.y[i + k], a.z[i + k] for k < lanes (1 to 4 bodies, 4 per 256-bit register),
    // the pulls of all n bodies j summed; 1 / sqrt(r^2) from the CPU's fast estimate, refined by Newton
    // steps until the error bound of the header holds. Read and write no element past i + lanes - 1.
    WB_TODO("06.5");
}

__attribute__((target("avx512f,avx512vl,avx512dq,avx512bw,avx2,fma"))) void group_avx512(const Bodies& b, Accel& a,
                                                                                        std::size_t i,
                                                                                        std::size_t lanes) {
    // EXERCISE: the same for 1 to 8 bodies per 512-bit register.
    WB_TODO("06.5");
}
#endif

}  // namespace

void accelerations(const Bodies& b, Accel& a, wb::Isa isa, int threads) {
    if (threads < 1) throw std::invalid_argument("accelerations: threads < 1");
    const std::size_t n = b.size();
    if (b.y.size() != n || b.z.size() != n || b.m.size() != n)
        throw std::invalid_argument("accelerations: x, y, z and m differ in size");
    a = Accel(n);
    // EXERCISE: delete this line once group_avx2 and group_avx512 are written (an exception must not
    // leave the parallel loop below).
    if (isa != wb::Isa::scalar) WB_TODO("06.5");
    const auto lanes = static_cast<std::size_t>(wb::isa_doubles(isa));
    const auto groups = static_cast<long>((n + lanes - 1) / lanes);
    // Groups of `lanes` bodies are independent: the threads share them.
#pragma omp parallel for schedule(static) num_threads(threads)
    for (long g = 0; g < groups; ++g) {
        const std::size_t i = static_cast<std::size_t>(g) * lanes;
        const std::size_t count = n - i < lanes ? n - i : lanes;
        switch (isa) {
#if defined(__x86_64__)
            case wb::Isa::avx512: group_avx512(b, a, i, count); break;
            case wb::Isa::avx2: group_avx2(b, a, i, count); break;
#endif
            default: range_scalar(b, a, i, i + count); break;
        }
    }
}

WB_IMPL_END
}  // namespace ch06
