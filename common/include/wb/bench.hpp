// wb/bench.hpp: shared pieces of every chapter's Google Benchmark binary.
//
// Naming convention read by tools/results_to_docs.py:
//   family/variant/param:value/...     e.g.  mandelbrot/pool_dynamic/chunk:16/real_time
// In each family the variant named "serial" (or else "baseline") is the baseline that speedups are
// computed against; a param that takes three or more values gets a plot. Use ArgNames so params are
// named, UseRealTime() for anything with threads or processes, and report_bytes() for memory-bound
// kernels: the docs compare their bandwidth with chapter 00's memory bandwidth only when their data
// is well beyond the last-level cache that the benchmark main measured at start-up (llc_bytes()),
// and say "in cache" otherwise.
//
// What the benchmark main adds to the JSON "context" (besides Google Benchmark's own):
//   wb_cpu_model, wb_vector_isa, wb_logical_cores, wb_compiler, wb_flags, wb_date   the stamp
//   wb_llc_bytes_measured   the last-level cache edge from measure_cache_edge() (wb/machine.hpp)
//   wb_llc_found            "yes", or "no" when no drop to memory speed was seen (then the value
//                           above is the largest array swept, a lower bound)
//   wb_llc_sweep            the sweep itself: "MiB:GB/s" pairs; wb_llc_sweep_seconds its duration
//   wb_other_load_start     cores kept busy by other programs during the sweep at start-up
//   wb_other_load_run       the same, averaged over the whole run (added when the run ends)
//   wb_load_average         /proc/loadavg's 1-minute figure at start-up
//   wb_busy_threshold       at or above this many busy cores the run is flagged (and a warning printed)
// Under --wb_smoke (the ctest smoke run) none of the measured entries is written.
#pragma once

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>

namespace wb::bench {

/// True when the binary runs as a smoke test (--wb_smoke): benchmarks may shrink their sizes.
bool smoke();

/// The last-level cache edge measured at start-up, in bytes; 0 under --wb_smoke (not measured).
/// A benchmark meant to measure memory bandwidth sizes its data to at least kBeyondCache times this.
std::size_t llc_bytes();

/// How far beyond the measured cache edge data must be for the docs to call it memory-bound.
inline constexpr double kBeyondCache = 4.0;

/// Reports a memory-bound kernel: `bytes_per_iteration` moved to or from memory in one iteration
/// (gives bytes_per_second) and `working_set` bytes of data the kernel touches (the counter
/// "working_set", averaged over Google Benchmark's threads, not summed). Call after the timing loop.
inline void report_bytes(benchmark::State& state, double bytes_per_iteration, double working_set) {
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes_per_iteration * double(state.iterations())));
    state.counters["working_set"] = benchmark::Counter(working_set, benchmark::Counter::kAvgThreads);
}

}  // namespace wb::bench
