// ch01_bench: threads against processes. Families (see the lesson's "Reading the results"):
//   spawn/<variant>/mib:M      create a worker that does nothing and wait for its end, while this process
//                              holds M MiB of written memory; baseline = std::thread (+ join)
//   handoff/<variant>/bytes:B  give a running worker an array of B bytes to sum; baseline = a thread
//                              given a pointer, against a child process sent the bytes through a pipe
//   roundtrip/<variant>        8 bytes there and back over two pipes: to a child process or to a thread
#include "wb/bench.hpp"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "lab.hpp"

namespace {

namespace lab = ch01::lab;
constexpr std::size_t kMiB = std::size_t{1} << 20;

// The memory this process holds while the spawn benchmarks run (mib:1 stands for "a small program";
// the plots need a value above 0 for their logarithmic axis). Google Benchmark calls a benchmark
// function several times (to choose the iteration count), so the block is kept and only replaced when
// another size is asked for; every other family asks for none.
std::unique_ptr<lab::Ballast> g_ballast;

void hold_mib(std::int64_t mib) {
    std::size_t bytes = static_cast<std::size_t>(mib) * kMiB;
    if (wb::bench::smoke()) bytes = std::min(bytes, 8 * kMiB);
    const std::size_t held = g_ballast ? g_ballast->bytes() : 0;
    if (held == bytes) return;
    g_ballast.reset();
    if (bytes > 0) g_ballast = std::make_unique<lab::Ballast>(bytes);
}

//! [bench_spawn]
template <void (*CreateAndFinish)()>
void BM_spawn(benchmark::State& state) {
    hold_mib(state.range(0));
    for (auto _ : state) CreateAndFinish();
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));  // workers per second
}
//! [bench_spawn]

void spawn_args(benchmark::internal::Benchmark* b) {
    b->ArgNames({"mib"})->Arg(1)->Arg(8)->Arg(64)->Arg(512)->UseRealTime();
}

// The same array of doubles (sizes shrink under --wb_smoke) for both hand-off variants.
std::vector<double> handoff_data(const benchmark::State& state) {
    std::size_t bytes = static_cast<std::size_t>(state.range(0));
    if (wb::bench::smoke()) bytes = std::min(bytes, kMiB);
    std::vector<double> v(bytes / sizeof(double));
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<double>(i % 1000);
    return v;
}

void handoff_args(benchmark::internal::Benchmark* b) {
    b->ArgNames({"bytes"})->Arg(4096)->Arg(64 * 1024)->Arg(1 << 20)->Arg(16 << 20)->UseRealTime();
}

void BM_handoff_thread(benchmark::State& state) {
    hold_mib(0);
    const std::vector<double> data = handoff_data(state);
    lab::ThreadSummer worker;
    for (auto _ : state) benchmark::DoNotOptimize(worker.sum(data));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * data.size() * sizeof(double)));
    state.SetLabel("thread, given a pointer");
}

void BM_handoff_pipe(benchmark::State& state) {
    hold_mib(0);
    const std::vector<double> data = handoff_data(state);
    const lab::PipePartner child(lab::PipePartner::Kind::process, lab::serve_sums);
    for (auto _ : state) benchmark::DoNotOptimize(lab::sum_through_pipe(child, data));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * data.size() * sizeof(double)));
    state.SetLabel("child process, sent the bytes through a pipe");
}

template <lab::PipePartner::Kind Kind>
void BM_roundtrip(benchmark::State& state) {
    hold_mib(0);
    const lab::PipePartner partner(Kind, lab::serve_echo);
    std::uint64_t k = 0;
    for (auto _ : state) k = lab::echo_round_trip(partner, k);
    benchmark::DoNotOptimize(k);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));  // round trips per second
}

}  // namespace

// The baseline of the spawn family is the thread ("spawn/baseline" is std::thread + join), so the
// process variants show as slowdowns against it.
BENCHMARK(BM_spawn<lab::thread_create_join>)->Name("spawn/baseline")->Apply(spawn_args);
BENCHMARK(BM_spawn<lab::fork_wait>)->Name("spawn/fork")->Apply(spawn_args);
BENCHMARK(BM_spawn<lab::fork_exec_wait>)->Name("spawn/fork_exec")->Apply(spawn_args);
BENCHMARK(BM_spawn<lab::posix_spawn_wait>)->Name("spawn/posix_spawn")->Apply(spawn_args);

BENCHMARK(BM_handoff_thread)->Name("handoff/baseline")->Apply(handoff_args);
BENCHMARK(BM_handoff_pipe)->Name("handoff/pipe")->Apply(handoff_args);

BENCHMARK(BM_roundtrip<lab::PipePartner::Kind::process>)->Name("roundtrip/pipe")->UseRealTime();
BENCHMARK(BM_roundtrip<lab::PipePartner::Kind::thread>)->Name("roundtrip/pipe_threads")->UseRealTime();
