// Tests of exercise 09.1, run by tools/mpi_run.py under mpirun with 1, 2 and 4 ranks: every rank runs
// these test cases; a failed check on any rank ends the whole job with that rank's message, and a job
// that does not finish within the timeout (a deadlock) is reported as a hang.
#include <cstddef>
#include <vector>

#include "ch09/mpi_util.hpp"
#include "ch09/ring.hpp"
#include "wb/catch.hpp"
#include "wb/testing.hpp"

namespace {
// The block rank r sends: values that name the sender and the position, exact in a double.
std::vector<double> block_of(int r, std::size_t n) {
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = r * 1e7 + static_cast<double>(i);
    return v;
}
}  // namespace

TEST_CASE("09.1 every rank receives the block of the rank before it in the ring") {
    const int rank = ch09::rank_of(MPI_COMM_WORLD), size = ch09::size_of(MPI_COMM_WORLD);
    const int left = (rank - 1 + size) % size;
    // 3 doubles fit in any buffer; 2^18 doubles (2 MiB) are far beyond OpenMPI's eager limit (4 KiB
    // between processes on one machine), so a send waits for its matching receive; 0 is allowed too.
    for (std::size_t n : {std::size_t{3}, std::size_t{1} << 18, std::size_t{0}}) {
        INFO("rank " << rank << " of " << size << ", blocks of " << n << " doubles");
        const std::vector<double> got = ch09::ring_shift(MPI_COMM_WORLD, block_of(rank, n));
        REQUIRE(got.size() == n);
        INFO("expected the block of rank " << left << " (values " << left << "e7 + i); first value received: "
                                           << (n ? got[0] : -1.0));
        REQUIRE(got == block_of(left, n));
    }
}

TEST_CASE("09.1 size steps round the ring bring every block home") {
    const int rank = ch09::rank_of(MPI_COMM_WORLD), size = ch09::size_of(MPI_COMM_WORLD);
    std::vector<double> v = block_of(rank, 1000);
    for (int step = 0; step < size; ++step) v = ch09::ring_shift(MPI_COMM_WORLD, v);
    INFO("rank " << rank << " of " << size);
    REQUIRE(v == block_of(rank, 1000));
    REQUIRE(wb::testing::zombie_children().empty());
}

TEST_CASE("09.1 ring_shift works on a communicator other than MPI_COMM_WORLD") {
    // Two rings (even and odd ranks of the world), as MPI_Comm_split makes them: the function must use
    // the communicator it is given, its ranks and size, not the world's.
    const int world = ch09::rank_of(MPI_COMM_WORLD);
    MPI_Comm half;
    MPI_Comm_split(MPI_COMM_WORLD, world % 2, world, &half);
    const int rank = ch09::rank_of(half), size = ch09::size_of(half);
    const std::vector<double> got = ch09::ring_shift(half, block_of(rank, 5000));
    INFO("world rank " << world << ": rank " << rank << " of " << size << " in its half");
    REQUIRE(got == block_of((rank - 1 + size) % size, 5000));
    MPI_Comm_free(&half);
}
