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
    // EXERCISE: an asm statement with no instructions that uses p and clobbers "memory".
    // Hint: asm volatile("" : /* no outputs */ : "r"(p) : "memory");  volatile: it may not be removed.
    WB_TODO("00.2");
}

void clobber() {
    // EXERCISE: an asm statement with no instructions, no inputs and a "memory" clobber.
    // Hint: like escape() without the input operand.
    WB_TODO("00.2");
}

double seconds_per_sum(std::span<const double> x, int repeats) {
    if (repeats < 1) throw std::invalid_argument("seconds_per_sum: repeats must be at least 1");
    const auto start = std::chrono::steady_clock::now();
    for (int r = 0; r < repeats; ++r) {
        double s = sum_of_squares(x);
        // EXERCISE: nothing uses s, so the optimizer deletes the line above; and x never changes in
        //           this loop, so it could compute one sum for all repeats. Stop both.
        // Hint: escape(&s) after the sum ("someone reads s"), then clobber() ("x may have changed").
        WB_TODO("00.2");
    }
    const auto stop = std::chrono::steady_clock::now();
    return std::chrono::duration<double>(stop - start).count() / repeats;
}

WB_IMPL_END
}  // namespace ch00
