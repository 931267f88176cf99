// ch05/mandelbrot.hpp: exercise 05.3, an OpenMP parallel loop over rows of very different cost.
#pragma once

#include <span>

#include "ch05/kernels.hpp"
#include "wb/exercise.hpp"

namespace ch05 {

WB_IMPL_BEGIN

/// Escape times of every pixel of `f` into `out` (row-major, out.size() == pixels(f)), the rows shared
/// among `threads` OpenMP threads (threads >= 1) with a schedule that keeps every thread busy although
/// the cost of a row varies by orders of magnitude (see lopsided_frame). Same result as the serial
/// loop over mandelbrot_row. Throws std::invalid_argument on a wrong size or threads < 1.
void mandelbrot_omp(const Frame& f, std::span<int> out, int threads);

WB_IMPL_END

}  // namespace ch05
