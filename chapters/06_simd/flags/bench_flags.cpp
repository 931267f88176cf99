// flags/bench_flags.cpp: the compiler-flags study as benchmarks, part of ch06_bench.
//   flags/<kernel>/<variant>   one loop of flags/kernels.cpp as compiled by one variant of the flags
// Every array holds 1024 doubles (8 KiB): the data stays in the L1 cache, so the times show what the
// core does with the loop, not the memory. Counters: flops, bytes (report_bytes), and where a variant
// may change the result, its error: max_ulp (exp, poly: the largest distance in doubles from the
// correctly rounded value over the inputs) or rel_error (sum).
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "accuracy.hpp"
#include "kernels.hpp"
#include "wb/bench.hpp"

namespace {

using namespace ch06::flags;

constexpr std::size_t kN = 1024;

const Variant& variant(const char* name) {
    const Variant* v = find_variant(name);
    if (v == nullptr) throw std::invalid_argument(std::string("no flags variant ") + name);
    return *v;
}

void counters(benchmark::State& s, double flops_per_element, double bytes_per_element) {
    s.counters["flops"] = benchmark::Counter(flops_per_element * kN, benchmark::Counter::kIsIterationInvariantRate);
    wb::bench::report_bytes(s, bytes_per_element * kN, bytes_per_element * kN);
    s.SetItemsProcessed(s.iterations() * static_cast<std::int64_t>(kN));
}

void max_ulp(benchmark::State& s, const std::vector<double>& got, const std::vector<double>& want) {
    s.counters["max_ulp"] = static_cast<double>(ulp_stats(got.data(), want.data(), got.size()).max);
}

// y[i] += a x[i], with and without __restrict: 2 flops, 24 bytes (read x and y, write y) per element.
void axpy(benchmark::State& s, const char* name, bool restrict_) {
    const Variant& v = variant(name);
    std::vector<double> x = uniform(kN, -1.0, 1.0, 5), y = uniform(kN, -1.0, 1.0, 6);
    const AxpyFn f = restrict_ ? v.axpy_restrict : v.axpy;
    for (auto _ : s) {
        f(y.data(), x.data(), 1e-9, kN);
        benchmark::DoNotOptimize(y.data());
        benchmark::ClobberMemory();
    }
    counters(s, 2, 24);
}

// The sum in the order written: 1 flop, 8 bytes per element.
void sum(benchmark::State& s, const char* name) {
    const Variant& v = variant(name);
    const std::vector<double> x = uniform(kN, kSumLo, kSumHi, 4);
    double r = 0.0;
    for (auto _ : s) {
        r = v.sum(x.data(), kN);
        benchmark::DoNotOptimize(r);
    }
    counters(s, 1, 8);
    s.counters["rel_error"] = relative_error(r, sum_reference(x.data(), kN));
}

// out[i] = f(in[i]) for sqrt, exp and the polynomial: 16 bytes per element.
void map(benchmark::State& s, const char* name, const char* kernel) {
    const Variant& v = variant(name);
    const std::string k = kernel;
    const MapFn f = k == "sqrt" ? v.sqrt_all : k == "exp" ? v.exp_all : v.poly;
    const std::vector<double> in = k == "sqrt"  ? uniform(kN, kSqrtLo, kSqrtHi, 3)
                                   : k == "exp" ? uniform(kN, kExpLo, kExpHi, 1)
                                                : uniform(kN, kPolyLo, kPolyHi, 2);
    std::vector<double> out(kN);
    for (auto _ : s) {
        f(out.data(), in.data(), kN);
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    // Flops: sqrt counts as 1, exp as 1 (a library call of some tens of instructions: the counter says
    // how many exps per second, not how busy the FMA units are), the polynomial as 8 multiplies + 8 adds.
    counters(s, k == "poly" ? 16 : 1, 16);
    if (k != "sqrt") {
        std::vector<double> want(kN);
        for (std::size_t i = 0; i < kN; ++i) want[i] = k == "exp" ? exp_reference(in[i]) : poly_reference(in[i]);
        f(out.data(), in.data(), kN);
        max_ulp(s, out, want);
    }
}

// Kinetic energy per particle: 7 flops; AoS reads the whole 56-byte particle (its cache lines) and
// writes 8 bytes, SoA reads 4 arrays and writes 1: 40 bytes.
void kinetic(benchmark::State& s, const char* name, bool aos) {
    const Variant& v = variant(name);
    const std::vector<double> m = uniform(kN, 1.0, 2.0, 7), vx = uniform(kN, -1.0, 1.0, 8),
                              vy = uniform(kN, -1.0, 1.0, 9), vz = uniform(kN, -1.0, 1.0, 10);
    std::vector<Particle> p(kN);
    for (std::size_t i = 0; i < kN; ++i) p[i] = {0.0, 0.0, 0.0, vx[i], vy[i], vz[i], m[i]};
    std::vector<double> e(kN);
    for (auto _ : s) {
        if (aos)
            v.kinetic_aos(e.data(), p.data(), kN);
        else
            v.kinetic_soa(e.data(), m.data(), vx.data(), vy.data(), vz.data(), kN);
        benchmark::DoNotOptimize(e.data());
        benchmark::ClobberMemory();
    }
    counters(s, 7, aos ? 64 : 40);
}

// Three repetitions of which the JSON keeps the median, as in the other chapters.
void steady(benchmark::internal::Benchmark* b) { b->Repetitions(3)->ReportAggregatesOnly(true); }

int register_all() {
    for (const char* v : {"O2", "O3", "O3_native"}) {
        benchmark::RegisterBenchmark((std::string("flags/axpy/") + v).c_str(), axpy, v, false)->Apply(steady);
        benchmark::RegisterBenchmark((std::string("flags/axpy_restrict/") + v).c_str(), axpy, v, true)->Apply(steady);
    }
    for (const char* v : {"O2", "strict", "assoc", "fast"})
        benchmark::RegisterBenchmark((std::string("flags/sum/") + v).c_str(), sum, v)->Apply(steady);
    for (const char* v : {"strict", "no_errno", "fast"})
        benchmark::RegisterBenchmark((std::string("flags/sqrt/") + v).c_str(), map, v, "sqrt")->Apply(steady);
    for (const char* v : {"O2", "strict", "no_errno", "fast"})
        benchmark::RegisterBenchmark((std::string("flags/exp/") + v).c_str(), map, v, "exp")->Apply(steady);
    for (const char* v : {"O2", "O3", "strict", "contract", "fast"})
        benchmark::RegisterBenchmark((std::string("flags/poly/") + v).c_str(), map, v, "poly")->Apply(steady);
    for (const char* v : {"O3", "O3_native"}) {
        benchmark::RegisterBenchmark((std::string("flags/kinetic_aos/") + v).c_str(), kinetic, v, true)->Apply(steady);
        benchmark::RegisterBenchmark((std::string("flags/kinetic_soa/") + v).c_str(), kinetic, v, false)->Apply(steady);
    }
    return 0;
}

[[maybe_unused]] const int registered = register_all();

}  // namespace
