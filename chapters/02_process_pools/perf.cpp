// Speed goals of chapter 02, checked by `./wb grade 02`: the learner's pool against the reference.
//
// 02.3: the scheduler must keep every worker busy on an uneven load. The Mandelbrot rows are sent as
// tasks of 4 rows through submit()/get() (no map, so that only exercises 02.1 to 02.3 are involved).
// A scheduler that waits on one worker at a time, or sleeps between polls, falls behind here.
// 02.4: map() must submit all chunks before waiting, or the workers take turns.
#include "wb/perf.hpp"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <vector>

#include "ch02/mandelbrot.hpp"
#include "ch02/pool.hpp"
#include "ch02/pool_map.hpp"

namespace {

ch02::View perf_view() {
    ch02::View v;
    v.width = 512;
    v.height = 256;
    v.max_iter = 500;
    return v;
}

struct Setup {
    ch02::View view = perf_view();
    ch02::FunctionTable table;
    ch02::Fn<std::vector<std::uint32_t>(int, int)> block{};
    ch02::MapFn<int, std::vector<std::uint32_t>> rows{};
    std::unique_ptr<ch02::Pool> pool;

    Setup() {
        const ch02::View v = view;
        // Rows [first, last) in one task, concatenated.
        block = table.add<std::vector<std::uint32_t>(int, int)>("mandelbrot_block", [v](int first, int last) {
            std::vector<std::uint32_t> out(static_cast<std::size_t>(v.width) * static_cast<std::size_t>(last - first));
            for (int r = first; r < last; ++r)
                ch02::mandelbrot_row(v, r, out.data() + static_cast<std::size_t>(r - first) * v.width);
            return out;
        });
        rows = ch02::add_mandelbrot_rows(table, v);
        ch02::PoolOptions o;
        o.workers = 0;  // one per core
        pool = std::make_unique<ch02::Pool>(table, o);
    }
};

}  // namespace

WB_PERF_CASES(reg) {
    reg.add("02.3 scheduler, Mandelbrot 4-row tasks", 0.8, [] {
        auto s = std::make_shared<Setup>();
        return [s] {
            std::vector<ch02::Future<std::vector<std::uint32_t>>> parts;
            for (int r = 0; r < s->view.height; r += 4)
                parts.push_back(s->pool->submit(s->block, r, std::min(r + 4, s->view.height)));
            std::size_t pixels = 0;
            for (auto& p : parts) pixels += p.get().size();
            if (pixels != static_cast<std::size_t>(s->view.width) * static_cast<std::size_t>(s->view.height))
                throw std::runtime_error("wrong number of pixels");
        };
    });
    reg.add("02.4 map, Mandelbrot rows, chunk 4", 0.8, [] {
        auto s = std::make_shared<Setup>();
        return [s] {
            const ch02::Image img = ch02::mandelbrot_pool(*s->pool, s->rows, s->view, 4);
            if (img.size() != static_cast<std::size_t>(s->view.width) * static_cast<std::size_t>(s->view.height))
                throw std::runtime_error("wrong number of pixels");
        };
    });
}
