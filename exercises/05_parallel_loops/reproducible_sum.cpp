// EXERCISE 05.5 Goal: a parallel sum that gives the same bits for every thread count.
//
// Steps:
//   1. Sum every block of kSumBlock elements with block_sum into partial[b], the blocks shared among
//      `threads` OpenMP threads (any schedule: a block's sum does not depend on who computes it).
//   2. Add the partial sums in block order on one thread.
// Run `./wb grade 05` to check your work.
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
    // EXERCISE: for every block b (in parallel, num_threads(threads)): partial[b] = block_sum of the
    // elements [b * kSumBlock, min(n, (b + 1) * kSumBlock)).
    // Hint: the last block is shorter; an OpenMP loop variable must be signed or a plain unsigned type,
    // so loop over std::ptrdiff_t b and cast back to std::size_t for indexing.
    WB_TODO("05.5");
    // EXERCISE: add the partial sums in block order, on this thread, and return the total.
    // Hint: a plain for loop over partial; never let the order depend on which thread finished first.
    WB_TODO("05.5");
}

WB_IMPL_END
}  // namespace ch05
