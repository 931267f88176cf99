// blocking/bench_blocking.cpp: the benchmarks of the chapter's blocking part (see CONTRIBUTING.md for
// the naming).
//   matmul/{naive,ikj,tiled,blocked,eigen,openblas}/n:N   C = A B, n x n doubles, one core; counter
//        "flops" (2 n^3 per product). blocked is ch07::matmul_blocked on the widest path (label: the path;
//        WB_ISA lowers it); openblas's label is the kernel family OpenBLAS chose for this CPU (Prescott: its
//        generic SSE3 fallback, for a CPU model it does not know; OPENBLAS_CORETYPE=SkylakeX or Haswell
//        overrides); Eigen is compiled for the x86-64 baseline like the chapter (SSE2: Eigen picks its
//        vector width when compiled); naive and ikj only at the sizes where they finish in reasonable time.
//   blur/{direct,separable,separable_blocked}/k:K   a 2048 x 2048 float image (16 MiB, in and out 32 MiB)
//        blurred with a k x k Gaussian, one core; counters "flops" and bytes per second (the bytes an
//        ideal pass moves: in and out, and for the two-pass separable one the intermediate image twice).
#include <memory>
#include <stdexcept>
#include <vector>

#include "blocking.hpp"
#include "ch07/blur.hpp"
#include "ch07/matmul.hpp"
#include "wb/bench.hpp"
#include "wb/isa.hpp"

namespace {

struct Matrices {
    std::vector<double> a, b, c;
    explicit Matrices(int n) : a(std::size_t(n) * std::size_t(n)), b(a.size()), c(a.size()) {
        ch07::blocking::fill_matmul_inputs(a, b);
    }
};

int matmul_n(const benchmark::State& s) {
    return wb::bench::smoke() ? 48 : static_cast<int>(s.range(0));
}

void report_matmul(benchmark::State& s, int n) {
    s.counters["flops"] = benchmark::Counter(ch07::blocking::matmul_flops(n), benchmark::Counter::kIsIterationInvariantRate);
    const double bytes = 3.0 * n * n * sizeof(double);  // A and B read, C written, at the least
    wb::bench::report_bytes(s, bytes, bytes);
}

template <void (*F)(std::span<const double>, std::span<const double>, std::span<double>, int)>
void matmul_plain(benchmark::State& s) {
    const int n = matmul_n(s);
    Matrices m(n);
    for (auto _ : s) {
        F(m.a, m.b, m.c, n);
        benchmark::DoNotOptimize(m.c.data());
    }
    report_matmul(s, n);
}

void matmul_tiled(benchmark::State& s) {
    const int n = matmul_n(s);
    Matrices m(n);
    for (auto _ : s) {
        ch07::blocking::matmul_tiled(m.a, m.b, m.c, n);
        benchmark::DoNotOptimize(m.c.data());
    }
    report_matmul(s, n);
}

void matmul_blocked(benchmark::State& s) {
    wb::Isa isa;
    try {
        isa = wb::widest_isa();
    } catch (const std::invalid_argument& e) {
        s.SkipWithError(e.what());
        return;
    }
    const int n = matmul_n(s);
    Matrices m(n);
    for (auto _ : s) {
        ch07::matmul_blocked(m.a, m.b, m.c, n, n, n, isa);
        benchmark::DoNotOptimize(m.c.data());
    }
    s.SetLabel(wb::isa_name(isa));
    report_matmul(s, n);
}

template <bool (*F)(std::span<const double>, std::span<const double>, std::span<double>, int), std::string (*Why)()>
void matmul_library(benchmark::State& s) {
    const int n = matmul_n(s);
    Matrices m(n);
    if (!F(m.a, m.b, m.c, n)) {
        s.SkipWithError(Why().c_str());
        return;
    }
    for (auto _ : s) {
        F(m.a, m.b, m.c, n);
        benchmark::DoNotOptimize(m.c.data());
    }
    if (F == ch07::blocking::matmul_openblas) s.SetLabel(ch07::blocking::openblas_core());
    report_matmul(s, n);
}

// ---- blur ----------------------------------------------------------------------------------------------
struct Image {
    int w, h;
    std::vector<float> in, out;
    explicit Image(int side) : w(side), h(side), in(std::size_t(side) * std::size_t(side)), out(in.size()) {
        ch07::blocking::fill_blur_image(in);
    }
};

int blur_side() { return wb::bench::smoke() ? 64 : 2048; }

enum class Blur { direct, separable, separable_blocked };

template <Blur B>
void blur(benchmark::State& s) {
    const int k = static_cast<int>(s.range(0));
    const std::vector<float> taps = ch07::gaussian_taps(k);
    Image img(blur_side());
    for (auto _ : s) {
        if constexpr (B == Blur::direct) {
            ch07::blocking::blur_direct(img.in, img.out, img.w, img.h, taps, taps);
        } else if constexpr (B == Blur::separable) {
            ch07::blur_separable(img.in, img.out, img.w, img.h, taps, taps);
        } else {
            ch07::blocking::blur_separable_blocked(img.in, img.out, img.w, img.h, taps, taps);
        }
        benchmark::DoNotOptimize(img.out.data());
    }
    const double pixels = double(img.w) * img.h;
    const double per_pixel = B == Blur::direct ? ch07::blocking::blur_direct_flops_per_pixel(k)
                                               : ch07::blocking::blur_separable_flops_per_pixel(k);
    s.counters["flops"] = benchmark::Counter(per_pixel * pixels, benchmark::Counter::kIsIterationInvariantRate);
    // Bytes an ideal pass moves to or from memory: the image in and out (4 + 4 bytes a pixel); the
    // two-pass version also writes and reads back its intermediate image (8 more).
    const double bytes = (B == Blur::separable ? 16.0 : 8.0) * pixels;
    wb::bench::report_bytes(s, bytes, (B == Blur::separable ? 3.0 : 2.0) * 4.0 * pixels);
}

void sizes_all(benchmark::internal::Benchmark* b) { b->ArgNames({"n"})->Arg(256)->Arg(1024)->Unit(benchmark::kMillisecond); }

}  // namespace

