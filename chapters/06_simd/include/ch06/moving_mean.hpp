// ch06/moving_mean.hpp: exercise 06.3, the sliding-window mean in O(n) without losing accuracy.
#pragma once

#include <cstddef>
#include <span>

#include "wb/exercise.hpp"

namespace ch06 {
WB_IMPL_BEGIN

/// out[i] = (x[i] + x[i+1] + ... + x[i+w-1]) / w for i = 0 .. n-w (the "valid" moving average, like
/// NumPy's convolve(x, ones(w)/w, 'valid')). out.size() must be n - w + 1 and 1 <= w <= n, else
/// std::invalid_argument. Work: O(n), whatever w. Accuracy: |out[i] - exact mean| <=
/// (w + 16) * 2^-53 * (|x[i]| + ... + |x[i+w-1]|) / w, a little more than summing each window directly
/// may lose, however long x is.
void moving_mean(std::span<const double> x, std::size_t w, std::span<double> out);

WB_IMPL_END
}  // namespace ch06
