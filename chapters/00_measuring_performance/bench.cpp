// Benchmarks of chapter 00: the machine profile (stream, flops) that later chapters compare with,
// and the measuring pitfalls of the lesson (first_touch, dead_code, clock_read).
#include <ctime>
#include <memory>
#include <vector>

#include "ch00/keep_alive.hpp"
#include "ch00/median_timer.hpp"
#include "profile.hpp"
#include "wb/bench.hpp"
#include "wb/machine.hpp"

namespace {

namespace prof = ch00::profile;

int all_cores() { return static_cast<int>(wb::logical_cores()); }

// 3 arrays of 2^25 doubles = 768 MiB, far beyond the caches (2^20 in the smoke run). Allocated and
// first-touched once, on first use, and shared by every stream benchmark.
prof::StreamArrays& stream_arrays() {
    static prof::StreamArrays arrays(std::size_t{1} << (wb::bench::smoke() ? 20 : 25), all_cores());
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
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * prof::copy_bytes(s.n)));
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
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * prof::triad_bytes(s.n)));
}
BENCHMARK(stream_triad)->Name("stream/triad")->Apply(one_and_all_threads)->UseRealTime()->Unit(benchmark::kMillisecond);

// Peak floating-point rate: kChains independent fma chains per thread. items = floating-point operations.
void flops_chains(benchmark::State& state) {
    const int threads = static_cast<int>(state.range(0));
    const std::int64_t steps = wb::bench::smoke() ? (1 << 12) : (1 << 18);
    for (auto _ : state) benchmark::DoNotOptimize(prof::fma_peak(threads, steps));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * prof::fma_flops(threads, steps)));
}
BENCHMARK(flops_chains)->Name("flops/chains")->Apply(one_and_all_threads)->UseRealTime();

// The same operations one chain after the other: bound by the latency of one fma, not the throughput.
void flops_one_chain(benchmark::State& state) {
    const std::int64_t steps = wb::bench::smoke() ? (1 << 8) : (1 << 14);
    for (auto _ : state) benchmark::DoNotOptimize(prof::fma_one_chain(steps));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * prof::fma_flops(1, steps)));
}
BENCHMARK(flops_one_chain)->Name("flops/one_chain")->ArgNames({"threads"})->Arg(1)->UseRealTime();

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
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * 8 * n));
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
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * 8 * n));
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
