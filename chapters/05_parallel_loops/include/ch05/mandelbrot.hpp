// ch05/mandelbrot.hpp: exercise 05.3, choosing the schedule of an OpenMP loop over rows of very
// different cost, and saying why.
#pragma once

#include <span>

#include "ch05/kernels.hpp"
#include "ch05/schedule_model.hpp"
#include "wb/exercise.hpp"

namespace ch05 {

/// A decision and its reason: the schedule the loop over rows uses, and one line quoting what
/// ch05_program measured that made you choose it (the busy times or imbalances of its schedule table).
struct ScheduleChoice {
    LoopSchedule schedule;
    const char* why = "";
};

WB_IMPL_BEGIN

/// The schedule mandelbrot_omp uses, and why.
ScheduleChoice schedule_choice();

/// Escape times of every pixel of `f` into `out` (row-major, out.size() == pixels(f)), the rows shared
/// among `threads` OpenMP threads (threads >= 1) under the schedule that schedule_choice() names. Same
/// result as the serial loop over mandelbrot_row. If `owner` is not empty it has one entry per row, and
/// owner[row] is set to the number (omp_get_thread_num()) of the thread that computed the row. Throws
/// std::invalid_argument on a wrong size of `out` or `owner`, or threads < 1.
void mandelbrot_omp(const Frame& f, std::span<int> out, int threads, std::span<int> owner = {});

WB_IMPL_END

}  // namespace ch05