BENCHMARK(matmul_plain<ch07::blocking::matmul_naive>)->Name("matmul/naive")->ArgNames({"n"})->Arg(256)->Arg(512)->Unit(benchmark::kMillisecond);
BENCHMARK(matmul_plain<ch07::blocking::matmul_ikj>)->Name("matmul/ikj")->ArgNames({"n"})->Arg(256)->Arg(512)->Unit(benchmark::kMillisecond);
BENCHMARK(matmul_tiled)->Name("matmul/tiled")->Apply(sizes_all);
BENCHMARK(matmul_blocked)->Name("matmul/blocked")->Apply(sizes_all);
BENCHMARK(matmul_library<ch07::blocking::matmul_eigen, ch07::blocking::eigen_missing>)->Name("matmul/eigen")->Apply(sizes_all);
BENCHMARK(matmul_library<ch07::blocking::matmul_openblas, ch07::blocking::openblas_missing>)->Name("matmul/openblas")->Apply(sizes_all);
BENCHMARK(blur<Blur::direct>)->Name("blur/direct")->ArgNames({"k"})->Arg(3)->Arg(5)->Arg(9)->Arg(15)->Unit(benchmark::kMillisecond);
BENCHMARK(blur<Blur::separable>)->Name("blur/separable")->ArgNames({"k"})->Arg(3)->Arg(5)->Arg(9)->Arg(15)->Unit(benchmark::kMillisecond);
BENCHMARK(blur<Blur::separable_blocked>)->Name("blur/separable_blocked")->ArgNames({"k"})->Arg(3)->Arg(5)->Arg(9)->Arg(15)->Unit(benchmark::kMillisecond);
