// Benchmarks of chapter 02: process pools.
//
//   mandelbrot/serial                       the baseline: one process, row after row
//   mandelbrot/pool_static                  one block of rows per worker (the load is uneven)
//   mandelbrot/pool_dynamic/chunk:N         chunks of N rows, handed to whichever worker is free
//   mandelbrot_workers/pool_dynamic/workers:N   chunk 4, with 1 to 4 workers (more than the cores)
//   pool/startup/pool_size:N                fork N workers, then shut them down and reap them
//   pool/roundtrip/bytes:N                  one task carrying N bytes there and N bytes back
//   square/serial, square/pool/chunk:N      a task far too small for a process: x * x over 20000 ints
#include "wb/bench.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <thread>
#include <vector>

#include "ch02/mandelbrot.hpp"
#include "ch02/pool.hpp"
#include "ch02/pool_map.hpp"

namespace {

int cores() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

ch02::View bench_view() {
    ch02::View v;  // the default: 1024 x 512, upper half of the set, 1000 iterations
    if (wb::bench::smoke()) {
        v.width = 128;
        v.height = 64;
        v.max_iter = 200;
    }
    return v;
}

ch02::PoolOptions with_workers(int n) {
    ch02::PoolOptions o;
    o.workers = n;
    return o;
}

// Items are pixels. For the roofline in the docs, also the counter "flops" (FLOP/s, the workbook's
// convention) and the bytes of the image written: one iteration of mandelbrot_row counts as 8 flops
// (zr * zr, zi * zi, their sum, 2 * zr * zi + ci (three) and zr2 - zi2 + cr (two); the comparison with
// 4 is not counted), and the image of the last call holds every pixel's iterations.
void set_pixels(benchmark::State& state, const ch02::View& v, const ch02::Image& last) {
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(v.width) * v.height);
    double iterations = 0.0;
    for (std::uint32_t n : last) iterations += n;
    const double bytes = static_cast<double>(last.size() * sizeof(std::uint32_t));
    wb::bench::report_bytes(state, bytes, bytes);
    state.counters["flops"] = benchmark::Counter(8.0 * iterations, benchmark::Counter::kIsIterationInvariantRate);
}

void mandelbrot_serial(benchmark::State& state) {
    const ch02::View v = bench_view();
    ch02::Image img;
    for (auto _ : state) {
        img = ch02::mandelbrot_serial(v);
        benchmark::DoNotOptimize(img.data());
    }
    set_pixels(state, v, img);
}

void run_pool(benchmark::State& state, int workers, std::size_t chunk) {
    const ch02::View v = bench_view();
    ch02::FunctionTable table;
    const auto rows = ch02::add_mandelbrot_rows(table, v);
    ch02::Pool pool(std::move(table), with_workers(workers));  // started once, outside the timing
    ch02::Image img;
    for (auto _ : state) {
        img = ch02::mandelbrot_pool(pool, rows, v, chunk);
        benchmark::DoNotOptimize(img.data());
    }
    set_pixels(state, v, img);
}

void mandelbrot_pool_static(benchmark::State& state) {
    const std::size_t h = static_cast<std::size_t>(bench_view().height);
    const std::size_t w = static_cast<std::size_t>(cores());
    run_pool(state, cores(), (h + w - 1) / w);  // one block of rows per worker
}

void mandelbrot_pool_dynamic(benchmark::State& state) {
    run_pool(state, cores(), static_cast<std::size_t>(state.range(0)));
}

void mandelbrot_workers(benchmark::State& state) { run_pool(state, static_cast<int>(state.range(0)), 4); }

void pool_startup(benchmark::State& state) {
    ch02::FunctionTable table;
    table.add<int(int)>("identity", [](int x) { return x; });
    for (auto _ : state) {
        ch02::Pool pool(table, with_workers(static_cast<int>(state.range(0))));
        benchmark::DoNotOptimize(pool.size());
    }
}

