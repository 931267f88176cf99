// ch05_perf: speed goals of chapter 05, the learner's version against the reference, all cores.
#include <memory>
#include <vector>

#include "ch05/chunked.hpp"
#include "ch05/kernels.hpp"
#include "ch05/mandelbrot.hpp"
#include "wb/machine.hpp"
#include "wb/perf.hpp"

WB_PERF_CASES(reg) {
    const int cores = static_cast<int>(wb::logical_cores());
    // A chunked loop that runs on all cores is about as fast as the reference; one that runs the
    // chunks one after the other is `cores` times slower.
    reg.add("05.1 chunked kernel, 256 Ki, all cores", 0.8, [cores] {
        struct Data {
            std::vector<double> x, y, out;
        };
        auto d = std::make_shared<Data>();
        d->x.resize(1 << 18);
        d->y.resize(1 << 18);
        d->out.resize(1 << 18);
        ch05::fill_inputs(d->x, d->y, 3);
        return [d, cores] { ch05::evaluate_chunked(d->x, d->y, d->out, cores); };
    });
    // Contiguous blocks of rows (the default static schedule) leave all but one thread idle for most of
    // the run on this frame; a balancing schedule keeps them all busy.
    reg.add("05.3 Mandelbrot schedule, all cores", 0.85, [cores] {
        const ch05::Frame f = ch05::lopsided_frame(320, 160, 600);
        auto img = std::make_shared<std::vector<int>>(ch05::pixels(f));
        return [f, img, cores] { ch05::mandelbrot_omp(f, *img, cores); };
    });
}
