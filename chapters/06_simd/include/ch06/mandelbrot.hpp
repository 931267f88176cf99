// ch06/mandelbrot.hpp: exercise 06.4, Mandelbrot with several pixels per vector register.
#pragma once

#include <span>

#include "ch06/kernels.hpp"
#include "wb/exercise.hpp"
#include "wb/isa.hpp"

namespace ch06 {
WB_IMPL_BEGIN

/// The escape count of every pixel of `f` into `out` (row-major, out.size() == pixels(f), else
/// std::invalid_argument), on the instruction-set path `isa` (the caller checks wb::cpu_has(isa)): each
/// count equal to escape_time() of the same pixel, exactly, on every path.
void mandelbrot_simd(const Frame& f, std::span<int> out, wb::Isa isa);

WB_IMPL_END
}  // namespace ch06
