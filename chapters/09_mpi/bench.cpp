// ch09_bench: Google Benchmark inside one MPI job. Started by hand (or by ctest) it re-runs itself under
// `mpirun -n 4 --oversubscribe` (WB_BENCH_RANKS changes the 4). Rank 0 runs Google Benchmark and writes
// the report; before each benchmark it tells the other ranks, by a broadcast, what to run and for how
// many iterations, and the ranks the benchmark uses run the same number of steps with it. Ranks a
// benchmark does not use wait asleep (they poll every 0.2 ms), so that they take no core from the
// ranks measured. A benchmark that needs more ranks than the job has is skipped with an error row.
//
// Names: family/variant/procs:N (procs = MPI ranks, so the docs draw speedup against ranks with the
// ideal line), heat_weak/blocking/ranks:N (weak scaling: the time should stay flat), pingpong/round_trip/
// bytes:N (latency and bandwidth against the message size).
#include <mpi.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "ch05/kernels.hpp"
#include "ch09/manager_worker.hpp"
#include "ch09/mpi_util.hpp"
#include "ch09/pi.hpp"
#include "mpi_demo.hpp"
#include "wb/bench.hpp"

namespace {

enum Kind : int { kQuit, kPingpong, kHeat, kMandelbrot, kPi };

// What rank 0 asks the others to do: the same fields for every kind, meaning set by the kind.
struct Command {
    int kind = kQuit;
    int procs = 1;      // ranks 0 .. procs-1 take part
    int a = 0, b = 0, c = 0, d = 0;
    long long iterations = 0;
};

int g_rank = 0, g_size = 1;
std::vector<MPI_Comm> g_first;   // g_first[k]: the first k ranks (MPI_COMM_NULL on the others)

Command broadcast(Command c) {
    // Non-blocking on every rank (a non-blocking collective must not meet a blocking one).
    MPI_Request req;
    MPI_Ibcast(&c, sizeof c, MPI_BYTE, 0, MPI_COMM_WORLD, &req);
    if (g_rank == 0) {
        MPI_Wait(&req, MPI_STATUS_IGNORE);
    } else {
        int done = 0;
        while (MPI_Test(&req, &done, MPI_STATUS_IGNORE), !done) std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    return c;
}

// Chapter 05's frame. Only rank 0 knows whether this is the smoke run (the others never reach main), so
// every size travels in the command.
ch05::Frame frame() {
    return wb::bench::smoke() ? ch05::lopsided_frame(64, 32, 100) : ch05::lopsided_frame(320, 160, 500);
}

// The part of a command every rank that takes part runs, rank 0 inside Google Benchmark's loop.
void pingpong_peer(MPI_Comm pair, int bytes, long long iterations) {
    std::vector<char> buf(static_cast<std::size_t>(std::max(bytes, 1)));
    for (long long i = 0; i < iterations; ++i) {
        MPI_Recv(buf.data(), bytes, MPI_BYTE, 0, 0, pair, MPI_STATUS_IGNORE);
        MPI_Send(buf.data(), bytes, MPI_BYTE, 0, 0, pair);
    }
}

void serve() {
    std::vector<int> img, owner;
    while (true) {
        const Command c = broadcast({});
        if (c.kind == kQuit) return;
        if (g_rank >= c.procs) continue;
        MPI_Comm comm = g_first[static_cast<std::size_t>(c.procs)];
        if (c.kind == kPingpong) {
            pingpong_peer(comm, c.a, c.iterations);
        } else if (c.kind == kHeat) {
            ch09::demo::HeatStepper run(comm, c.a, c.b, static_cast<ch09::demo::Exchange>(c.c), c.d);
            MPI_Barrier(comm);
            for (long long i = 0; i < c.iterations; ++i) run.step();
        } else if (c.kind == kMandelbrot) {
            const ch05::Frame f = ch05::lopsided_frame(c.b, c.c, c.d);
            MPI_Barrier(comm);
            for (long long i = 0; i < c.iterations; ++i) {
                if (c.a) ch09::mandelbrot_manager_worker(comm, f, img, owner);
                else ch09::demo::mandelbrot_static(comm, f, img, owner);
            }
        } else if (c.kind == kPi) {
            MPI_Barrier(comm);
            for (long long i = 0; i < c.iterations; ++i) (void)ch09::pi_reduce(comm, c.a, 0);
        }
    }
}

void finish() {
    if (g_rank == 0) broadcast({});
    MPI_Finalize();
}

// Before main: under mpirun, or re-run under it; ranks other than 0 serve rank 0 and never reach main.
[[maybe_unused]] const bool g_started = [] {
    std::vector<std::string> words;
    {
        std::ifstream in("/proc/self/cmdline", std::ios::binary);
        std::string w;
        while (std::getline(in, w, '\0')) words.push_back(w);
    }
    std::vector<char*> argv;
    for (auto& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    int ranks = 4;
    if (const char* e = std::getenv("WB_BENCH_RANKS")) ranks = std::max(1, std::atoi(e));
    ch09::demo::ensure_launched(ranks, static_cast<int>(words.size()), argv.data());
    int provided = 0;
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
    g_rank = ch09::rank_of(MPI_COMM_WORLD);
    g_size = ch09::size_of(MPI_COMM_WORLD);
    g_first.assign(static_cast<std::size_t>(g_size) + 1, MPI_COMM_NULL);
    for (int k = 1; k <= g_size; ++k) g_first[static_cast<std::size_t>(k)] = ch09::demo::first_ranks(MPI_COMM_WORLD, k);
    if (g_rank != 0) {
        serve();
        MPI_Finalize();
        std::fflush(nullptr);
        _exit(0);
    }
    std::atexit(finish);
    return true;
}();

bool enough_ranks(benchmark::State& state, int procs) {
    if (procs <= g_size) return true;
    state.SkipWithError(("needs " + std::to_string(procs) + " MPI ranks; the job has " + std::to_string(g_size) +
                         " (WB_BENCH_RANKS)").c_str());
    return false;
}

//! [bench_pingpong]
void pingpong(benchmark::State& state) {
    const int bytes = static_cast<int>(state.range(0));
    if (!enough_ranks(state, 2)) return;
    broadcast({kPingpong, 2, bytes, 0, 0, 0, static_cast<long long>(state.max_iterations)});
    MPI_Comm pair = g_first[2];
    std::vector<char> buf(static_cast<std::size_t>(std::max(bytes, 1)));
    for (auto _ : state) {
        MPI_Send(buf.data(), bytes, MPI_BYTE, 1, 0, pair);
        MPI_Recv(buf.data(), bytes, MPI_BYTE, 1, 0, pair, MPI_STATUS_IGNORE);
    }
    // A round trip carries the message twice; half of it is the one-way time of the lesson's model.
    state.SetBytesProcessed(static_cast<std::int64_t>(2.0 * bytes * static_cast<double>(state.iterations())));
    // kIsRate | kInvert gives seconds / value: the one-way time in seconds.
    state.counters["one_way_seconds"] = benchmark::Counter(2.0 * static_cast<double>(state.iterations()),
                                                      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
//! [bench_pingpong]

// Grid sizes: strong scaling on a grid far beyond the caches (two grids of 64 MiB), and a small grid
// (two of 1 MiB, in cache) where the exchange is a large share of a step.
struct Grid {
    int rows, nx;
};
Grid large_grid() { return wb::bench::smoke() ? Grid{64, 256} : Grid{2048, 4096}; }
Grid small_grid() { return wb::bench::smoke() ? Grid{32, 128} : Grid{256, 512}; }

void heat_common(benchmark::State& state, Grid g, int procs, ch09::demo::Exchange mode, int threads) {
    if (!enough_ranks(state, procs)) return;
    broadcast({kHeat, procs, g.rows, g.nx, static_cast<int>(mode), threads, static_cast<long long>(state.max_iterations)});
    MPI_Comm comm = g_first[static_cast<std::size_t>(procs)];
    ch09::demo::HeatStepper run(comm, g.rows, g.nx, mode, threads);
    MPI_Barrier(comm);
    const double t0 = MPI_Wtime();
    for (auto _ : state) run.step();
    const double total = MPI_Wtime() - t0;
    // Rank 0's share of its step time spent waiting for the halo exchange.
    state.counters["exchange_share"] = total > 0 ? run.exchange_seconds() / total : 0.0;
    const double grid_bytes = 8.0 * g.rows * g.nx;
    // Each step reads one grid and writes the other; 7 floating-point operations a cell.
    wb::bench::report_bytes(state, 2.0 * grid_bytes, 2.0 * grid_bytes);
    state.counters["flops"] = benchmark::Counter(7.0 * g.rows * g.nx, benchmark::Counter::kIsIterationInvariantRate);
}

void heat_serial(benchmark::State& state) { heat_common(state, large_grid(), 1, ch09::demo::Exchange::blocking, 1); }
void heat_blocking(benchmark::State& state) {
    heat_common(state, large_grid(), static_cast<int>(state.range(0)), ch09::demo::Exchange::blocking, 1);
}
void heat_overlapped(benchmark::State& state) {
    heat_common(state, large_grid(), static_cast<int>(state.range(0)), ch09::demo::Exchange::overlapped, 1);
}
void heat_hybrid(benchmark::State& state) {
    heat_common(state, large_grid(), 1, ch09::demo::Exchange::blocking, static_cast<int>(state.range(0)));
}
void heat_small_serial(benchmark::State& state) { heat_common(state, small_grid(), 1, ch09::demo::Exchange::blocking, 1); }
void heat_small_blocking(benchmark::State& state) {
    heat_common(state, small_grid(), static_cast<int>(state.range(0)), ch09::demo::Exchange::blocking, 1);
}
void heat_small_overlapped(benchmark::State& state) {
    heat_common(state, small_grid(), static_cast<int>(state.range(0)), ch09::demo::Exchange::overlapped, 1);
}
// Weak scaling: every rank keeps the same number of rows, so the grid grows with the ranks.
void heat_weak(benchmark::State& state) {
    const int ranks = static_cast<int>(state.range(0));
    const Grid per_rank = wb::bench::smoke() ? Grid{32, 256} : Grid{1024, 4096};
    heat_common(state, Grid{per_rank.rows * ranks, per_rank.nx}, ranks, ch09::demo::Exchange::blocking, 1);
}

void mandelbrot_common(benchmark::State& state, int procs, bool dynamic) {
    if (!enough_ranks(state, procs)) return;
    const ch05::Frame f = frame();
    broadcast({kMandelbrot, procs, dynamic ? 1 : 0, f.width, f.height, f.max_iter,
               static_cast<long long>(state.max_iterations)});
    MPI_Comm comm = g_first[static_cast<std::size_t>(procs)];
    std::vector<int> img(ch05::pixels(f)), owner(static_cast<std::size_t>(f.height));
    MPI_Barrier(comm);
    for (auto _ : state) {
        if (dynamic) ch09::mandelbrot_manager_worker(comm, f, img, owner);
        else ch09::demo::mandelbrot_static(comm, f, img, owner);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(ch05::pixels(f)) * state.iterations());
}
void mandelbrot_serial(benchmark::State& state) { mandelbrot_common(state, 1, false); }
void mandelbrot_static(benchmark::State& state) { mandelbrot_common(state, static_cast<int>(state.range(0)), false); }
void mandelbrot_manager(benchmark::State& state) { mandelbrot_common(state, static_cast<int>(state.range(0)), true); }

void pi_common(benchmark::State& state, int procs) {
    if (!enough_ranks(state, procs)) return;
    const int intervals = wb::bench::smoke() ? 100'000 : 20'000'000;
    broadcast({kPi, procs, intervals, 0, 0, 0, static_cast<long long>(state.max_iterations)});
    MPI_Comm comm = g_first[static_cast<std::size_t>(procs)];
    MPI_Barrier(comm);
    for (auto _ : state) benchmark::DoNotOptimize(ch09::pi_reduce(comm, intervals, 0));
    state.SetItemsProcessed(static_cast<std::int64_t>(intervals) * state.iterations());
}
void pi_serial(benchmark::State& state) { pi_common(state, 1); }
void pi_reduce(benchmark::State& state) { pi_common(state, static_cast<int>(state.range(0))); }

void procs_2_3_4(benchmark::internal::Benchmark* b) { b->ArgNames({"procs"})->Arg(2)->Arg(3)->Arg(4); }

}  // namespace

BENCHMARK(pingpong)->Name("pingpong/round_trip")->ArgNames({"bytes"})->Arg(8)->Arg(512)->Arg(4 << 10)->Arg(32 << 10)
    ->Arg(256 << 10)->Arg(2 << 20)->UseRealTime();
BENCHMARK(heat_serial)->Name("heat/serial")->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(heat_blocking)->Name("heat/blocking")->Apply(procs_2_3_4)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(heat_overlapped)->Name("heat/overlapped")->Apply(procs_2_3_4)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(heat_hybrid)->Name("heat/hybrid_omp")->ArgNames({"threads"})->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(heat_small_serial)->Name("heat_small/serial")->UseRealTime();
BENCHMARK(heat_small_blocking)->Name("heat_small/blocking")->Apply(procs_2_3_4)->UseRealTime();
BENCHMARK(heat_small_overlapped)->Name("heat_small/overlapped")->Apply(procs_2_3_4)->UseRealTime();
BENCHMARK(heat_weak)->Name("heat_weak/blocking")->ArgNames({"ranks"})->Arg(1)->Arg(2)->Arg(4)->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(mandelbrot_serial)->Name("mandelbrot/serial")->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(mandelbrot_static)->Name("mandelbrot/static")->Apply(procs_2_3_4)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(mandelbrot_manager)->Name("mandelbrot/manager")->Apply(procs_2_3_4)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(pi_serial)->Name("pi/serial")->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(pi_reduce)->Name("pi/reduce")->Apply(procs_2_3_4)->UseRealTime()->Unit(benchmark::kMillisecond);
