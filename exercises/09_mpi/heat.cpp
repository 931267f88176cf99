// EXERCISE 09.3 Goal: the halo exchange of the row-split heat stencil: before each step every rank
// copies its neighbours' edge rows into its halo rows, so that the split grid evolves exactly as the
// whole grid would on one rank.
//
// What the grade checks: under mpirun with 1, 2 and 4 ranks, after one exchange each halo row holds its
// neighbour's edge row (the outer halos of the first and last rank keep the fixed boundary), and 50
// steps of exchange + heat_rows give, bit for bit, the grid one rank computes alone; rows are 2048
// doubles, far beyond what MPI buffers for you, and a job that does not finish in time fails as a hang.
// Read first: chapters/09_mpi/README.md, sections "The heat stencil and its halo" and "Deadlock".
// Stuck? `./wb hint 09.3` shows a hint, one stage per call.
#include "ch09/heat.hpp"

namespace ch09 {
WB_IMPL_BEGIN

void exchange_halos(MPI_Comm comm, HeatBlock& b) {
    // EXERCISE: the upper halo (row 0) gets the last own row of the rank above and the lower halo
    // (row b.rows + 1) the first own row of the rank below; this rank's edge rows go the other way. The
    // first and last rank leave their outer halo alone. No pair of ranks may wait on each other for ever.
    WB_TODO("09.3");
}

WB_IMPL_END
}  // namespace ch09
