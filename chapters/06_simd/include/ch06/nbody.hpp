// ch06/nbody.hpp: exercise 06.5, N-body accelerations in structure-of-arrays form with a fast
// reciprocal square root.
#pragma once

#include "ch06/kernels.hpp"
#include "wb/exercise.hpp"
#include "wb/isa.hpp"

namespace ch06 {
WB_IMPL_BEGIN

/// The acceleration of every body from all the others (see accelerations_reference) into `a` (resized
/// to b.size()), on the path `isa` (the caller checks wb::cpu_has(isa)) with `threads` OpenMP threads
/// (>= 1, else std::invalid_argument). Error: |a_i - exact| <= 1e-12 * force_scale(b, i) per component.
void accelerations(const Bodies& b, Accel& a, wb::Isa isa, int threads);

WB_IMPL_END
}  // namespace ch06
