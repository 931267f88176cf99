// ch07/blur.hpp: exercise 07.4, a separable blur (two 1D passes instead of one 2D pass), with the
// image's edge extended by its nearest pixel.
#pragma once

#include <cmath>
#include <span>
#include <stdexcept>
#include <vector>

#include "wb/exercise.hpp"

namespace ch07 {

WB_IMPL_BEGIN

/// Filters the width x height image `in` (row-major floats) into `out` (same size) with the separable
/// kernel whose taps are `row_taps` along each row (x) and `col_taps` along each column (y):
///
///   out(x, y) = sum_i sum_j h[i] v[j] in(X(x + i - rh), Y(y + j - rv)) / (sum(h) * sum(v))
///
/// where h = row_taps and v = col_taps have odd lengths 2 rh + 1 and 2 rv + 1 (the middle tap sits on
/// the pixel itself), X(x) = clamp(x, 0, width - 1) and Y(y) = clamp(y, 0, height - 1): pixels outside
/// the image repeat the nearest edge pixel. The division makes the taps' weights sum to 1, so a flat
/// image stays flat. A tap list may be longer than the image is wide or tall.
/// Throws std::invalid_argument on a wrong image size, a non-positive width or height, an even or empty
/// tap list, or taps that sum to 0.
void blur_separable(std::span<const float> in, std::span<float> out, int width, int height,
                    std::span<const float> row_taps, std::span<const float> col_taps);

WB_IMPL_END

/// The k taps (k odd, k >= 1) of a Gaussian of standard deviation k / 6 (so that the taps reach out to
/// three standard deviations), not normalized: the middle tap is 1 and the others fall off from it.
inline std::vector<float> gaussian_taps(int k) {
    if (k < 1 || k % 2 == 0) throw std::invalid_argument("gaussian_taps: k must be odd and positive");
    const int r = k / 2;
    const double sigma = k / 6.0;
    std::vector<float> t(static_cast<std::size_t>(k));
    for (int i = -r; i <= r; ++i) t[static_cast<std::size_t>(i + r)] = static_cast<float>(std::exp(-0.5 * (i * i) / (sigma * sigma)));
    return t;
}

}  // namespace ch07
