// ch07_bench: the memory hierarchy. Families (see CONTRIBUTING.md for the naming):
//   latency/chase/bytes:N          one dependent load per step through a random cycle over N bytes
//                                  (2 MiB pages); counter ns_per_load. 4 KiB .. 256 MiB: the staircase
//   latency/chase_4k_pages/bytes:N the same with 4 KiB pages, at a few sizes: the TLB's share
//   bandwidth/read/bytes:N         the dispatched read kernel over N bytes (label: its instruction set)
//   stride/read/stride:S           one double every S doubles of 256 MiB; counter ns_per_element
//   prefetch/{sequential,page_stride,random}/mib:256   one double per line, three orders; ns_per_line
//   particles_advance/{aos,soa}/n:N, particles_sum_x/{aos,soa}/n:N   exercise 07.1 against the AoS
//   first_touch/{small_pages,huge_pages}/mib:64        map, touch every page, unmap; us_per_page
//   transpose/{copy,naive,tiled,tiled_simd}/n:4000     the transpose (07.2; with register blocks, label:
//                                                      the instruction set) against a copy of the bytes
// plus the blocking families of blocking/bench_blocking.cpp.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "ch07/aos_to_soa.hpp"
#include "ch07/transpose.hpp"
#include "memory.hpp"
#include "wb/bench.hpp"
#include "wb/isa.hpp"