void pool_roundtrip(benchmark::State& state) {
    ch02::FunctionTable table;
    const auto echo = table.add<ch02::Bytes(ch02::Bytes)>("echo", [](const ch02::Bytes& b) { return b; });
    ch02::Pool pool(std::move(table), with_workers(1));
    const ch02::Bytes payload(static_cast<std::size_t>(state.range(0)), std::byte{1});
    for (auto _ : state) {
        ch02::Bytes back = pool.submit(echo, payload).get();
        benchmark::DoNotOptimize(back.data());
    }
    state.SetBytesProcessed(state.iterations() * 2 * state.range(0));  // there and back
}

std::vector<int> square_inputs() {
    std::vector<int> xs(wb::bench::smoke() ? 500 : 20000);
    for (std::size_t i = 0; i < xs.size(); ++i) xs[i] = static_cast<int>(i);
    return xs;
}

void square_serial(benchmark::State& state) {
    const std::vector<int> xs = square_inputs();
    for (auto _ : state) {
        std::vector<long> ys(xs.size());
        for (std::size_t i = 0; i < xs.size(); ++i) ys[i] = long{xs[i]} * xs[i];
        benchmark::DoNotOptimize(ys.data());
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(xs.size()));
}

void square_pool(benchmark::State& state) {
    const std::vector<int> xs = square_inputs();
    ch02::FunctionTable table;
    const auto square = table.add_map<int, long>("square", [](int x) { return long{x} * x; });
    ch02::Pool pool(std::move(table), with_workers(cores()));
    for (auto _ : state) {
        std::vector<long> ys = ch02::map(pool, square, xs, static_cast<std::size_t>(state.range(0)));
        benchmark::DoNotOptimize(ys.data());
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(xs.size()));
}

}  // namespace

// Every benchmark here starts processes: wall-clock time, and the median of three runs (one run of a
// Mandelbrot image is long, but this machine is shared and a single run can be unlucky).
void timed(benchmark::internal::Benchmark* b) { b->UseRealTime()->Repetitions(3)->ReportAggregatesOnly(true); }

BENCHMARK(mandelbrot_serial)->Name("mandelbrot/serial")->Unit(benchmark::kMillisecond)->Apply(timed);
BENCHMARK(mandelbrot_pool_static)->Name("mandelbrot/pool_static")->Unit(benchmark::kMillisecond)->Apply(timed);
BENCHMARK(mandelbrot_pool_dynamic)
    ->Name("mandelbrot/pool_dynamic")
    ->ArgNames({"chunk"})
    ->RangeMultiplier(2)
    ->Range(1, 256)
    ->Unit(benchmark::kMillisecond)
    ->Apply(timed);
BENCHMARK(mandelbrot_serial)->Name("mandelbrot_workers/serial")->Unit(benchmark::kMillisecond)->Apply(timed);
BENCHMARK(mandelbrot_workers)
    ->Name("mandelbrot_workers/pool_dynamic")
    ->ArgNames({"workers"})
    ->DenseRange(1, 4)
    ->Unit(benchmark::kMillisecond)
    ->Apply(timed);
// The param is not called "workers": the docs would plot a start-up time as a speedup.
BENCHMARK(pool_startup)
    ->Name("pool/startup")
    ->ArgNames({"pool_size"})
    ->Arg(1)
    ->Arg(2)
    ->Arg(4)
    ->Arg(8)
    ->Unit(benchmark::kMicrosecond)
    ->Apply(timed);
BENCHMARK(pool_roundtrip)
    ->Name("pool/roundtrip")
    ->ArgNames({"bytes"})
    ->Arg(8)
    ->Arg(512)
    ->Arg(4096)
    ->Arg(65536)
    ->Arg(1 << 20)
    ->Unit(benchmark::kMicrosecond)
    ->Apply(timed);
BENCHMARK(square_serial)->Name("square/serial")->Unit(benchmark::kMillisecond)->Apply(timed);
BENCHMARK(square_pool)
    ->Name("square/pool")
    ->ArgNames({"chunk"})
    ->Arg(1)
    ->Arg(16)
    ->Arg(256)
    ->Arg(4096)
    ->Unit(benchmark::kMillisecond)
    ->Apply(timed);
