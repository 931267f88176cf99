// ch05/reduction.hpp: exercise 05.4, an OpenMP reduction of several quantities in one pass.
#pragma once

#include <span>

#include "wb/exercise.hpp"

namespace ch05 {

/// What summarize() computes.
struct Summary {
    double sum = 0.0;
    double min = 0.0;
    double max = 0.0;
};

WB_IMPL_BEGIN

/// Sum, smallest and largest element of x in one parallel pass with `threads` OpenMP threads
/// (threads >= 1, else std::invalid_argument). min and max are exact; sum is rounded differently for
/// different thread counts. An empty x gives {0, +infinity, -infinity}.
Summary summarize(std::span<const double> x, int threads);

WB_IMPL_END

}  // namespace ch05
