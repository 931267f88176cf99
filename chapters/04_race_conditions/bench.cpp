// bench.cpp: the benchmarks of chapter 04. Every family has a "serial" variant (one thread, no
// synchronization) that speedups are computed against; the threaded variants sweep threads:1,2,4
// with the total amount of work fixed, so ideal scaling halves the time from 1 to 2 threads. Each
// figure is the median of three repetitions.
//   counter/{serial,racy,mutex,atomic,partial_sums}   one count of 2^20 events, 30 busy-work steps each
//   false_sharing/{serial,packed,padded}               2^22 atomic increments, no busy work
//   pi/{serial,shared_rng,per_block_streams}           Monte Carlo pi from 2^21 samples
//   sum/{serial,omp_reduction}                         the sum of 2^23 doubles (64 MiB)
// The racy variant is skipped in a ThreadSanitizer build, where its race would be reported.
#include "wb/bench.hpp"

#include <atomic>
#include <cstdint>
#include <span>
#include <vector>

#include "ch04/counter.hpp"
#include "ch04/omp_sum.hpp"
#include "ch04/padded_counters.hpp"
#include "ch04/pi_streams.hpp"
#include "variants.hpp"

namespace {

namespace v = ch04::variants;

constexpr int kWork = 30;  // busy-work steps per counted event

std::int64_t counter_events() { return wb::bench::smoke() ? 1 << 12 : 1 << 20; }
std::int64_t false_sharing_events() { return wb::bench::smoke() ? 1 << 12 : 1 << 22; }
std::uint64_t pi_samples() { return wb::bench::smoke() ? 1 << 14 : 1 << 21; }
std::size_t sum_size() { return wb::bench::smoke() ? 1 << 16 : 1 << 23; }

// Wall time, and the median of three repetitions: a burst of other activity on a two-core machine
// spoils one repetition, not the reported figure.
void timed(benchmark::internal::Benchmark* b) { b->UseRealTime()->Repetitions(3)->ReportAggregatesOnly(true); }

void thread_sweep(benchmark::internal::Benchmark* b) {
    timed(b);
    b->ArgNames({"threads"})->Arg(1)->Arg(2)->Arg(4);
}

// ---- counter ----------------------------------------------------------------------------------

void counter_serial(benchmark::State& state) {
    const std::int64_t events = counter_events();
    for (auto _ : state) benchmark::DoNotOptimize(v::count_serial(events, kWork));
    state.SetItemsProcessed(state.iterations() * events);
}

template <std::int64_t (*Count)(int, std::int64_t, int)>
void counter_threads(benchmark::State& state) {
    if (Count == &v::count_racy && v::under_tsan) {
        state.SkipWithError("the racy variant is not run under ThreadSanitizer");
        return;
    }
    const auto threads = static_cast<int>(state.range(0));
    const std::int64_t per_thread = counter_events() / threads;
    for (auto _ : state) benchmark::DoNotOptimize(Count(threads, per_thread, kWork));
    state.SetItemsProcessed(state.iterations() * per_thread * threads);
}

BENCHMARK(counter_serial)->Name("counter/serial")->Apply(timed);
BENCHMARK(counter_threads<&v::count_racy>)->Name("counter/racy")->Apply(thread_sweep);
BENCHMARK(counter_threads<&ch04::count_with_mutex>)->Name("counter/mutex")->Apply(thread_sweep);
BENCHMARK(counter_threads<&ch04::count_with_atomic>)->Name("counter/atomic")->Apply(thread_sweep);
BENCHMARK(counter_threads<&ch04::count_with_partial_sums>)->Name("counter/partial_sums")->Apply(thread_sweep);

// ---- false sharing ----------------------------------------------------------------------------

void false_sharing_serial(benchmark::State& state) {
    const std::int64_t events = false_sharing_events();
    for (auto _ : state) {
        std::atomic<std::uint64_t> count{0};
        for (std::int64_t i = 0; i < events; ++i) count.fetch_add(1, std::memory_order_relaxed);
        benchmark::DoNotOptimize(count.load());
    }
    state.SetItemsProcessed(state.iterations() * events);
}

template <std::vector<std::uint64_t> (*Count)(int, std::int64_t, int)>
void false_sharing_threads(benchmark::State& state) {
    const auto threads = static_cast<int>(state.range(0));
    const std::int64_t per_thread = false_sharing_events() / threads;
    for (auto _ : state) benchmark::DoNotOptimize(Count(threads, per_thread, 0));
    state.SetItemsProcessed(state.iterations() * per_thread * threads);
}

BENCHMARK(false_sharing_serial)->Name("false_sharing/serial")->Apply(timed);
BENCHMARK(false_sharing_threads<&v::count_in_packed_slots>)->Name("false_sharing/packed")->Apply(thread_sweep);
BENCHMARK(false_sharing_threads<&ch04::count_in_own_slots>)->Name("false_sharing/padded")->Apply(thread_sweep);

// ---- Monte Carlo pi ---------------------------------------------------------------------------

void pi_serial(benchmark::State& state) {
    const std::uint64_t samples = pi_samples();
    for (auto _ : state) benchmark::DoNotOptimize(v::pi_hits_serial(samples, 1));
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(samples));
}

template <std::uint64_t (*Hits)(std::uint64_t, std::uint64_t, int)>
void pi_threads(benchmark::State& state) {
    const auto threads = static_cast<int>(state.range(0));
    const std::uint64_t samples = pi_samples();
    for (auto _ : state) benchmark::DoNotOptimize(Hits(samples, 1, threads));
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(samples));
}

BENCHMARK(pi_serial)->Name("pi/serial")->Apply(timed);
BENCHMARK(pi_threads<&v::pi_hits_shared_locked>)->Name("pi/shared_rng")->Apply(thread_sweep);
BENCHMARK(pi_threads<&ch04::pi_hits>)->Name("pi/per_block_streams")->Apply(thread_sweep);

// ---- the parallel sum -------------------------------------------------------------------------

std::span<const double> sum_data() {
    static const std::vector<double> data = [] {
        std::vector<double> x(std::size_t{1} << 23);
        ch04::SplitMix64 rng{7};
        for (double& value : x) value = rng.uniform();
        return x;
    }();
    return std::span<const double>(data).first(sum_size());
}

// A sum reads every element once (bytes/s and the working_set counter) and adds it once (the counter
// "flops", in FLOP/s: the workbook's convention for the roofline in the docs).
void report_sum(benchmark::State& state, std::span<const double> x) {
    const auto bytes = static_cast<double>(x.size_bytes());
    wb::bench::report_bytes(state, bytes, bytes);
    state.counters["flops"] = benchmark::Counter(static_cast<double>(x.size()),
                                                 benchmark::Counter::kIsIterationInvariantRate);
}

void sum_serial(benchmark::State& state) {
    const std::span<const double> x = sum_data();
    for (auto _ : state) benchmark::DoNotOptimize(v::sum_serial(x));
    report_sum(state, x);
}

void sum_omp_reduction(benchmark::State& state) {
    const std::span<const double> x = sum_data();
    const auto threads = static_cast<int>(state.range(0));
    for (auto _ : state) benchmark::DoNotOptimize(ch04::omp_sum(x, threads));
    report_sum(state, x);
}

BENCHMARK(sum_serial)->Name("sum/serial")->Apply(timed);
BENCHMARK(sum_omp_reduction)->Name("sum/omp_reduction")->Apply(thread_sweep);

}  // namespace
