// ch05/reproducible_sum.hpp: exercise 05.5, a parallel sum whose bits do not depend on the thread count.
#pragma once

#include <cstddef>
#include <span>

#include "wb/exercise.hpp"

namespace ch05 {

/// Block length of reproducible_sum: fixed, whatever the number of threads.
inline constexpr std::size_t kSumBlock = 4096;

// [block_sum]
/// The sum of one block in a fixed order: four interleaved partial sums (element i goes to partial
/// i % 4), then (p0 + p1) + (p2 + p3). Four independent additions in flight instead of one chain; the
/// order is still fully determined by the data, so the result is the same on every call.
inline double block_sum(const double* p, std::size_t len) {
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    std::size_t i = 0;
    for (; i + 4 <= len; i += 4) {
        s0 += p[i];
        s1 += p[i + 1];
        s2 += p[i + 2];
        s3 += p[i + 3];
    }
    if (i < len) s0 += p[i++];
    if (i < len) s1 += p[i++];
    if (i < len) s2 += p[i++];
    return (s0 + s1) + (s2 + s3);
}
// [block_sum]

WB_IMPL_BEGIN

/// The sum of x, bitwise identical for every thread count (threads >= 1, else std::invalid_argument):
/// x is cut into blocks of kSumBlock elements (the last one shorter), each block is summed with
/// block_sum, possibly on different threads, and the block sums are added in block order, 0, 1, 2, ...
double reproducible_sum(std::span<const double> x, int threads);

WB_IMPL_END

}  // namespace ch05
