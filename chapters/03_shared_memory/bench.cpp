// ch03_bench: shared memory between processes.
//
//   sum/serial                   one process sums 2^26 doubles (512 MiB): the baseline
//   sum/shm/procs:N              N processes (forked once) sum the array in shared memory, in place
//   sum/threads/procs:N          N OpenMP threads of one process: what shared memory should match
//   sum/pipe/procs:N             the array is written through N pipes to N worker processes
//   sum/fork_per_call/procs:N    shared memory, but the N - 1 children are forked for every sum
//   counter/serial               2^20 plain increments in one process (the baseline)
//   counter/<sync>/procs:N       the same 2^20 increments split over N processes, on one shared
//                                counter protected by an atomic, a mutex or a semaphore
//   line/handoff                 one cache line passed back and forth between two processes (the
//                                time per hand-off: the model of the contended atomic counter)
//   ring/spsc/capacity:N         items through the lock-free ring between two processes
//   ring/pipe/batch:N            items through a pipe, N items per write()
//
// Every sum reads the same bytes (SetBytesProcessed), so the results page shows each as a share of
// the memory bandwidth measured in chapter 00.
#include "wb/bench.hpp"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "ch03/counter.hpp"
#include "ch03/shared_sum.hpp"
#include "lab.hpp"

namespace {

std::size_t sum_n() { return wb::bench::smoke() ? (std::size_t{1} << 20) : (std::size_t{1} << 26); }

void fill(std::span<double> a) {
    for (std::size_t i = 0; i < a.size(); ++i) a[i] = static_cast<double>(i % 1024);
}

/// What the sum benchmarks keep between calls: building it (mapping, forking, touching and filling
/// 512 MiB) takes longer than many sums, and is not what is measured. The counter and ring
/// benchmarks drop it first: they fork on every call, and fork() takes longer the more memory the
/// parent has mapped (chapter 01), which is not what they measure either.
struct SumData {
    std::unique_ptr<ch03::lab::PrivateArray> priv;  // private to this process (serial, threads, pipes)
    std::unique_ptr<ch03::SharedSum> team;          // sum/shm
    std::unique_ptr<ch03::lab::PipeSum> pipes;      // sum/pipe
    ch03::SharedMapping shared;                     // sum/fork_per_call
};
std::unique_ptr<SumData> g_data;

SumData& data() {
    if (!g_data) g_data = std::make_unique<SumData>();
    return *g_data;
}

void drop_sum_data() { g_data.reset(); }

std::span<const double> private_array() {
    auto& d = data();
    if (!d.priv) {
        d.priv = std::make_unique<ch03::lab::PrivateArray>(sum_n());
        fill(d.priv->span());
    }
    return d.priv->span();
}

ch03::SharedSum& team(int procs) {
    auto& t = data().team;
    if (!t || t->procs() != procs) {
        t.reset();
        t = std::make_unique<ch03::SharedSum>(sum_n(), procs);
        fill(t->data());
    }
    return *t;
}

ch03::lab::PipeSum& pipes(int procs) {
    auto& p = data().pipes;
    if (!p || p->procs() != procs) {
        p.reset();
        p = std::make_unique<ch03::lab::PipeSum>(procs);
    }
    return *p;
}

std::span<double> shared_array() {
    auto& m = data().shared;
    if (!m.data()) {
        m = ch03::SharedMapping(sum_n() * sizeof(double));
        fill({m.as<double>(), sum_n()});
    }
    return {m.as<double>(), sum_n()};
}

// Every sum reads the whole array once (bytes/s and the working_set counter, which the docs use to
// compare it with chapter 00's memory bandwidth) and adds each element once (the counter "flops", in
// FLOP/s: the workbook's convention for the roofline in the docs).
void set_bytes(benchmark::State& state) {
    const double bytes = static_cast<double>(sum_n() * sizeof(double));
    wb::bench::report_bytes(state, bytes, bytes);
    state.counters["flops"] = benchmark::Counter(static_cast<double>(sum_n()),
                                                 benchmark::Counter::kIsIterationInvariantRate);
}

// ------------------------------------------------------------------------------------------------
void BM_sum_serial(benchmark::State& state) {
    const auto a = private_array();
    for (auto _ : state) benchmark::DoNotOptimize(ch03::sum_kernel(a.data(), a.size()));
    set_bytes(state);
}

//! [bench_shm]
void BM_sum_shm(benchmark::State& state) {
    ch03::SharedSum& t = team(static_cast<int>(state.range(0)));  // forked once, pages touched
    for (auto _ : state) benchmark::DoNotOptimize(t.sum());       // timed: only the sums
    set_bytes(state);
}
//! [bench_shm]

void BM_sum_threads(benchmark::State& state) {
    const auto a = private_array();
    const int threads = static_cast<int>(state.range(0));
    for (auto _ : state) benchmark::DoNotOptimize(ch03::lab::threads_sum(a, threads));
    set_bytes(state);
}

void BM_sum_pipe(benchmark::State& state) {
    const auto a = private_array();
    auto& p = pipes(static_cast<int>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(p.sum(a));
    set_bytes(state);
}

void BM_sum_fork_per_call(benchmark::State& state) {
    const auto a = shared_array();
    const int procs = static_cast<int>(state.range(0));
    for (auto _ : state) benchmark::DoNotOptimize(ch03::lab::fork_per_call_sum(a, procs));
    set_bytes(state);
}

// ------------------------------------------------------------------------------------------------
std::int64_t counter_total() { return wb::bench::smoke() ? (1 << 12) : (1 << 20); }

void BM_counter_serial(benchmark::State& state) {
    drop_sum_data();
    const std::int64_t total = counter_total();
    for (auto _ : state) {
        volatile std::int64_t value = 0;  // volatile: one load and one store per increment, as in memory
        for (std::int64_t i = 0; i < total; ++i) value = value + 1;
        benchmark::DoNotOptimize(value);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * total);
}

void BM_counter(benchmark::State& state, ch03::Sync sync) {
    drop_sum_data();
    const int procs = static_cast<int>(state.range(0));
    const std::int64_t total = counter_total();
    for (auto _ : state) benchmark::DoNotOptimize(ch03::count_in_processes(sync, procs, total / procs));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * total);
}

void BM_line_handoff(benchmark::State& state) {
    drop_sum_data();
    const std::uint64_t handoffs = wb::bench::smoke() ? (1u << 10) : (1u << 16);
    for (auto _ : state) {
        // Manual time: the hand-offs only, not forking the partner process.
        state.SetIterationTime(1e-9 * ch03::lab::line_handoff_ns(handoffs, 1) * static_cast<double>(handoffs));
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * handoffs));
}

