// ch09/ring.hpp: exercise 09.1, a ring of messages: every rank passes its block to the next rank.
#pragma once

#include <mpi.h>

#include <span>
#include <vector>

#include "wb/exercise.hpp"

namespace ch09 {
WB_IMPL_BEGIN

/// Every rank of `comm` sends `mine` to rank (rank + 1) % size and returns the block it received from
/// rank (rank - 1 + size) % size: one step of a ring, periodic, so the last rank sends to rank 0. Every
/// rank passes a block of the same length, which may be anything from 0 to millions of doubles (too
/// large for MPI to buffer). A single rank sends to itself. Collective: every rank of `comm` calls it.
std::vector<double> ring_shift(MPI_Comm comm, std::span<const double> mine);

WB_IMPL_END
}  // namespace ch09
