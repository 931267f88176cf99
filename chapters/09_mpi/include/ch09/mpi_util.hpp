// ch09/mpi_util.hpp: small helpers every part of chapter 09 uses. Not an exercise: inline and identical
// for the learner's side and the reference side.
#pragma once

#include <mpi.h>

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <thread>

namespace ch09 {

/// This process's rank in `comm` (0 .. size-1).
inline int rank_of(MPI_Comm comm) {
    int r = 0;
    MPI_Comm_rank(comm, &r);
    return r;
}

/// The number of ranks in `comm`.
inline int size_of(MPI_Comm comm) {
    int s = 0;
    MPI_Comm_size(comm, &s);
    return s;
}

/// A half-open range of indices [begin, end).
struct Range {
    std::int64_t begin = 0, end = 0;
    std::int64_t size() const { return end - begin; }
};

// [block_range]
/// The share of `rank` when n items are split among `ranks` in contiguous blocks, in rank order: the first
/// n % ranks ranks get one item more than the others. Every item belongs to exactly one rank.
inline Range block_range(std::int64_t n, int rank, int ranks) {
    if (n < 0 || ranks < 1 || rank < 0 || rank >= ranks) throw std::invalid_argument("block_range: bad arguments");
    const std::int64_t base = n / ranks, extra = n % ranks;
    const std::int64_t begin = rank * base + (rank < extra ? rank : extra);
    return {begin, begin + base + (rank < extra ? 1 : 0)};
}
// [block_range]

/// A barrier that sleeps while it waits. OpenMPI's blocking calls poll in a loop and keep a core busy:
/// ranks that sit out a measurement wait here instead, so that they leave the cores to the ranks measured.
inline void sleeping_barrier(MPI_Comm comm) {
    MPI_Request req;
    MPI_Ibarrier(comm, &req);
    int done = 0;
    while (true) {
        MPI_Test(&req, &done, MPI_STATUS_IGNORE);
        if (done) return;
        std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
}

}  // namespace ch09
