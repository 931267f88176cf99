// ch10_bench: the C++ side of chapter 10's measurements, for the Python rows beside them.
//   evaluate/serial/n:N     chapter 05's elementwise kernel over n elements, called from C++: the same
//                           loop that wb_kernels.ch05_evaluate runs, so that the row
//                           evaluate/py_wb_kernels/n:N (the same call from Python, python/wbpy/ch10.py)
//                           differs from it by the cost of crossing the boundary only.
// The inputs are ch05::fill_inputs(seed 42), as in chapter 05.
#include <span>
#include <vector>

#include "ch05/kernels.hpp"
#include "wb/bench.hpp"

namespace {

//! [loop]
/// The loop of wb_kernels' ch05_evaluate with threads = 1.
[[gnu::noinline]] void evaluate(std::span<const double> x, std::span<const double> y, std::span<double> out) {
    for (std::size_t i = 0; i < x.size(); ++i) out[i] = ch05::kernel(x[i], y[i]);
}
//! [loop]

void evaluate_serial(benchmark::State& s) {
    const auto n = static_cast<std::size_t>(wb::bench::smoke() ? std::min<std::int64_t>(s.range(0), 4096) : s.range(0));
    std::vector<double> x(n), y(n), out(n);
    ch05::fill_inputs(x, y, 42);
    for (auto _ : s) {
        evaluate(x, y, out);
        benchmark::DoNotOptimize(out.data());
    }
    s.SetItemsProcessed(s.iterations() * static_cast<std::int64_t>(n));
}

// The sizes of python/wbpy/ch10.py: from one element (the call is all there is) to 2^18 (the work is).
BENCHMARK(evaluate_serial)->Name("evaluate/serial")->ArgNames({"n"})->RangeMultiplier(16)->Range(1, 1 << 16)
    ->Arg(1 << 18)->UseRealTime()->Repetitions(3)->ReportAggregatesOnly(true);

}  // namespace
