// EXERCISE 09.4 Goal: share the rows of chapter 05's lopsided Mandelbrot frame among ranks the way a
// cluster job must when some nodes are slower than others: a manager hands out one row at a time to
// whichever worker is free, instead of a fixed block per rank.
//
// What the grade checks: under mpirun with 1, 2 and 4 ranks, rank 0 assembles the image of the serial
// loop (exactly: same integer escape times), owner[] names the rank that computed each row (a worker
// when there are workers), the job ends (every worker is told to stop; a hang fails), and with one worker
// slowed down 60 ms per row the others take over its share: it computes at most half of an equal block.
// Read first: chapters/09_mpi/README.md, section "Manager and workers".
// Stuck? `./wb hint 09.4` shows a hint, one stage per call.
#include "ch09/manager_worker.hpp"

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "ch09/mpi_util.hpp"

namespace ch09 {
WB_IMPL_BEGIN

void mandelbrot_manager_worker(MPI_Comm comm, const ch05::Frame& f, std::span<int> out, std::span<int> owner,
                               const std::function<void(int row)>& before_row) {
    // EXERCISE: one rank computes every row itself. With workers, rank 0 hands out one row at a time to
    // whichever worker has just returned a row, files each returned row where it belongs in `out` and
    // records the rank that computed it in `owner`, and tells each worker to stop when no row is left;
    // the workers compute the rows they are given (calling before_row first, when set) and send them back.
    WB_TODO("09.4");
}

WB_IMPL_END
}  // namespace ch09
