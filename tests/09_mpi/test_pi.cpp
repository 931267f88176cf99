// Tests of exercise 09.2, run by tools/mpi_run.py under mpirun with 1, 2 and 4 ranks (see test_ring.cpp).
#include <cmath>
#include <cstdint>
#include <optional>
#include <stdexcept>

#include "ch09/mpi_util.hpp"
#include "ch09/pi.hpp"
#include "wb/catch.hpp"

namespace {
// The sum of every rank's share, added here in rank order. MPI_Reduce may add the shares in another
// order (the order depends on the algorithm and the number of ranks), which changes the last bits of a
// sum of at most 4 terms of the same sign by a few ulps: 1e-12 relative allows that with a wide margin,
// while a missing, doubled or misplaced interval moves the result by about 4 / intervals (4e-7 relative
// at a million intervals) or more.
double expected_pi(std::int64_t intervals, int size) {
    double total = 0.0;
    for (int r = 0; r < size; ++r) total += ch09::pi_partial(ch09::block_range(intervals, r, size), intervals);
    return total;
}
}  // namespace

TEST_CASE("09.2 the root gets pi, every other rank gets nothing") {
    const int rank = ch09::rank_of(MPI_COMM_WORLD), size = ch09::size_of(MPI_COMM_WORLD);
    for (int root : {0, size - 1}) {
        for (std::int64_t n : {std::int64_t{1}, std::int64_t{7}, std::int64_t{1'000'003}}) {
            INFO("rank " << rank << " of " << size << ", root " << root << ", " << n << " intervals");
            const std::optional<double> got = ch09::pi_reduce(MPI_COMM_WORLD, n, root);
            if (rank == root) {
                INFO("the root got no value: was the sum reduced to this rank?");
                REQUIRE(got.has_value());
                const double want = expected_pi(n, size);
                INFO("got " << *got << ", expected " << want << " (the sum of each rank's block_range share)");
                REQUIRE(std::abs(*got - want) <= 1e-12 * want);
            } else {
                INFO("a rank that is not the root must return std::nullopt");
                REQUIRE_FALSE(got.has_value());
            }
        }
    }
}

TEST_CASE("09.2 with many intervals the value is pi") {
    // The midpoint rule's error is about 1 / (3 n^2), 3e-13 at a million intervals.
    const int rank = ch09::rank_of(MPI_COMM_WORLD);
    const std::optional<double> got = ch09::pi_reduce(MPI_COMM_WORLD, 1'000'000, 0);
    if (rank == 0) {
        REQUIRE(got.has_value());
        REQUIRE(std::abs(*got - 3.14159265358979323846) < 1e-11);
    }
}

TEST_CASE("09.2 bad arguments throw on every rank") {
    const int size = ch09::size_of(MPI_COMM_WORLD);
    REQUIRE_THROWS_AS(ch09::pi_reduce(MPI_COMM_WORLD, 0, 0), std::invalid_argument);
    REQUIRE_THROWS_AS(ch09::pi_reduce(MPI_COMM_WORLD, 100, size), std::invalid_argument);
    REQUIRE_THROWS_AS(ch09::pi_reduce(MPI_COMM_WORLD, 100, -1), std::invalid_argument);
}
