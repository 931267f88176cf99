// ch06_bench: SIMD. Every kernel on every vector path this CPU has (or up to WB_ISA), one name component
// per way of writing it:
//   sum/{serial,omp_simd,stdx,avx2,avx512,highway}/n:N           one chain; omp simd; std::experimental::simd;
//   sumsq/{serial,scalar,omp_simd,stdx,avx2,avx512,highway}/n:N   intrinsics (06.2 for sumsq); Google Highway
//   moving_mean/{naive,sliding,cumsum,compensated}/w:W           16 Mi samples (128 MiB), beyond the caches
//   mandelbrot/{serial,omp_simd,stdx,avx2,avx512,highway}        400x300 pixels, 200 iterations, one thread
//   nbody/{serial,scalar,omp_simd,stdx,avx2,avx512,highway}/threads:T   2048 bodies; avx2/avx512 = 06.5
// omp_simd and stdx run the copy compiled for the widest path (the label says which); highway runs what
// Highway dispatches to. n:4096 (32 KiB) is in the L1 cache; n:16777216 (128 MiB) is beyond every cache.
// Counters: flops (FLOP/s) on every kernel, bytes and working_set (wb::bench::report_bytes) on the
// memory-bound ones.
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include "ch06/kernels.hpp"
#include "ch06/mandelbrot.hpp"
#include "ch06/moving_mean.hpp"
#include "ch06/nbody.hpp"
#include "ch06/sum_squares.hpp"
#include "ways.hpp"
#include "wb/bench.hpp"
#include "wb/isa.hpp"
#include "wb/machine.hpp"

