// Tests of exercise 06.4: the vectorized Mandelbrot gives exactly the scalar escape counts on every
// path this CPU has, for widths that are not multiples of the vector width.
#include <vector>

#include "ch06/kernels.hpp"
#include "ch06/mandelbrot.hpp"
#include "wb/catch.hpp"
#include "wb/isa.hpp"

TEST_CASE("06.4 every escape count equals the scalar one, on every path") {
    // Integer counts from the same arithmetic on the same c: the comparison is exact. The last frame is a
    // small piece of the boundary (in the "seahorse valley") with up to 3000 iterations: there a few
    // pixels escape at another iteration when a step is rounded differently (a fused multiply-add).
    const ch06::Frame frames[] = {ch06::standard_frame(100, 60, 500), ch06::standard_frame(37, 23, 200),
                                  ch06::standard_frame(13, 9, 50),    ch06::standard_frame(3, 5, 1),
                                  ch06::standard_frame(1, 1, 20),     ch06::Frame{-0.75, -0.73, 0.1, 0.12, 45, 32, 3000}};
    for (const ch06::Frame& f : frames) {
        std::vector<int> want(ch06::pixels(f));
        ch06::mandelbrot_reference(f, want);
        for (wb::Isa isa : wb::isas_on_this_cpu()) {
            std::vector<int> got(ch06::pixels(f), -1);
            ch06::mandelbrot_simd(f, got, isa);
            std::size_t bad = 0, first = 0;
            for (std::size_t k = 0; k < got.size(); ++k)
                if (got[k] != want[k] && bad++ == 0) first = k;
            INFO("path " << wb::isa_name(isa) << ", frame " << f.width << "x" << f.height << " max_iter "
                         << f.max_iter << ": " << bad << " pixels differ; the first is row "
                         << (bad ? first / static_cast<std::size_t>(f.width) : 0) << ", column "
                         << (bad ? first % static_cast<std::size_t>(f.width) : 0) << " (got "
                         << (bad ? got[first] : 0) << ", want " << (bad ? want[first] : 0) << ")");
            REQUIRE(bad == 0);
        }
    }
}

TEST_CASE("06.4 a wrong output size is rejected") {
    const ch06::Frame f = ch06::standard_frame(8, 4, 10);
    std::vector<int> wrong(31);
    for (wb::Isa isa : wb::isas_on_this_cpu()) REQUIRE_THROWS_AS(ch06::mandelbrot_simd(f, wrong, isa), std::invalid_argument);
}
