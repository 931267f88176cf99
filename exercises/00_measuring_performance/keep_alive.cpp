// EXERCISE 00.2 Goal: a hand-made benchmark loop whose work the optimizer cannot delete although nothing
// uses its results: two guards that cost no instruction, escape() and clobber(), and a timing loop
// that uses them so that each of its `repeats` sums really reads the data.
//
// What the grade checks: the guards change no value; seconds_per_sum() reads the whole array once per
// repeat (the test counts the reads without a clock: it makes the array's pages unreadable and counts
// the faults), so a loop that was deleted, or that computed one sum for all repeats, fails; the speed
// report then refuses a rate that no real sum can reach and compares your loop with the reference
// (goal 0.8).
// Read first: chapters/00_measuring_performance/README.md, section "The optimizer may delete what you time".
// Stuck? `./wb hint 00.2` shows a hint, one stage per call.
#include "ch00/keep_alive.hpp"

#include <chrono>
#include <stdexcept>

namespace ch00 {
WB_IMPL_BEGIN

void escape(const void* p) {
    // EXERCISE: no instruction is generated here, yet the compiler must assume that code it cannot see
    //           reads the memory at p, and may read and write any other memory, at this point.
    WB_TODO("00.2");
}

void clobber() {
    // EXERCISE: no instruction is generated here, yet the compiler must assume that code it cannot see
    //           may have read and written any memory at this point.
    WB_TODO("00.2");
}

double seconds_per_sum(std::span<const double> x, int repeats) {
    if (repeats < 1) throw std::invalid_argument("seconds_per_sum: repeats must be at least 1");
    const auto start = std::chrono::steady_clock::now();
    for (int r = 0; r < repeats; ++r) {
        double s = sum_of_squares(x);
        // EXERCISE: nothing reads s, so the optimizer may delete the line above; and x does not change in
        //           this loop, so it may compute one sum for all repeats. Neither may happen: every
        //           repeat computes its own sum of x, at no cost beyond the sum itself.
        WB_TODO("00.2");
    }
    const auto stop = std::chrono::steady_clock::now();
    return std::chrono::duration<double>(stop - start).count() / repeats;
}

WB_IMPL_END
}  // namespace ch00