namespace {

constexpr std::size_t kSmallN = 4096, kLargeN = std::size_t{1} << 24;

wb::Isa top_isa() {
    static const wb::Isa isa = [] {
        try {
            return wb::widest_isa();
        } catch (const std::invalid_argument& e) {
            std::fprintf(stderr, "%s\n", e.what());
            std::exit(2);
        }
    }();
    return isa;
}
bool runs(wb::Isa isa) { return wb::cpu_has(isa) && static_cast<int>(isa) <= static_cast<int>(top_isa()); }

void steady(benchmark::internal::Benchmark* b) { b->Repetitions(3)->ReportAggregatesOnly(true); }

/// One shared input per size (filling 128 MiB for every benchmark would cost more than running them).
const std::vector<double>& input(std::size_t n) {
    static std::vector<double> small = ch06::uniform(kSmallN, -1.0, 1.0, 1);
    static std::vector<double> large;
    if (n == kSmallN) return small;
    if (large.size() != n) large = ch06::uniform(n, -1.0, 1.0, 2);
    return large;
}

std::size_t sum_n(const benchmark::State& s) {
    const auto n = static_cast<std::size_t>(s.range(0));
    return wb::bench::smoke() && n > kSmallN ? std::size_t{1} << 16 : n;
}

// ---- sums ---------------------------------------------------------------------------------------------
template <class Fn>
void bench_sum(benchmark::State& s, Fn fn, bool square, const std::string& label) {
    const std::vector<double>& x = input(sum_n(s));
    for (auto _ : s) benchmark::DoNotOptimize(fn(x));
    const double n = static_cast<double>(x.size());
    s.counters["flops"] = benchmark::Counter(square ? 2 * n : n, benchmark::Counter::kIsIterationInvariantRate);
    wb::bench::report_bytes(s, 8 * n, 8 * n);
    s.SetLabel(label);
}

void register_sums() {
    for (bool square : {false, true}) {
        const std::string fam = square ? "sumsq" : "sum";
        auto reg = [&](const std::string& variant, auto fn, const std::string& label) {
            benchmark::RegisterBenchmark((fam + "/" + variant).c_str(),
                                         [fn, square, label](benchmark::State& s) { bench_sum(s, fn, square, label); })
                ->ArgNames({"n"})
                ->Arg(static_cast<std::int64_t>(kSmallN))
                ->Arg(static_cast<std::int64_t>(kLargeN))
                ->Apply(steady);
        };
        const wb::Isa top = top_isa();
        const std::string w = wb::isa_name(top);
        if (square) {
            reg("serial", [](const std::vector<double>& x) { return ch06::ways::sumsq_serial(x); }, "one chain");
            reg("scalar", [](const std::vector<double>& x) { return ch06::sum_squares(x, wb::Isa::scalar); },
                "06.2 scalar path, 4 chains");
            reg("omp_simd", [top](const std::vector<double>& x) { return ch06::ways::sumsq_omp_simd(x, top); }, w);
            reg("stdx", [top](const std::vector<double>& x) { return ch06::ways::sumsq_stdx(x, top); }, w);
            for (wb::Isa isa : {wb::Isa::avx2, wb::Isa::avx512})
                if (runs(isa))
                    reg(wb::isa_name(isa), [isa](const std::vector<double>& x) { return ch06::sum_squares(x, isa); },
                        "06.2 intrinsics");
            bool ok = false;
            ch06::ways::sumsq_highway(input(kSmallN), ok);
            if (ok)
                reg("highway", [](const std::vector<double>& x) {
                    bool k = false;
                    return ch06::ways::sumsq_highway(x, k);
                }, ch06::ways::highway_target());
        } else {
            reg("serial", [](const std::vector<double>& x) { return ch06::ways::sum_serial(x); }, "one chain");
            reg("omp_simd", [top](const std::vector<double>& x) { return ch06::ways::sum_omp_simd(x, top); }, w);
            reg("stdx", [top](const std::vector<double>& x) { return ch06::ways::sum_stdx(x, top); }, w);
            for (wb::Isa isa : {wb::Isa::avx2, wb::Isa::avx512})
                if (runs(isa))
                    reg(wb::isa_name(isa), [isa](const std::vector<double>& x) { return ch06::ways::sum_intrinsics(x, isa); },
                        "intrinsics");
            bool ok = false;
            ch06::ways::sum_highway(input(kSmallN), ok);
            if (ok)
                reg("highway", [](const std::vector<double>& x) {
                    bool k = false;
                    return ch06::ways::sum_highway(x, k);
                }, ch06::ways::highway_target());
        }
    }
}

// ---- moving average -------------------------------------------------------------------------------------
template <class Fn>
void bench_moving(benchmark::State& s, Fn fn, double flops_per_output) {
    const std::vector<double>& x = input(wb::bench::smoke() ? std::size_t{1} << 16 : kLargeN);
    const auto w = static_cast<std::size_t>(s.range(0));
    std::vector<double> out(x.size() - w + 1);
    for (auto _ : s) {
        fn(x, w, out);
        benchmark::DoNotOptimize(out.data());
    }
    const double n = static_cast<double>(x.size());
    s.counters["flops"] = benchmark::Counter(flops_per_output * n, benchmark::Counter::kIsIterationInvariantRate);
    wb::bench::report_bytes(s, 16 * n, 16 * n);  // read x, write out
}

void register_moving() {
    struct Algo {
        const char* name;
        void (*fn)(std::span<const double>, std::size_t, std::span<double>);
        double flops;  // per output, besides the O(w) of the naive loop
        bool large_w;
    };
    const Algo algos[] = {{"naive", ch06::ways::moving_naive, 0, false},
                          {"sliding", ch06::ways::moving_sliding, 3, true},
                          {"cumsum", ch06::ways::moving_cumsum, 3, true},
                          {"compensated", ch06::moving_mean, 20, true}};
    for (const Algo& a : algos) {
        for (std::int64_t w : {std::int64_t{16}, std::int64_t{256}}) {
            if (w > 16 && !a.large_w) continue;  // O(n w) at w = 256: seconds per call
            const double flops = a.flops > 0 ? a.flops : static_cast<double>(w) + 1;
            benchmark::RegisterBenchmark((std::string("moving_mean/") + a.name).c_str(),
                                         [a, flops](benchmark::State& s) { bench_moving(s, a.fn, flops); })
                ->ArgNames({"w"})
                ->Arg(w)
                ->Apply(steady)
                ->Unit(benchmark::kMillisecond);
        }
    }
}

// ---- Mandelbrot -------------------------------------------------------------------------------------------
ch06::Frame bench_frame() {
    return wb::bench::smoke() ? ch06::standard_frame(64, 48, 50) : ch06::standard_frame(400, 300, 200);
}

template <class Fn>
void bench_mandelbrot(benchmark::State& s, Fn fn, const std::string& label) {
    const ch06::Frame f = bench_frame();
    std::vector<int> img(ch06::pixels(f));
    ch06::mandelbrot_reference(f, img);
    double iterations = 0;
    for (int c : img) iterations += c;
    for (auto _ : s) {
        fn(f, img);
        benchmark::DoNotOptimize(img.data());
    }
    // 8 operations per iteration of a pixel: x^2, y^2, x^2 + y^2, 2x, 2x y, + cy, x^2 - y^2, + cx.
    s.counters["flops"] = benchmark::Counter(8 * iterations, benchmark::Counter::kIsIterationInvariantRate);
    s.SetItemsProcessed(s.iterations() * static_cast<std::int64_t>(img.size()));
    s.SetLabel(label);
}

void register_mandelbrot() {
    auto reg = [](const std::string& variant, auto fn, const std::string& label) {
        benchmark::RegisterBenchmark(("mandelbrot/" + variant).c_str(),
                                     [fn, label](benchmark::State& s) { bench_mandelbrot(s, fn, label); })
            ->Apply(steady)
            ->Unit(benchmark::kMillisecond);
    };
    const wb::Isa top = top_isa();
    reg("serial", [](const ch06::Frame& f, std::vector<int>& img) { ch06::mandelbrot_reference(f, img); },
        "escape_time per pixel");
    reg("omp_simd", [top](const ch06::Frame& f, std::vector<int>& img) { ch06::ways::mandelbrot_omp_simd(f, img, top); },
        wb::isa_name(top));
    reg("stdx", [top](const ch06::Frame& f, std::vector<int>& img) { ch06::ways::mandelbrot_stdx(f, img, top); },
        wb::isa_name(top));
    for (wb::Isa isa : {wb::Isa::avx2, wb::Isa::avx512})
        if (runs(isa))
            reg(wb::isa_name(isa), [isa](const ch06::Frame& f, std::vector<int>& img) { ch06::mandelbrot_simd(f, img, isa); },
                "06.4 intrinsics");
    bool ok = false;
    std::vector<int> probe(1);
    ch06::ways::mandelbrot_highway(ch06::standard_frame(1, 1, 1), probe, ok);
    if (ok)
        reg("highway", [](const ch06::Frame& f, std::vector<int>& img) {
            bool k = false;
            ch06::ways::mandelbrot_highway(f, img, k);
        }, ch06::ways::highway_target());
}

// ---- N-body -------------------------------------------------------------------------------------------
std::size_t bodies() { return wb::bench::smoke() ? 128 : 2048; }

template <class Fn>
void bench_nbody(benchmark::State& s, Fn fn, const std::string& label) {
    const ch06::Bodies b = ch06::make_bodies(bodies(), 9);
    ch06::Accel a;
    const int threads = static_cast<int>(s.range(0));
    for (auto _ : s) {
        fn(b, a, threads);
        benchmark::DoNotOptimize(a.x.data());
    }
    const double pairs = static_cast<double>(b.size()) * static_cast<double>(b.size());
    s.counters["flops"] = benchmark::Counter(ch06::kNbodyFlopsPerPair * pairs, benchmark::Counter::kIsIterationInvariantRate);
    s.SetLabel(label);
}

void register_nbody() {
    const int cores = static_cast<int>(wb::logical_cores());
    auto reg = [cores](const std::string& variant, auto fn, const std::string& label, bool threaded) {
        auto* b = benchmark::RegisterBenchmark(("nbody/" + variant).c_str(),
                                              [fn, label](benchmark::State& s) { bench_nbody(s, fn, label); })
                      ->ArgNames({"threads"})
                      ->Arg(1);
        if (threaded && cores > 1) b->Arg(cores);
        b->UseRealTime()->Apply(steady)->Unit(benchmark::kMillisecond);
    };
    const wb::Isa top = top_isa();
    reg("serial", [](const ch06::Bodies& b, ch06::Accel& a, int) { ch06::accelerations_reference(b, a); },
        "sqrt and division, one body at a time", false);
    reg("scalar", [](const ch06::Bodies& b, ch06::Accel& a, int t) { ch06::accelerations(b, a, wb::Isa::scalar, t); },
        "06.5 scalar path", true);
    reg("omp_simd", [top](const ch06::Bodies& b, ch06::Accel& a, int t) { ch06::ways::nbody_omp_simd(b, a, top, t); },
        std::string(wb::isa_name(top)) + ", sqrt and division: std::sqrt's errno keeps it scalar", true);
    reg("stdx", [top](const ch06::Bodies& b, ch06::Accel& a, int t) { ch06::ways::nbody_stdx(b, a, top, t); },
        std::string(wb::isa_name(top)) + ", sqrt and division", true);
    for (wb::Isa isa : {wb::Isa::avx2, wb::Isa::avx512})
        if (runs(isa))
            reg(wb::isa_name(isa), [isa](const ch06::Bodies& b, ch06::Accel& a, int t) { ch06::accelerations(b, a, isa, t); },
                "06.5 rsqrt + Newton", true);
    bool ok = false;
    ch06::Accel probe;
    ch06::ways::nbody_highway(ch06::make_bodies(1, 1), probe, 1, ok);
    if (ok)
        reg("highway", [](const ch06::Bodies& b, ch06::Accel& a, int t) {
            bool k = false;
            ch06::ways::nbody_highway(b, a, t, k);
        }, ch06::ways::highway_target() + ", sqrt and division", true);
}

const bool registered = [] {
    register_sums();
    register_moving();
    register_mandelbrot();
    register_nbody();
    return true;
}();

}  // namespace
