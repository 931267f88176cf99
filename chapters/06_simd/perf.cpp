// ch06_perf: speed goals of chapter 06, the learner's version against the reference. Every vector
// kernel runs on the widest path this CPU has (or the one WB_ISA names).
#include <memory>
#include <vector>

#include "ch06/clipped_sum.hpp"
#include "ch06/kernels.hpp"
#include "ch06/mandelbrot.hpp"
#include "ch06/moving_mean.hpp"
#include "ch06/nbody.hpp"
#include "ch06/sum_squares.hpp"
#include "wb/isa.hpp"
#include "wb/perf.hpp"

WB_PERF_CASES(reg) {
    const wb::Isa isa = wb::widest_isa();
    // 64 Ki doubles (512 KiB, in the L2 cache or near it): the loop's own speed, not the memory's.
    reg.add("06.1 clipped sum of squares, 64 Ki doubles", 0.7, [] {
        auto x = std::make_shared<std::vector<double>>(ch06::uniform(1 << 16, -3.0, 5.0, 1));
        return [x] {
            volatile double s = ch06::clipped_sum_squares(*x, 2.0);
            (void)s;
        };
    });
    // 2 Ki doubles (16 KiB): in the L1 cache, where several vector accumulators pay; the scalar loop
    // is several times slower.
    reg.add("06.2 sum of squares, 2 Ki doubles, widest path", 0.7, [isa] {
        auto x = std::make_shared<std::vector<double>>(ch06::uniform(1 << 11, -1.0, 1.0, 2));
        return [x, isa] {
            volatile double s = ch06::sum_squares(*x, isa);
            (void)s;
        };
    });
    // w = 1000: an O(n * w) loop does a thousand additions per output where O(n) does a few.
    reg.add("06.3 moving mean, 64 Ki samples, w = 1000", 0.5, [] {
        struct Data {
            std::vector<double> x, out;
        };
        auto d = std::make_shared<Data>();
        d->x = ch06::uniform(1 << 16, -1.0, 1.0, 3);
        d->out.resize(d->x.size() - 1000 + 1);
        return [d] { ch06::moving_mean(d->x, 1000, d->out); };
    });
    // One thread: the vector width is the whole speedup over the scalar loop.
    reg.add("06.4 Mandelbrot 240x160, 300 iterations, one thread, widest path", 0.7, [isa] {
        const ch06::Frame f = ch06::standard_frame(240, 160, 300);
        auto img = std::make_shared<std::vector<int>>(ch06::pixels(f));
        return [f, img, isa] { ch06::mandelbrot_simd(f, *img, isa); };
    });
    // One thread: the speed of the kernel itself (a team of threads on a busy machine is noisier).
    reg.add("06.5 N-body accelerations, 1024 bodies, one thread, widest path", 0.7, [isa] {
        auto b = std::make_shared<ch06::Bodies>(ch06::make_bodies(1024, 5));
        auto a = std::make_shared<ch06::Accel>();
        return [b, a, isa] { ch06::accelerations(*b, *a, isa, 1); };
    });
}
