// Tests of exercise 05.3: the OpenMP Mandelbrot gives the serial image for every thread count.
// (Its schedule is judged by speed, in chNN_perf, never here.)
#include <stdexcept>
#include <vector>

#include "ch05/kernels.hpp"
#include "ch05/mandelbrot.hpp"
#include "wb/catch.hpp"
#include "wb/testing.hpp"

namespace {
std::vector<int> serial_image(const ch05::Frame& f) {
    std::vector<int> img(ch05::pixels(f));
    for (int row = 0; row < f.height; ++row) ch05::mandelbrot_row(f, row, img);
    return img;
}
}  // namespace

TEST_CASE("05.3 mandelbrot_omp equals the serial image for every thread count") {
    // Integer escape counts from the same arithmetic on the same pixel: the comparison is exact.
    const ch05::Frame frames[] = {ch05::lopsided_frame(96, 48, 200), ch05::lopsided_frame(13, 7, 50),
                                  ch05::Frame{-2.0, 1.0, -1.5, 1.5, 40, 40, 100}};
    for (const auto& f : frames) {
        const std::vector<int> expected = serial_image(f);
        for (int threads : wb::testing::thread_counts()) {
            INFO("frame " << f.width << "x" << f.height << ", threads = " << threads);
            std::vector<int> img(ch05::pixels(f), -1);
            ch05::mandelbrot_omp(f, img, threads);
            REQUIRE(img == expected);
        }
    }
}

TEST_CASE("05.3 the lopsided frame is what the exercise claims: first rows expensive, last rows cheap") {
    const ch05::Frame f = ch05::lopsided_frame(96, 48, 200);
    const std::vector<int> img = serial_image(f);
    long first = 0, last = 0;
    for (int row = 0; row < f.height; ++row)
        for (int col = 0; col < f.width; ++col)
            (row < f.height / 2 ? first : last) += img[static_cast<std::size_t>(row * f.width + col)];
    REQUIRE(first > 5 * last);
}

TEST_CASE("05.3 mandelbrot_omp rejects bad arguments") {
    const ch05::Frame f = ch05::lopsided_frame(8, 4, 10);
    std::vector<int> wrong(31);
    REQUIRE_THROWS_AS(ch05::mandelbrot_omp(f, wrong, 2), std::invalid_argument);
    std::vector<int> right(32);
    REQUIRE_THROWS_AS(ch05::mandelbrot_omp(f, right, 0), std::invalid_argument);
}
