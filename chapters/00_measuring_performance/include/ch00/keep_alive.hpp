// Exercise 00.2: a hand-made benchmark loop that the optimizer cannot delete.
#pragma once

#include <span>

#include "wb/exercise.hpp"

namespace ch00 {
WB_IMPL_BEGIN

/// Makes the compiler believe that code it cannot see reads and writes the memory at `p` here:
/// the value stored there must really be computed and stored, and nothing known about it survives.
/// Generates no instruction.
void escape(const void* p);

/// Makes the compiler believe that all memory may have been read and written here.
/// Generates no instruction.
void clobber();

/// The kernel being timed: the sum of x[i] * x[i]. Inline, so the optimizer sees that it has no
/// side effect and may delete a call whose result nobody uses.
inline double sum_of_squares(std::span<const double> x) {
    double s = 0.0;
    for (double v : x) s += v * v;
    return s;
}

/// Times `repeats` calls of sum_of_squares(x) whose results are thrown away, as the body of a
/// benchmark does, and returns the wall seconds per call. Every call must really run.
/// Throws std::invalid_argument when repeats < 1.
double seconds_per_sum(std::span<const double> x, int repeats);

WB_IMPL_END
}  // namespace ch00
