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
    const auto nb = static_cast<std::ptrdiff_t>(blocks);
#pragma omp parallel for schedule(static) num_threads(threads)
    for (std::ptrdiff_t b = 0; b < nb; ++b) {
        const std::size_t begin = static_cast<std::size_t>(b) * kSumBlock;
        const std::size_t len = begin + kSumBlock <= n ? kSumBlock : n - begin;
        partial[static_cast<std::size_t>(b)] = block_sum(x.data() + begin, len);
    }
    double total = 0.0;
    for (double s : partial) total += s;
    return total;
}

WB_IMPL_END
}  // namespace ch05
