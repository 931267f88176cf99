// wb/bench.hpp: shared pieces of every chapter's Google Benchmark binary.
//
// Naming convention read by tools/results_to_docs.py:
//   family/variant/param:value/...     e.g.  mandelbrot/pool_dynamic/chunk:16/real_time
// In each family the variant named "serial" (or else "baseline") is the baseline that speedups are
// computed against; a param that takes three or more values gets a plot. Use ArgNames so params are
// named, UseRealTime() for anything with threads or processes, and SetBytesProcessed for memory-bound
// kernels (their share of chapter 00's measured bandwidth is then shown).
#pragma once

#include <benchmark/benchmark.h>

namespace wb::bench {

/// True when the binary runs as a smoke test (--wb_smoke): benchmarks may shrink their sizes.
bool smoke();

}  // namespace wb::bench
