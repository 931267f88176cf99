// Tests of exercise 07.4: the separable blur with clamp-to-edge, against a direct 2D reference.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <vector>

#include "ch07/blur.hpp"
#include "wb/catch.hpp"

namespace {

using Taps = std::vector<float>;

std::vector<float> random_image(int w, int h, std::uint64_t seed) {
    // Values in [0.5, 1]: far from 0, so a zero taken for a pixel outside the image shows at the edges.
    std::vector<float> v(static_cast<std::size_t>(w) * static_cast<std::size_t>(h));
    std::mt19937_64 gen(seed);
    std::uniform_real_distribution<float> u(0.5f, 1.0f);
    for (auto& x : v) x = u(gen);
    return v;
}

// The definition, computed directly in double: every output pixel is the k_row x k_col weighted sum of
// the input, coordinates clamped into the image, divided by the product of the taps' sums.
std::vector<double> direct_reference(const std::vector<float>& in, int w, int h, const Taps& hx, const Taps& vy) {
    const int rx = static_cast<int>(hx.size() / 2), ry = static_cast<int>(vy.size() / 2);
    double sx = 0, sy = 0;
    for (float t : hx) sx += t;
    for (float t : vy) sy += t;
    std::vector<double> out(in.size());
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            double s = 0;
            for (int j = -ry; j <= ry; ++j) {
                const int yy = std::clamp(y + j, 0, h - 1);
                for (int i = -rx; i <= rx; ++i) {
                    const int xx = std::clamp(x + i, 0, w - 1);
                    s += double(hx[static_cast<std::size_t>(i + rx)]) * double(vy[static_cast<std::size_t>(j + ry)]) *
                         double(in[static_cast<std::size_t>(yy) * static_cast<std::size_t>(w) + static_cast<std::size_t>(xx)]);
                }
            }
            out[static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)] = s / (sx * sy);
        }
    }
    return out;
}

// With non-negative taps the normalized weights of each pass add up to 1, so each pass is a weighted
// mean of values at most max|in|. Rounding the weights to float (one rounding each), summing k terms in
// float (k roundings) and storing the intermediate image (one) err by at most about
// (k_row + k_col + 4) * u * max|in| with u = 2^-24; twice that leaves room for the order the sums take.
// A tap on the wrong axis, unnormalized taps, or zeros outside the image are off by 1e-2 or more.
void check(int w, int h, const Taps& hx, const Taps& vy, std::uint64_t seed) {
    INFO("image " << w << " x " << h << ", " << hx.size() << " row taps, " << vy.size() << " column taps");
    const std::vector<float> in = random_image(w, h, seed);
    const std::vector<double> ref = direct_reference(in, w, h, hx, vy);
    std::vector<float> out(in.size(), -1.0f);
    ch07::blur_separable(in, out, w, h, hx, vy);
    const double max_in = *std::max_element(in.begin(), in.end());
    const double tol = 2.0 * double(hx.size() + vy.size() + 4) * std::ldexp(1.0, -24) * max_in;
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            const std::size_t i = static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x);
            INFO("pixel x = " << x << ", y = " << y);
            REQUIRE_THAT(double(out[i]), Catch::Matchers::WithinAbs(ref[i], tol));
        }
    }
}

}  // namespace

TEST_CASE("07.4 a Gaussian blur equals the direct 2D convolution, odd image sizes") {
    std::uint64_t seed = 1;
    for (int k : {3, 5, 9, 15}) {
        const Taps g = ch07::gaussian_taps(k);
        check(37, 23, g, g, seed++);
        check(64, 48, g, g, seed++);
    }
}

TEST_CASE("07.4 lopsided taps, different along rows and columns, not summing to 1") {
    // Asymmetric taps show a kernel applied mirrored or on the wrong axis; sums of 15 and 4.5 show
    // taps that were not divided by their sum.
    const Taps row{1.0f, 2.0f, 3.0f, 4.0f, 5.0f};
    const Taps col{3.0f, 1.0f, 0.5f};
    check(29, 31, row, col, 11);
    check(31, 29, col, row, 12);
    check(40, 17, Taps{0.0f, 0.0f, 1.0f, 2.0f, 7.0f, 0.0f, 0.5f}, Taps{2.0f, 0.25f, 0.0f, 0.0f, 1.0f}, 13);
}

TEST_CASE("07.4 one-tap kernels, thin images, one pixel") {
    check(19, 13, Taps{3.0f}, Taps{3.0f}, 21);  // k = 1: out = in (the one weight is exactly 1)
    check(19, 13, Taps{1.0f}, ch07::gaussian_taps(5), 22);
    check(19, 13, ch07::gaussian_taps(7), Taps{2.0f}, 23);
    check(1, 17, Taps{1.0f, 2.0f, 1.0f}, Taps{1.0f, 3.0f, 2.0f}, 24);
    check(17, 1, Taps{1.0f, 3.0f, 2.0f}, Taps{1.0f, 2.0f, 1.0f}, 25);
    check(1, 1, ch07::gaussian_taps(5), ch07::gaussian_taps(3), 26);
}

TEST_CASE("07.4 taps longer than the image is wide or tall") {
    check(3, 2, ch07::gaussian_taps(9), ch07::gaussian_taps(7), 31);
    check(4, 5, Taps{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, Taps{5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6, 7}, 32);
    check(2, 9, ch07::gaussian_taps(15), Taps{1, 0, 0, 0, 0}, 33);
}

TEST_CASE("07.4 a flat image stays flat") {
    const int w = 33, h = 21;
    std::vector<float> in(static_cast<std::size_t>(w * h), 0.75f), out(in.size());
    ch07::blur_separable(in, out, w, h, ch07::gaussian_taps(15), Taps{1, 2, 3, 4, 5});
    for (float v : out) REQUIRE_THAT(double(v), Catch::Matchers::WithinAbs(0.75, 1e-5));
}

TEST_CASE("07.4 bad arguments throw std::invalid_argument") {
    std::vector<float> in(12), out(12), short_out(11);
    const Taps ok{1, 2, 1};
    REQUIRE_NOTHROW(ch07::blur_separable(in, out, 4, 3, ok, ok));
    REQUIRE_THROWS_AS(ch07::blur_separable(in, short_out, 4, 3, ok, ok), std::invalid_argument);
    REQUIRE_THROWS_AS(ch07::blur_separable(in, out, 3, 3, ok, ok), std::invalid_argument);
    REQUIRE_THROWS_AS(ch07::blur_separable(in, out, 0, 3, ok, ok), std::invalid_argument);
    REQUIRE_THROWS_AS(ch07::blur_separable(in, out, 4, 3, Taps{1, 1}, ok), std::invalid_argument);
    REQUIRE_THROWS_AS(ch07::blur_separable(in, out, 4, 3, ok, Taps{}), std::invalid_argument);
    REQUIRE_THROWS_AS(ch07::blur_separable(in, out, 4, 3, Taps{1, -2, 1}, ok), std::invalid_argument);
}
