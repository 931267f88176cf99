// EXERCISE 05.3 Goal: decide how the rows of a lopsided Mandelbrot frame are shared among OpenMP threads,
// from what the per-thread busy times show, and write the loop that shares them that way.
//
// What the grade checks: the image equals the serial one for 1 to cores+2 threads; owner[row] names a
// thread of the team; the rows reach the threads the way the schedule named by schedule_choice() hands
// them out (read from owner[] over several runs); that schedule keeps the work balanced by the cost
// model of ch05/schedule_model.hpp on lopsided_frame(320, 160, 600), an imbalance of at most 1.10 for
// every team of 2 to 8 threads; `why` is one line of at least 20 characters that quotes a number from the
// program's schedule table. The speed report times your loop against the reference on all cores (goal 0.85).
// Read first: chapters/05_parallel_loops/README.md, section "Schedules: when iterations cost different amounts".
// Stuck? `./wb hint 05.3` shows a hint, one stage per call.
#include "ch05/mandelbrot.hpp"

#include <omp.h>

#include <stdexcept>

namespace ch05 {
WB_IMPL_BEGIN

ScheduleChoice schedule_choice() {
    // EXERCISE: run `./wb run 05` and read its table 2 (time, busy time per thread and imbalance of seven
    // schedules on this frame). Return the schedule your loop below uses, and one line saying which of
    // those numbers decided it.
    WB_TODO("05.3");
}

void mandelbrot_omp(const Frame& f, std::span<int> out, int threads, std::span<int> owner) {
    if (out.size() != pixels(f)) throw std::invalid_argument("mandelbrot_omp: out has the wrong size");
    if (!owner.empty() && owner.size() != static_cast<std::size_t>(f.height))
        throw std::invalid_argument("mandelbrot_omp: owner needs one entry per row");
    if (threads < 1) throw std::invalid_argument("mandelbrot_omp: threads < 1");
    // EXERCISE: every row 0 .. f.height-1 computed once with mandelbrot_row, by a team of exactly `threads`
    // OpenMP threads that share the rows under the schedule schedule_choice() names; when owner is not
    // empty, owner[row] holds the number of the thread that computed the row.
    WB_TODO("05.3");
}

WB_IMPL_END
}  // namespace ch05