namespace {

using ch07::demo::Region;
constexpr std::size_t KiB = 1024, MiB = 1024 * 1024;
constexpr std::size_t kMaxBytes = 256 * MiB;

std::size_t max_bytes() { return wb::bench::smoke() ? 4 * MiB : kMaxBytes; }
std::size_t clamp_bytes(std::int64_t b) { return std::min<std::size_t>(static_cast<std::size_t>(b), max_bytes()); }

/// Per-iteration rate counters read as "time per unit": ns per load, ns per element, ...
benchmark::Counter ns_per(double units_per_iteration) {
    return benchmark::Counter(units_per_iteration * 1e-9, benchmark::Counter::kIsIterationInvariantRate |
                                                              benchmark::Counter::kInvert);
}

/// 256 MiB of doubles equal to 1.0 in huge pages, made once and shared by the read benchmarks.
const double* ones() {
    static const Region r = [] {
        Region g(kMaxBytes, true);
        std::fill(g.as<double>(), g.as<double>() + kMaxBytes / sizeof(double), 1.0);
        return g;
    }();
    return r.as<double>();
}

void staircase_sizes(benchmark::internal::Benchmark* b) {
    b->ArgNames({"bytes"});
    for (std::size_t s = 4 * KiB; s <= kMaxBytes; s *= 2) b->Arg(static_cast<std::int64_t>(s));
}

// ---- latency ------------------------------------------------------------------------------------------
void chase_bench(benchmark::State& state, bool huge) {
    const std::size_t bytes = clamp_bytes(state.range(0));
    Region r(bytes, huge);
    ch07::demo::touch_pages(r);
    const void* p = ch07::demo::build_chase(r, bytes, 42);
    constexpr std::size_t kSteps = 1 << 14;
    p = ch07::demo::chase(p, std::min<std::size_t>(bytes / 64, 1 << 22));  // warm: one lap, at most 4 Mi steps
    for (auto _ : state) {
        p = ch07::demo::chase(p, kSteps);
        benchmark::DoNotOptimize(p);
    }
    state.counters["ns_per_load"] = ns_per(kSteps);
    state.counters["working_set"] = static_cast<double>(bytes);
}
void latency_chase(benchmark::State& state) { chase_bench(state, true); }
void latency_chase_4k(benchmark::State& state) { chase_bench(state, false); }
BENCHMARK(latency_chase)->Name("latency/chase")->Apply(staircase_sizes)->UseRealTime();
BENCHMARK(latency_chase_4k)
    ->Name("latency/chase_4k_pages")
    ->ArgNames({"bytes"})
    ->Arg(16 * MiB)
    ->Arg(64 * MiB)
    ->Arg(256 * MiB)->UseRealTime();

// ---- bandwidth ----------------------------------------------------------------------------------------
void bandwidth_read(benchmark::State& state) {
    const std::size_t bytes = clamp_bytes(state.range(0));
    const wb::Isa isa = wb::widest_isa();
    const std::span<const double> x(ones(), bytes / sizeof(double));
    for (auto _ : state) benchmark::DoNotOptimize(ch07::demo::read_sum(x, isa));
    state.SetLabel(wb::isa_name(isa));
    state.counters["flops"] = benchmark::Counter(static_cast<double>(x.size()), benchmark::Counter::kIsIterationInvariantRate);
    wb::bench::report_bytes(state, static_cast<double>(bytes), static_cast<double>(bytes));
}
BENCHMARK(bandwidth_read)->Name("bandwidth/read")->Apply(staircase_sizes)->UseRealTime();

// ---- strides ------------------------------------------------------------------------------------------
//! [bench_stride]
void stride_read(benchmark::State& state) {
    const std::size_t stride = static_cast<std::size_t>(state.range(0));
    const std::span<const double> x(ones(), max_bytes() / sizeof(double));
    for (auto _ : state) benchmark::DoNotOptimize(ch07::demo::stride_sum(x, stride));
    const double elements = static_cast<double>(x.size() / stride);
    state.counters["ns_per_element"] = ns_per(elements);
    state.counters["flops"] = benchmark::Counter(elements, benchmark::Counter::kIsIterationInvariantRate);
    // Bytes moved: whole 64-byte lines, one per read once the stride reaches a line.
    const double lines = static_cast<double>(max_bytes()) / static_cast<double>(std::max<std::size_t>(64, stride * sizeof(double)));
    wb::bench::report_bytes(state, 64.0 * lines, static_cast<double>(max_bytes()));
}
//! [bench_stride]
BENCHMARK(stride_read)->Name("stride/read")->ArgNames({"stride"})->RangeMultiplier(2)->Range(1, 64)->UseRealTime();

// ---- prefetching ----------------------------------------------------------------------------------------
void prefetch(benchmark::State& state, const char* kind) {
    const std::size_t bytes = max_bytes();
    const std::span<const double> x(ones(), bytes / sizeof(double));
    const std::vector<std::uint32_t> idx = ch07::demo::line_order(bytes / 64, kind, 3);
    for (auto _ : state) benchmark::DoNotOptimize(ch07::demo::gather_sum(x, idx));
    state.counters["ns_per_line"] = ns_per(static_cast<double>(idx.size()));
    state.counters["flops"] = benchmark::Counter(static_cast<double>(idx.size()), benchmark::Counter::kIsIterationInvariantRate);
    wb::bench::report_bytes(state, static_cast<double>(bytes), static_cast<double>(bytes));
}
void prefetch_sequential(benchmark::State& s) { prefetch(s, "sequential"); }
void prefetch_page_stride(benchmark::State& s) { prefetch(s, "page_stride"); }
void prefetch_random(benchmark::State& s) { prefetch(s, "random"); }
BENCHMARK(prefetch_sequential)->Name("prefetch/sequential")->ArgNames({"mib"})->Arg(256)->UseRealTime();
BENCHMARK(prefetch_page_stride)->Name("prefetch/page_stride")->ArgNames({"mib"})->Arg(256)->UseRealTime();
BENCHMARK(prefetch_random)->Name("prefetch/random")->ArgNames({"mib"})->Arg(256)->UseRealTime();

// ---- AoS against SoA (exercise 07.1) ---------------------------------------------------------------------
std::size_t particles_n(const benchmark::State& s) {
    return wb::bench::smoke() ? 1000 : static_cast<std::size_t>(s.range(0));
}
void particles_advance_aos(benchmark::State& state) {
    std::vector<ch07::Particle> p = ch07::demo::make_particles(particles_n(state), 5);
    for (auto _ : state) {
        ch07::demo::advance_aos(p, 1e-6);
        benchmark::ClobberMemory();
    }
    const double n = static_cast<double>(p.size());
    state.counters["flops"] = benchmark::Counter(6 * n, benchmark::Counter::kIsIterationInvariantRate);
    wb::bench::report_bytes(state, 2 * 56 * n, 56 * n);  // every line read and written back
}
void particles_advance_soa(benchmark::State& state) {
    ch07::Particles p(ch07::demo::make_particles(particles_n(state), 5));
    for (auto _ : state) {
        p.advance(1e-6);
        benchmark::ClobberMemory();
    }
    const double n = static_cast<double>(p.size());
    state.counters["flops"] = benchmark::Counter(6 * n, benchmark::Counter::kIsIterationInvariantRate);
    wb::bench::report_bytes(state, (48 + 24) * n, 56 * n);  // 6 arrays read, 3 written back
}
void particles_sum_x_aos(benchmark::State& state) {
    const std::vector<ch07::Particle> p = ch07::demo::make_particles(particles_n(state), 5);
    for (auto _ : state) benchmark::DoNotOptimize(ch07::demo::sum_x_aos(p));
    const double n = static_cast<double>(p.size());
    state.counters["flops"] = benchmark::Counter(n, benchmark::Counter::kIsIterationInvariantRate);
    wb::bench::report_bytes(state, 56 * n, 56 * n);
}
void particles_sum_x_soa(benchmark::State& state) {
    const ch07::Particles p(ch07::demo::make_particles(particles_n(state), 5));
    for (auto _ : state) benchmark::DoNotOptimize(p.sum(ch07::Field::x));
    const double n = static_cast<double>(p.size());
    state.counters["flops"] = benchmark::Counter(n, benchmark::Counter::kIsIterationInvariantRate);
    wb::bench::report_bytes(state, 8 * n, 8 * n);
}
BENCHMARK(particles_advance_aos)->Name("particles_advance/aos")->ArgNames({"n"})->Arg(2000000)->UseRealTime();
BENCHMARK(particles_advance_soa)->Name("particles_advance/soa")->ArgNames({"n"})->Arg(2000000)->UseRealTime();
BENCHMARK(particles_sum_x_aos)->Name("particles_sum_x/aos")->ArgNames({"n"})->Arg(2000000)->UseRealTime();
BENCHMARK(particles_sum_x_soa)->Name("particles_sum_x/soa")->ArgNames({"n"})->Arg(2000000)->UseRealTime();

// ---- first touch: 4 KiB pages against huge pages ------------------------------------------------------------
void first_touch(benchmark::State& state, bool huge) {
    const std::size_t bytes = wb::bench::smoke() ? 4 * MiB : static_cast<std::size_t>(state.range(0)) * MiB;
    for (auto _ : state) {
        Region r(bytes, huge);
        ch07::demo::touch_pages(r);
    }
    state.counters["us_per_page"] = benchmark::Counter(static_cast<double>(bytes / 4096) * 1e-6,
                                                       benchmark::Counter::kIsIterationInvariantRate |
                                                           benchmark::Counter::kInvert);
    state.SetLabel(ch07::demo::thp_mode());
}
void first_touch_small(benchmark::State& s) { first_touch(s, false); }
void first_touch_huge(benchmark::State& s) { first_touch(s, true); }
BENCHMARK(first_touch_small)->Name("first_touch/small_pages")->ArgNames({"mib"})->Arg(64)->UseRealTime();
BENCHMARK(first_touch_huge)->Name("first_touch/huge_pages")->ArgNames({"mib"})->Arg(64)->UseRealTime();

// ---- the transpose (exercise 07.2) -------------------------------------------------------------------------
// Both matrices on 2 MiB boundaries, in huge pages: aligned rows let the register-block version stream
// its stores, and no benchmark here pays for TLB misses (section "Pages and the TLB" measures those).
struct Matrices {
    std::size_t n;
    Region rin, rout;
    double *in, *out;
    explicit Matrices(std::size_t side)
        : n(side), rin(side * side * sizeof(double), true), rout(side * side * sizeof(double), true),
          in(rin.as<double>()), out(rout.as<double>()) {
        for (std::size_t i = 0; i < n * n; ++i) in[i] = static_cast<double>(i);
        std::fill(out, out + n * n, 0.0);
    }
    double bytes() const { return 2.0 * 8.0 * static_cast<double>(n * n); }  // read once, written once
};
std::size_t side(const benchmark::State& s) { return wb::bench::smoke() ? 200 : static_cast<std::size_t>(s.range(0)); }

void transpose_copy(benchmark::State& state) {
    Matrices m(side(state));
    for (auto _ : state) {
        std::copy(m.in, m.in + m.n * m.n, m.out);
        benchmark::ClobberMemory();
    }
    wb::bench::report_bytes(state, m.bytes(), m.bytes());
}
void transpose_naive(benchmark::State& state) {
    Matrices m(side(state));
    for (auto _ : state) {
        ch07::demo::transpose_naive(m.in, m.out, m.n, m.n);
        benchmark::ClobberMemory();
    }
    wb::bench::report_bytes(state, m.bytes(), m.bytes());
}
void transpose_tiled(benchmark::State& state) {
    Matrices m(side(state));
    for (auto _ : state) {
        ch07::transpose_tiled(m.in, m.out, m.n, m.n);
        benchmark::ClobberMemory();
    }
    wb::bench::report_bytes(state, m.bytes(), m.bytes());
}
void transpose_tiled_simd(benchmark::State& state) {
    Matrices m(side(state));
    const wb::Isa isa = wb::widest_isa();
    for (auto _ : state) {
        ch07::demo::transpose_simd(m.in, m.out, m.n, m.n, isa, true);
        benchmark::ClobberMemory();
    }
    state.SetLabel(wb::isa_name(isa));
    wb::bench::report_bytes(state, m.bytes(), m.bytes());
}
BENCHMARK(transpose_copy)->Name("transpose/copy")->ArgNames({"n"})->Arg(4000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(transpose_naive)->Name("transpose/naive")->ArgNames({"n"})->Arg(4000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(transpose_tiled)->Name("transpose/tiled")->ArgNames({"n"})->Arg(4000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(transpose_tiled_simd)->Name("transpose/tiled_simd")->ArgNames({"n"})->Arg(4000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
