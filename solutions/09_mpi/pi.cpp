// EXERCISE 09.2 Goal: compute pi with every rank integrating its own share of the intervals and one
// collective call adding the shares on the rank that asked for the result.
//
// What the grade checks: under mpirun with 1, 2 and 4 ranks, for several interval counts (some not a
// multiple of the ranks) and for root 0 and root size-1: the root's value equals the sum of the ranks'
// pi_partial shares within a relative 1e-12, every other rank gets std::nullopt, and bad arguments throw
// on every rank.
// Read first: chapters/09_mpi/README.md, sections "Collectives" and "Pi by a reduction".
// Stuck? `./wb hint 09.2` shows a hint, one stage per call.
#include "ch09/pi.hpp"

#include <stdexcept>

namespace ch09 {
WB_IMPL_BEGIN

std::optional<double> pi_reduce(MPI_Comm comm, std::int64_t intervals, int root) {
    const int rank = rank_of(comm), size = size_of(comm);
    if (intervals < 1) throw std::invalid_argument("pi_reduce: intervals < 1");
    if (root < 0 || root >= size) throw std::invalid_argument("pi_reduce: root outside the communicator");
    const double mine = pi_partial(block_range(intervals, rank, size), intervals);
    double total = 0.0;
    MPI_Reduce(&mine, &total, 1, MPI_DOUBLE, MPI_SUM, root, comm);
    if (rank != root) return std::nullopt;
    return total;
}

WB_IMPL_END
}  // namespace ch09
