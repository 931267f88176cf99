// EXERCISE 00.3 Goal: the STREAM triad a[i] = b[i] + scalar * c[i] with its iterations shared among the
// OpenMP threads (as many as omp_get_max_threads() says), each thread taking one contiguous block: the
// kernel that measures how fast memory feeds the cores.
//
// What the grade checks: every element right and nothing outside the arrays written, for sizes from 0
// up and every thread count from 1 to past the cores; that the other threads really do their share
// (the test measures the CPU time spent on threads other than the caller: a loop that runs on the
// caller alone has none); the race check under ThreadSanitizer (no element may be written by two
// threads); and the speed report against the reference, in cache and in memory (goal 0.8).
// Read first: chapters/00_measuring_performance/README.md, sections "The limits of your machine" and
// "STREAM and the peak".
// Stuck? `./wb hint 00.3` shows a hint, one stage per call.
#include "ch00/triad.hpp"

#include <cstddef>
#include <stdexcept>

namespace ch00 {
WB_IMPL_BEGIN

void triad(std::span<double> a, std::span<const double> b, std::span<const double> c, double scalar) {
    if (b.size() != a.size() || c.size() != a.size())
        throw std::invalid_argument("triad: a, b and c must have the same size");
    const std::size_t n = a.size();
    // EXERCISE: a[i] == b[i] + scalar * c[i] for every i in [0, n), the range split among the OpenMP
    //           threads into equal contiguous blocks, each element written by exactly one thread.
    WB_TODO("00.3");
}

WB_IMPL_END
}  // namespace ch00
