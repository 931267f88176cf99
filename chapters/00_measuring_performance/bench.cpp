#include "wb/bench.hpp"
#include <vector>
static void serial(benchmark::State& s) { std::vector<double> v(s.range(0), 1.0); for (auto _ : s) { double a=0; for (double x: v) a+=x; benchmark::DoNotOptimize(a);} s.SetBytesProcessed(s.iterations()*s.range(0)*8); }
BENCHMARK(serial)->Name("sum/serial")->ArgName("n")->RangeMultiplier(4)->Range(1<<10, 1<<16);
