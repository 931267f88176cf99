// EXERCISE 05.5 Goal: a parallel sum of x whose bits do not depend on the number of threads: the same
// additions in the same order whichever thread does them, as the interface in ch05/reproducible_sum.hpp
// defines them.
//
// What the grade checks: bit for bit the serial blocked sum (blocks of kSumBlock summed with block_sum,
// the block sums added in block order) for 1 to cores+2 threads, at sizes around the block boundaries;
// the same bits on every call; exact on data whose every partial sum is exact; 0 or negative threads
// throw; with 2 or more threads, other threads than the caller do their share of the work (CPU time
// measured per thread, so a serial loop fails however fast it is). Checked under ThreadSanitizer too.
// Read first: chapters/05_parallel_loops/README.md, section "Making a parallel sum reproducible".
// Stuck? `./wb hint 05.5` shows a hint, one stage per call.
#include "ch05/reproducible_sum.hpp"

#include <stdexcept>
#include <vector>

namespace ch05 {
WB_IMPL_BEGIN

double reproducible_sum(std::span<const double> x, int threads) {
    if (threads < 1) throw std::invalid_argument("reproducible_sum: threads < 1");
    const std::size_t n = x.size();
    const std::size_t blocks = (n + kSumBlock - 1) / kSumBlock;
    std::vector<double> partial(blocks);
    // EXERCISE: partial[b] holds the block_sum of block b (kSumBlock elements starting at b * kSumBlock;
    // the last block may be shorter), the blocks shared among a team of `threads` OpenMP threads.
    WB_TODO("05.5");
    // EXERCISE: return the total of the partial sums in an order that no thread count can change.
    WB_TODO("05.5");
}

WB_IMPL_END
}  // namespace ch05
