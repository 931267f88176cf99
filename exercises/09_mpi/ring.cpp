// EXERCISE 09.1 Goal: pass every rank's block one step round a ring of ranks, so that each rank ends up
// with its left neighbour's block, without the ranks waiting on one another for ever.
//
// What the grade checks: under mpirun with 1, 2 and 4 ranks (4 oversubscribed), each under a timeout,
// every rank gets the block of rank - 1 (rank 0 that of the last), for blocks of 0, 3 and 2^18 doubles
// (2 MiB, far beyond what MPI buffers for you), `size` steps bring every block home, and the ring also
// works on a communicator split from the world. A job that does not finish in time fails as a hang.
// Read first: chapters/09_mpi/README.md, sections "Point to point: blocking and non-blocking" and
// "Deadlock".
// Stuck? `./wb hint 09.1` shows a hint, one stage per call.
#include "ch09/ring.hpp"

#include "ch09/mpi_util.hpp"

namespace ch09 {
WB_IMPL_BEGIN

std::vector<double> ring_shift(MPI_Comm comm, std::span<const double> mine) {
    // EXERCISE: send `mine` to the next rank of the ring and return what the previous rank sent, in a way
    // that cannot deadlock however large the block and however many ranks (one included).
    WB_TODO("09.1");
}

WB_IMPL_END
}  // namespace ch09
