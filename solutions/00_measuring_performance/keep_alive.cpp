// EXERCISE 00.2 Goal: a hand-made benchmark loop whose work the optimizer cannot delete, although
// nothing uses its results.
//
// Steps:
//   1. escape(p): an empty inline-assembly statement that takes p as an input and clobbers memory.
//   2. clobber(): an empty inline-assembly statement that only clobbers memory.
//   3. seconds_per_sum(): guard each call of the kernel with them, so every call really runs.
// Run `./wb grade 00` to check your work (the speed report also checks that your loop was not deleted).
#include "ch00/keep_alive.hpp"

#include <chrono>
#include <stdexcept>

namespace ch00 {
WB_IMPL_BEGIN

void escape(const void* p) {
    // The compiler cannot see into an asm statement: with p as input and "memory" as clobber it must
    // assume the statement reads what p points to (so it must be there) and may change any memory.
    asm volatile("" : : "r"(p) : "memory");
}

void clobber() {
    asm volatile("" : : : "memory");
}

double seconds_per_sum(std::span<const double> x, int repeats) {
    if (repeats < 1) throw std::invalid_argument("seconds_per_sum: repeats must be at least 1");
    const auto start = std::chrono::steady_clock::now();
    for (int r = 0; r < repeats; ++r) {
        double s = sum_of_squares(x);
        escape(&s);  // someone reads s: the sum must be computed
        clobber();   // x may have changed: the next sum cannot reuse this one
    }
    const auto stop = std::chrono::steady_clock::now();
    return std::chrono::duration<double>(stop - start).count() / repeats;
}

WB_IMPL_END
}  // namespace ch00
