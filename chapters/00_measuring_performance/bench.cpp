// Benchmarks of chapter 00: the machine profile (stream, flops) that later chapters compare with,
// and the measuring pitfalls of the lesson (first_touch, dead_code, clock_read).
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "ch00/keep_alive.hpp"
#include "ch00/median_timer.hpp"
#include "peak.hpp"
#include "profile.hpp"
#include "wb/bench.hpp"
#include "wb/machine.hpp"

namespace {

namespace prof = ch00::profile;

int all_cores() { return static_cast<int>(wb::logical_cores()); }

// 3 arrays of at least 2^25 doubles (768 MiB), more if the two arrays copy touches would not be
// kBeyondCache times the last-level cache that the benchmark main measured (2^20 doubles in the smoke
// run). Allocated and first-touched once, on first use, and shared by every stream benchmark.
std::size_t stream_n() {
    if (wb::bench::smoke()) return std::size_t{1} << 20;
    std::size_t n = std::size_t{1} << 25;
    const double wanted = wb::bench::kBeyondCache * static_cast<double>(wb::bench::llc_bytes());
    while (2.0 * 8.0 * static_cast<double>(n) < wanted && n < (std::size_t{1} << 27)) n *= 2;
    return n;
}

prof::StreamArrays& stream_arrays() {
    static prof::StreamArrays arrays(stream_n(), all_cores());
    return arrays;
}

// Registers threads:1 and threads:<all cores> (once, on a one-core machine).
void one_and_all_threads(benchmark::internal::Benchmark* b) {
    b->ArgNames({"threads"})->Arg(1);
    if (all_cores() > 1) b->Arg(all_cores());
}

//! [stream]
void stream_copy(benchmark::State& state) {
    auto& s = stream_arrays();
    const int threads = static_cast<int>(state.range(0));
    for (auto _ : state) {
        prof::copy(s.span_c(), s.span_a(), threads);
        benchmark::ClobberMemory();
    }
    wb::bench::report_bytes(state, prof::copy_bytes(s.n), 2.0 * 8.0 * static_cast<double>(s.n));
}
BENCHMARK(stream_copy)->Name("stream/copy")->Apply(one_and_all_threads)->UseRealTime()->Unit(benchmark::kMillisecond);
//! [stream]

void stream_triad(benchmark::State& state) {
    auto& s = stream_arrays();
    const int threads = static_cast<int>(state.range(0));
    for (auto _ : state) {
        prof::triad(s, 3.0, threads);
        benchmark::ClobberMemory();
    }
    wb::bench::report_bytes(state, prof::triad_bytes(s.n), 3.0 * 8.0 * static_cast<double>(s.n));
    // a[i] = b[i] + scalar * c[i]: one multiplication and one addition per element (the roofline's x
    // axis is these flops over the bytes above: 2 / 24 FLOP per byte).
    state.counters["flops"] = benchmark::Counter(2.0 * static_cast<double>(s.n),
                                                 benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(stream_triad)->Name("stream/triad")->Apply(one_and_all_threads)->UseRealTime()->Unit(benchmark::kMillisecond);

// Floating-point rates: items = floating-point operations, the counter "GFLOP/s" the same rate in
// GFLOP/s (10^9 floating-point operations per second of wall time), and the counter "flops" the same
// rate in FLOP/s: the workbook's convention for every kernel, which the docs' roofline reads (the
// peak of flops/peak is its compute roof).
void report_flops(benchmark::State& state, double flops_per_iteration) {
    const double flops = flops_per_iteration * static_cast<double>(state.iterations());
    state.SetItemsProcessed(static_cast<std::int64_t>(flops));
    state.counters["GFLOP/s"] = benchmark::Counter(flops / 1e9, benchmark::Counter::kIsRate);
    state.counters["flops"] = benchmark::Counter(flops_per_iteration, benchmark::Counter::kIsIterationInvariantRate);
}

// Exercise 00.4: kChains independent chains per thread, vectorised as the compiler chooses.
void flops_chains(benchmark::State& state) {
    const int threads = static_cast<int>(state.range(0));
    const std::int64_t steps = wb::bench::smoke() ? (1 << 12) : (1 << 18);
    for (auto _ : state) benchmark::DoNotOptimize(prof::fma_peak(threads, steps));
    report_flops(state, prof::fma_flops(threads, steps));
}
BENCHMARK(flops_chains)->Name("flops/chains")->Apply(one_and_all_threads)->UseRealTime();

// The same operations one chain after the other: bound by the latency of one fma, not the throughput.
void flops_one_chain(benchmark::State& state) {
    const std::int64_t steps = wb::bench::smoke() ? (1 << 8) : (1 << 14);
    for (auto _ : state) benchmark::DoNotOptimize(prof::fma_one_chain(steps));
    report_flops(state, prof::fma_flops(1, steps));
}
BENCHMARK(flops_one_chain)->Name("flops/one_chain")->ArgNames({"threads"})->Arg(1)->UseRealTime();

// The peak: the widest vector path this CPU runs (chosen at run time), kPeakVectors registers of
// chains per thread: enough for two FMA units of up to 6 cycles' latency.
void flops_peak(benchmark::State& state) {
    namespace peak = ch00::peak;
    const int threads = static_cast<int>(state.range(0));
    const std::int64_t steps = wb::bench::smoke() ? (1 << 10) : (1 << 17);
    const peak::Isa isa = peak::widest();
    for (auto _ : state) benchmark::DoNotOptimize(peak::run_threads(isa, peak::kPeakVectors, threads, steps));
    report_flops(state, peak::flops(isa, peak::kPeakVectors, steps, threads));
    state.SetLabel(std::string(peak::name(isa)) + ", " + std::to_string(peak::kPeakVectors * peak::lanes(isa)) +
                   " chains per thread");
}
BENCHMARK(flops_peak)->Name("flops/peak")->Apply(one_and_all_threads)->UseRealTime();

// One core, the widest path, 1 to kPeakVectors independent registers of chains: the rate grows with
// the number of chains until every FMA unit is busy every cycle (latency x units x lanes chains).
void flops_sweep(benchmark::State& state) {
    namespace peak = ch00::peak;
    const int vectors = static_cast<int>(state.range(0));
    const std::int64_t steps = wb::bench::smoke() ? (1 << 10) : (1 << 16);
    const peak::Isa isa = peak::widest();
    for (auto _ : state) benchmark::DoNotOptimize(peak::run_threads(isa, vectors, 1, steps));
    report_flops(state, peak::flops(isa, vectors, steps));
    state.SetLabel(std::string(peak::name(isa)) + ", " + std::to_string(vectors * peak::lanes(isa)) + " chains");
}
void vector_counts(benchmark::internal::Benchmark* b) {
    b->ArgNames({"vectors"});
    for (int v : ch00::peak::kVectorCounts) b->Arg(v);
}
BENCHMARK(flops_sweep)->Name("flops/sweep")->Apply(vector_counts)->UseRealTime();

// First touch: writing 64 MiB of fresh memory (every page faulted in by the kernel, and zeroed) against
// writing the same amount into memory written before. 64 MiB is above glibc's largest mmap threshold
// (32 MiB), so every allocation gets new pages from the kernel and every free gives them back.
std::size_t first_touch_n() { return std::size_t{1} << (wb::bench::smoke() ? 18 : 23); }

//! [first_touch]
void first_touch_cold(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    for (auto _ : state) {
        auto fresh = std::make_unique_for_overwrite<double[]>(n);  // no pages yet
        prof::fill({fresh.get(), n}, 1.0, 1);                      // one page fault per 4 KiB
        benchmark::DoNotOptimize(fresh.get());
    }  // freed: the pages go back to the kernel
    wb::bench::report_bytes(state, 8.0 * static_cast<double>(n), 8.0 * static_cast<double>(n));
}
BENCHMARK(first_touch_cold)->Name("first_touch/cold")->ArgNames({"n"})->Arg(first_touch_n())->UseRealTime()
    ->Unit(benchmark::kMillisecond);

void first_touch_warm(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    auto buffer = std::make_unique_for_overwrite<double[]>(n);
    prof::fill({buffer.get(), n}, 0.0, 1);  // touched once, before timing
    for (auto _ : state) {
        prof::fill({buffer.get(), n}, 1.0, 1);
        benchmark::DoNotOptimize(buffer.get());
    }
    wb::bench::report_bytes(state, 8.0 * static_cast<double>(n), 8.0 * static_cast<double>(n));
}
//! [first_touch]
BENCHMARK(first_touch_warm)->Name("first_touch/warm")->ArgNames({"n"})->Arg(first_touch_n())->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// Dead code: the same sum of squares with its result thrown away, and with it kept.
std::size_t dead_code_n() { return std::size_t{1} << 16; }

//! [dead_code]
void dead_code_unguarded(benchmark::State& state) {
    const std::vector<double> x(static_cast<std::size_t>(state.range(0)), 0.5);
    for (auto _ : state) {
        double s = ch00::sum_of_squares(x);  // nobody reads s: the compiler removes the loop
        (void)s;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * x.size()));
}

void dead_code_guarded(benchmark::State& state) {
    const std::vector<double> x(static_cast<std::size_t>(state.range(0)), 0.5);
    for (auto _ : state) {
        double s = ch00::sum_of_squares(x);
        benchmark::DoNotOptimize(s);  // Google Benchmark's escape(): s counts as read
        benchmark::ClobberMemory();   // and its clobber(): x may have changed
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * x.size()));
}
//! [dead_code]
BENCHMARK(dead_code_unguarded)->Name("dead_code/unguarded")->ArgNames({"n"})->Arg(dead_code_n());
BENCHMARK(dead_code_guarded)->Name("dead_code/guarded")->ArgNames({"n"})->Arg(dead_code_n());

// What one reading of each clock costs (items = readings). The wall clock is read in user space
// (the vDSO); the process CPU clock asks the kernel.
void clock_read_wall(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(ch00::wall_seconds());
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(clock_read_wall)->Name("clock_read/wall");

void clock_read_cpu(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(ch00::cpu_seconds());
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(clock_read_cpu)->Name("clock_read/process_cpu");

}  // namespace
