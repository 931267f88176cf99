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
    const int rank = rank_of(comm), size = size_of(comm);
    const int right = (rank + 1) % size, left = (rank - 1 + size) % size;
    std::vector<double> received(mine.size());
    const int count = static_cast<int>(mine.size());
    // The send and the receive in one call: MPI progresses both, so no rank waits for a receive that its
    // neighbour can only post after its own send has finished.
    MPI_Sendrecv(mine.data(), count, MPI_DOUBLE, right, 0, received.data(), count, MPI_DOUBLE, left, 0, comm,
                 MPI_STATUS_IGNORE);
    return received;
}

WB_IMPL_END
}  // namespace ch09
