// ch09/pi.hpp: exercise 09.2, pi by a reduction: every rank integrates its share, one rank gets the sum.
#pragma once

#include <mpi.h>

#include <cstdint>
#include <optional>

#include "ch09/mpi_util.hpp"
#include "wb/exercise.hpp"

namespace ch09 {

// [pi_partial]
/// The midpoint rule for pi = integral over [0, 1] of 4 / (1 + x^2), with `intervals` intervals of width
/// h = 1 / intervals: the sum over i in [r.begin, r.end) of h * 4 / (1 + x_i^2), x_i = (i + 0.5) * h,
/// added in the order of i. Over all intervals it differs from pi by about 1 / (3 * intervals^2).
inline double pi_partial(Range r, std::int64_t intervals) {
    const double h = 1.0 / static_cast<double>(intervals);
    double sum = 0.0;
    for (std::int64_t i = r.begin; i < r.end; ++i) {
        const double x = (static_cast<double>(i) + 0.5) * h;
        sum += 4.0 / (1.0 + x * x);
    }
    return sum * h;
}
// [pi_partial]

WB_IMPL_BEGIN

/// Pi by the midpoint rule with `intervals` intervals (>= 1), the intervals split among the ranks of
/// `comm` by block_range (ch09/mpi_util.hpp), each rank's share integrated with pi_partial, and the
/// shares summed on rank `root` (0 <= root < size). Returns the sum on `root` and std::nullopt on every
/// other rank. Collective: every rank calls it with the same arguments. Throws std::invalid_argument on
/// intervals < 1 or a root outside the communicator (on every rank, before any message).
std::optional<double> pi_reduce(MPI_Comm comm, std::int64_t intervals, int root);

WB_IMPL_END
}  // namespace ch09