// ------------------------------------------------------------------------------------------------
std::uint64_t ring_batch() { return wb::bench::smoke() ? (1u << 10) : (1u << 16); }

//! [bench_ring]
void BM_ring_spsc(benchmark::State& state) {
    drop_sum_data();
    const std::uint64_t batch = ring_batch();
    // One producer process for the whole run: it pushes exactly what the timed loop will pop.
    ch03::lab::RingProducer producer(static_cast<std::size_t>(state.range(0)),
                                     static_cast<std::uint64_t>(state.max_iterations) * batch);
    std::uint64_t expected = 0, errors = 0;
    for (auto _ : state) {
        for (std::uint64_t k = 0; k < batch; ++k) errors += producer.ring().pop() != expected++;
    }
    if (!producer.finish() || errors != 0) state.SkipWithError("items lost, duplicated or reordered");
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * batch));
}
//! [bench_ring]

void BM_ring_pipe(benchmark::State& state) {
    drop_sum_data();
    const std::uint64_t batch = ring_batch();
    const auto per_write = static_cast<std::size_t>(state.range(0));
    ch03::lab::PipeProducer producer(per_write, static_cast<std::uint64_t>(state.max_iterations) * batch);
    std::vector<std::uint64_t> buf(per_write);
    std::uint64_t expected = 0, errors = 0;
    for (auto _ : state) {
        for (std::uint64_t k = 0; k < batch; k += per_write) {  // batch is a multiple of per_write
            if (!producer.read_items(buf.data(), per_write)) ++errors;
            for (std::size_t j = 0; j < per_write; ++j) errors += buf[j] != expected++;
        }
    }
    if (!producer.finish() || errors != 0) state.SkipWithError("items lost, duplicated or reordered");
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * batch));
}

}  // namespace

BENCHMARK(BM_sum_serial)->Name("sum/serial")->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_sum_shm)
    ->Name("sum/shm")
    ->ArgNames({"procs"})
    ->DenseRange(1, 4)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_sum_threads)
    ->Name("sum/threads")
    ->ArgNames({"procs"})
    ->DenseRange(1, 4)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_sum_pipe)
    ->Name("sum/pipe")
    ->ArgNames({"procs"})
    ->DenseRange(1, 4)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_sum_fork_per_call)
    ->Name("sum/fork_per_call")
    ->ArgNames({"procs"})
    ->Arg(1)
    ->Arg(2)
    ->Arg(4)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

BENCHMARK(BM_counter_serial)->Name("counter/serial")->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_counter, atomic, ch03::Sync::atomic)
    ->Name("counter/atomic")
    ->ArgNames({"procs"})
    ->Arg(1)
    ->Arg(2)
    ->Arg(4)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_counter, mutex, ch03::Sync::mutex)
    ->Name("counter/mutex")
    ->ArgNames({"procs"})
    ->Arg(1)
    ->Arg(2)
    ->Arg(4)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_counter, semaphore, ch03::Sync::semaphore)
    ->Name("counter/semaphore")
    ->ArgNames({"procs"})
    ->Arg(1)
    ->Arg(2)
    ->Arg(4)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

BENCHMARK(BM_line_handoff)->Name("line/handoff")->UseManualTime()->Unit(benchmark::kMillisecond);

BENCHMARK(BM_ring_spsc)
    ->Name("ring/spsc")
    ->ArgNames({"capacity"})
    ->Arg(16)
    ->Arg(256)
    ->Arg(4096)
    ->Arg(65536)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ring_pipe)
    ->Name("ring/pipe")
    ->ArgNames({"batch"})
    ->Arg(1)
    ->Arg(16)
    ->Arg(256)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
