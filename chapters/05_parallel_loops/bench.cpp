// ch05_bench: parallel loops. Families (see CONTRIBUTING.md for the naming):
//   chunked/{serial,std_thread,pool,omp}/n:N[/threads:T]   the compute-bound kernel loop, threads 1 .. 2x cores
//   mandelbrot/{serial,static,static_cyclic,dynamic,guided}  OpenMP schedules on the lopsided frame, all cores
//   sum/{serial,omp_reduction,reproducible,compensated,std_reduce}   summing 4 Mi doubles, all cores
//   sum_large/{...the same...}                            summing 16 Mi doubles (128 MiB), all cores
//   par_stl/{serial,seq,par,par_unseq,omp}                std::transform with execution policies vs OpenMP
// Every kernel also reports the counter "flops" (FLOP/s) and its bytes (bytes/s, working_set): the
// workbook's convention, which the roofline in the docs reads. How the flops are counted is said at
// each kernel.
#include <memory>
#include <random>
#include <vector>

#include "ch05/chunked.hpp"
#include "ch05/kernels.hpp"
#include "ch05/reproducible_sum.hpp"
#include "ch05/thread_pool.hpp"
#include "loops.hpp"
#include "wb/bench.hpp"
#include "wb/machine.hpp"

namespace {

int cores() { return static_cast<int>(wb::logical_cores()); }

// Every benchmark: wall-clock time (threads are involved), and three repetitions of which the JSON
// keeps the median, so that one disturbed repetition on a shared machine does not set the result.
void steady(benchmark::internal::Benchmark* b) {
    b->UseRealTime()->Repetitions(3)->ReportAggregatesOnly(true);
}

struct Inputs {
    std::vector<double> x, y, out;
    explicit Inputs(std::size_t n) : x(n), y(n), out(n) { ch05::fill_inputs(x, y, 42); }
};

// ch05::kernel per element: 4 arithmetic operations (the product -0.25 * x, the product with log(y),
// x * y and the final sum) and 4 calls of libm (exp, log, log1p, sin), each counted as 20 flops: about
// the polynomial that evaluates one (a dozen multiply-adds, 2 flops each, less the table look-ups).
// That is an estimate, not a count of instructions; what matters on the roofline is that the kernel
// does some 80 flops per 24 bytes, far to the right of where memory is the limit.
constexpr double kKernelFlops = 4.0 + 4 * 20.0;

// The elementwise kernel over n elements: x and y read, out written.
void report_kernel(benchmark::State& s, std::size_t n) {
    const double bytes = 3.0 * sizeof(double) * static_cast<double>(n);
    wb::bench::report_bytes(s, bytes, bytes);
    s.counters["flops"] = benchmark::Counter(kKernelFlops * static_cast<double>(n),
                                             benchmark::Counter::kIsIterationInvariantRate);
}

std::size_t kernel_n(const benchmark::State& s) {
    const auto n = static_cast<std::size_t>(s.range(0));
    return wb::bench::smoke() ? std::min<std::size_t>(n, 1 << 12) : n;
}

// ---- chunked ------------------------------------------------------------------------------------------
void chunked_serial(benchmark::State& s) {
    Inputs in(kernel_n(s));
    for (auto _ : s) {
        ch05::demo::evaluate_serial(in.x, in.y, in.out);
        benchmark::DoNotOptimize(in.out.data());
    }
    s.SetItemsProcessed(s.iterations() * static_cast<std::int64_t>(in.x.size()));
    report_kernel(s, in.x.size());
}

void chunked_std_thread(benchmark::State& s) {
    Inputs in(kernel_n(s));
    const int t = static_cast<int>(s.range(1));
    for (auto _ : s) {
        ch05::evaluate_chunked(in.x, in.y, in.out, t);  // starts and joins t - 1 threads every call
        benchmark::DoNotOptimize(in.out.data());
    }
    s.SetItemsProcessed(s.iterations() * static_cast<std::int64_t>(in.x.size()));
    report_kernel(s, in.x.size());
}

void chunked_pool(benchmark::State& s) {
    Inputs in(kernel_n(s));
    const int t = static_cast<int>(s.range(1));
    ch05::ThreadPool pool(t);  // started once, outside the timed loop
    for (auto _ : s) {
        ch05::demo::evaluate_pool(pool, in.x, in.y, in.out, t);
        benchmark::DoNotOptimize(in.out.data());
    }
    s.SetItemsProcessed(s.iterations() * static_cast<std::int64_t>(in.x.size()));
    report_kernel(s, in.x.size());
}

void chunked_omp(benchmark::State& s) {
    Inputs in(kernel_n(s));
    const int t = static_cast<int>(s.range(1));
    for (auto _ : s) {
        ch05::demo::evaluate_omp(in.x, in.y, in.out, t);
        benchmark::DoNotOptimize(in.out.data());
    }
    s.SetItemsProcessed(s.iterations() * static_cast<std::int64_t>(in.x.size()));
    report_kernel(s, in.x.size());
}

// Tiny n: thread start-up and hand-over cost more than the work; small n: they cost a visible part
// of it; large n: the arithmetic dominates.
constexpr std::int64_t kTinyN = 1 << 8, kSmallN = 1 << 12, kLargeN = 1 << 18;

void thread_args(benchmark::internal::Benchmark* b) {
    for (std::int64_t n : {kTinyN, kSmallN, kLargeN})
        for (int t = 1; t <= 2 * cores(); ++t) b->Args({n, t});
}

BENCHMARK(chunked_serial)->Name("chunked/serial")->ArgNames({"n"})->Arg(kTinyN)->Arg(kSmallN)->Arg(kLargeN)
    ->Apply(steady)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(chunked_std_thread)->Name("chunked/std_thread")->ArgNames({"n", "threads"})->Apply(thread_args)
    ->Apply(steady)->Unit(benchmark::kMillisecond);
BENCHMARK(chunked_pool)->Name("chunked/pool")->ArgNames({"n", "threads"})->Apply(thread_args)->Apply(steady)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(chunked_omp)->Name("chunked/omp")->ArgNames({"n", "threads"})->Apply(thread_args)->Apply(steady)
    ->Unit(benchmark::kMillisecond);

// ---- mandelbrot ---------------------------------------------------------------------------------------
ch05::Frame bench_frame() {
    return wb::bench::smoke() ? ch05::lopsided_frame(64, 32, 100) : ch05::lopsided_frame(320, 160, 500);
}

// One iteration of ch05::escape_time counts as 8 flops: x2, y2, x2 + y2, 2 * zx * zy + cy (three) and
// x2 - y2 + cx (two); the comparison with 4 is not counted. The image holds each pixel's iterations,
// so their sum is the frame's work; the bytes are the image written (one int per pixel).
void report_mandelbrot(benchmark::State& s, const std::vector<int>& img) {
    double iterations = 0.0;
    for (int v : img) iterations += v;
    const double bytes = static_cast<double>(img.size() * sizeof(int));
    wb::bench::report_bytes(s, bytes, bytes);
    s.counters["flops"] = benchmark::Counter(8.0 * iterations, benchmark::Counter::kIsIterationInvariantRate);
}

void mandelbrot_serial(benchmark::State& s) {
    const ch05::Frame f = bench_frame();
    std::vector<int> img(ch05::pixels(f));
    for (auto _ : s) {
        ch05::demo::mandelbrot_serial(f, img);
        benchmark::DoNotOptimize(img.data());
    }
    s.SetItemsProcessed(s.iterations() * static_cast<std::int64_t>(img.size()));
    report_mandelbrot(s, img);
}

void mandelbrot_sched(benchmark::State& s, omp_sched_t kind, bool has_chunk) {
    const ch05::Frame f = bench_frame();
    std::vector<int> img(ch05::pixels(f));
    const ch05::LoopSchedule sched{kind, has_chunk ? static_cast<int>(s.range(0)) : 0};
    ch05::demo::ThreadLoad load;
    for (auto _ : s) {
        load = ch05::demo::mandelbrot_scheduled(f, img, cores(), sched);
        benchmark::DoNotOptimize(img.data());
    }
    s.SetItemsProcessed(s.iterations() * static_cast<std::int64_t>(img.size()));
    s.counters["imbalance"] = load.imbalance();  // longest / mean per-thread busy time, last run
    report_mandelbrot(s, img);
}

BENCHMARK(mandelbrot_serial)->Name("mandelbrot/serial")->Apply(steady)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(mandelbrot_sched, static, omp_sched_static, false)->Name("mandelbrot/static")->Apply(steady)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(mandelbrot_sched, static_cyclic, omp_sched_static, true)->Name("mandelbrot/static_cyclic")
    ->ArgNames({"chunk"})->Arg(1)->Arg(16)->Apply(steady)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(mandelbrot_sched, dynamic, omp_sched_dynamic, true)->Name("mandelbrot/dynamic")
    ->ArgNames({"chunk"})->Arg(1)->Arg(4)->Arg(16)->Arg(64)->Apply(steady)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(mandelbrot_sched, guided, omp_sched_guided, false)->Name("mandelbrot/guided")->Apply(steady)
    ->Unit(benchmark::kMillisecond);

// ---- sums ---------------------------------------------------------------------------------------------
// Two sizes: 4 Mi doubles (32 MiB), beyond the last-level cache of some machines but not of all, and 16 Mi
// doubles (128 MiB, family sum_large), well beyond the 16 to 32 MiB last-level caches of the machines this
// workbook was measured on: a share of memory bandwidth means something only there. Each array is filled
// once and shared by every benchmark of its size.
constexpr std::size_t kSumN = std::size_t{1} << 22, kSumLargeN = std::size_t{1} << 24;

const std::vector<double>& sum_data(std::size_t n) {
    static std::vector<double> small, large;
    std::vector<double>& v = n == kSumLargeN ? large : small;
    if (v.empty()) {
        v.resize(wb::bench::smoke() ? (1 << 14) : n);
        std::mt19937_64 gen(7);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        for (auto& e : v) e = u(gen);
    }
    return v;
}

// Every sum reads each element once and adds it once (1 flop per element); the compensated sum does
// 4 flops per element (t = s + v, the two operations of the correction, and c += it; the comparison
// of magnitudes is not counted).
template <class F>
void run_sum(benchmark::State& s, std::size_t n, F sum, double flops_per_element = 1.0) {
    const auto& x = sum_data(n);
    for (auto _ : s) benchmark::DoNotOptimize(sum(x));
    const auto bytes = static_cast<double>(x.size() * sizeof(double));
    wb::bench::report_bytes(s, bytes, bytes);  // every element read once per iteration
    s.counters["flops"] = benchmark::Counter(flops_per_element * static_cast<double>(x.size()),
                                             benchmark::Counter::kIsIterationInvariantRate);
}

void sum_serial(benchmark::State& s, std::size_t n) {
    run_sum(s, n, [](const auto& x) { return ch05::demo::sum_serial(x); });
}
void sum_omp_reduction(benchmark::State& s, std::size_t n) {
    run_sum(s, n, [](const auto& x) { return ch05::demo::sum_omp(x, cores()); });
}
void sum_reproducible(benchmark::State& s, std::size_t n) {
    run_sum(s, n, [](const auto& x) { return ch05::reproducible_sum(x, cores()); });
}
void sum_compensated(benchmark::State& s, std::size_t n) {
    run_sum(s, n, [](const auto& x) { return ch05::demo::sum_compensated(x); }, 4.0);
}
void sum_std_reduce(benchmark::State& s, std::size_t n) {
    run_sum(s, n, [](const auto& x) {
        bool ok = false;
        return ch05::demo::sum_std_reduce(x, ok);
    });
}

// The size is captured, not an argument, so that the names stay sum/<variant> and sum_large/<variant>.
BENCHMARK_CAPTURE(sum_serial, n, kSumN)->Name("sum/serial")->Apply(steady);
BENCHMARK_CAPTURE(sum_omp_reduction, n, kSumN)->Name("sum/omp_reduction")->Apply(steady);
BENCHMARK_CAPTURE(sum_reproducible, n, kSumN)->Name("sum/reproducible")->Apply(steady);
BENCHMARK_CAPTURE(sum_compensated, n, kSumN)->Name("sum/compensated")->Apply(steady);
BENCHMARK_CAPTURE(sum_serial, n, kSumLargeN)->Name("sum_large/serial")->Apply(steady);
BENCHMARK_CAPTURE(sum_omp_reduction, n, kSumLargeN)->Name("sum_large/omp_reduction")->Apply(steady);
BENCHMARK_CAPTURE(sum_reproducible, n, kSumLargeN)->Name("sum_large/reproducible")->Apply(steady);
BENCHMARK_CAPTURE(sum_compensated, n, kSumLargeN)->Name("sum_large/compensated")->Apply(steady);

// ---- C++17 parallel algorithms --------------------------------------------------------------------------
void par_stl(benchmark::State& s, const char* policy) {
    Inputs in(wb::bench::smoke() ? (1 << 12) : kLargeN);
    for (auto _ : s) {
        if (policy[0] == 'o') ch05::demo::evaluate_omp(in.x, in.y, in.out, cores());
        else if (policy[0] == 'l') ch05::demo::evaluate_serial(in.x, in.y, in.out);
        else ch05::demo::evaluate_std(policy, in.x, in.y, in.out);
        benchmark::DoNotOptimize(in.out.data());
    }
    s.SetItemsProcessed(s.iterations() * static_cast<std::int64_t>(in.x.size()));
    report_kernel(s, in.x.size());
}

// Registered at start-up only where the build has the parallel algorithms.
[[maybe_unused]] const bool par_stl_registered = [] {
    if (!ch05::demo::have_parallel_stl()) return false;
    benchmark::RegisterBenchmark("sum/std_reduce", sum_std_reduce, kSumN)->Apply(steady);
    benchmark::RegisterBenchmark("sum_large/std_reduce", sum_std_reduce, kSumLargeN)->Apply(steady);
    for (const char* p : {"loop", "seq", "par", "par_unseq", "omp"}) {
        const std::string variant = std::string(p) == "loop" ? "serial" : p;
        benchmark::RegisterBenchmark(("par_stl/" + variant).c_str(), par_stl, p)->Apply(steady)
            ->Unit(benchmark::kMillisecond);
    }
    return true;
}();

}  // namespace
