// EXERCISE 05.3 Goal: share the rows of the Mandelbrot set among OpenMP threads with the right schedule.
//
// Steps:
//   1. Put an OpenMP parallel for on the loop over rows, with num_threads(threads).
//   2. Choose the schedule: the rows near the real axis cost hundreds of times more than the rows at the
//      top, so contiguous blocks of rows (the default static schedule) leave threads idle.
// Run `./wb grade 05` to check your work; its speed report compares your schedule with the reference.
#include "ch05/mandelbrot.hpp"

#include <stdexcept>

namespace ch05 {
WB_IMPL_BEGIN

void mandelbrot_omp(const Frame& f, std::span<int> out, int threads) {
    if (out.size() != pixels(f)) throw std::invalid_argument("mandelbrot_omp: out has the wrong size");
    if (threads < 1) throw std::invalid_argument("mandelbrot_omp: threads < 1");
    // EXERCISE: loop over the rows (0 .. f.height-1) calling mandelbrot_row(f, row, out), under an OpenMP
    // parallel for with num_threads(threads) and a schedule that balances rows of very different cost.
    // Hint: #pragma omp parallel for schedule(dynamic, 1) hands out one row at a time to whichever thread
    // is free; compare static, dynamic and guided with ch05_program.
    WB_TODO("05.3");
}

WB_IMPL_END
}  // namespace ch05
