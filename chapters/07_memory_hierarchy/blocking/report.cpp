// blocking/report.cpp: sections 7 and 8 of ch07_program, the matrix multiply and the blur.
#include "report.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "blocking.hpp"
#include "ch07/blur.hpp"
#include "ch07/matmul.hpp"
#include "wb/exercise.hpp"
#include "wb/isa.hpp"

namespace ch07::blocking {
namespace {

using Clock = std::chrono::steady_clock;

// The best of `repeats` timed runs (after one untimed warm-up), in seconds: the least disturbed run.
double best_seconds(const std::function<void()>& work, int repeats) {
    work();
    double best = 1e300;
    for (int r = 0; r < repeats; ++r) {
        const auto t0 = Clock::now();
        work();
        best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
    }
    return best;
}

std::string line(const char* fmt, double a, double b = 0, double c = 0, double d = 0) {
    char buf[256];
    std::snprintf(buf, sizeof buf, fmt, a, b, c, d);
    return buf;
}

void matmul_section(std::ostream& out, bool quick) {
    const int n = quick ? 256 : 512;
    const int repeats = quick ? 1 : 3;
    const wb::Isa isa = wb::widest_isa();
    out << "\n== 7. Matrix multiply: C = A B, " << n << " x " << n << " doubles, one core ==\n";
    std::string peak_isa;
    const double peak = fma_peak_flops(quick ? 0.05 : 0.3, peak_isa);
    if (peak > 0) {
        char buf[160];
        std::snprintf(buf, sizeof buf, "   This core's FMA peak (%s, independent FMA chains, as in chapter 00): %.1f GFLOP/s\n",
                      peak_isa.c_str(), peak / 1e9);
        out << buf;
    } else {
        out << "   No vector FMA on this CPU: no peak to compare with.\n";
    }
    out << "   Predict first: the naive loop reads B down a column, one cache line per multiply-add. Which\n"
           "   share of the peak can it reach? And a kernel that keeps a tile of C in registers?\n\n";

    std::vector<double> a(std::size_t(n) * n), b(a.size()), ref(a.size()), c(a.size());
    std::mt19937_64 gen(9);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    for (auto& x : a) x = u(gen);
    for (auto& x : b) x = u(gen);
    matmul_ikj(a, b, ref, n);

    struct Row {
        std::string name;
        std::function<bool()> run;  // false: not available
        std::string why_missing;
    };
    const std::string blocked = std::string("blocked (07.5, ") + wb::isa_name(isa) + ")";
    const std::vector<Row> rows = {
        {"naive i,j,k", [&] { matmul_naive(a, b, c, n); return true; }, ""},
        {"loop order i,k,j", [&] { matmul_ikj(a, b, c, n); return true; }, ""},
        {"tiled 64 (scalar C++)", [&] { matmul_tiled(a, b, c, n); return true; }, ""},
        {blocked, [&] { ch07::matmul_blocked(a, b, c, n, n, n, isa); return true; }, ""},
        {"Eigen 3 (x86-64 baseline)", [&] { return matmul_eigen(a, b, c, n); }, eigen_missing()},
        {"OpenBLAS, 1 thread, " + openblas_core(), [&] { return matmul_openblas(a, b, c, n); }, openblas_missing()},
    };
    char head[160];
    std::snprintf(head, sizeof head, "   %-28s %10s %10s %12s %14s\n", "version", "ms", "GFLOP/s", "% of peak", "max rel. diff");
    out << head;
    double blocked_gf = 0, openblas_gf = 0;
    for (const Row& r : rows) {
        char buf[200];
        try {
            if (!r.run()) {
                std::snprintf(buf, sizeof buf, "   %-28s   (%s)\n", r.name.c_str(), r.why_missing.c_str());
                out << buf;
                continue;
            }
            const double s = best_seconds([&] { r.run(); }, repeats);
            const double gf = matmul_flops(n) / s / 1e9;
            if (r.name == blocked) blocked_gf = gf;
            if (r.name.rfind("OpenBLAS", 0) == 0) openblas_gf = gf;
            std::snprintf(buf, sizeof buf, "   %-28s %10.2f %10.2f %11.0f%% %14.1e\n", r.name.c_str(), s * 1e3, gf,
                          peak > 0 ? 100.0 * gf * 1e9 / peak : 0.0, max_rel_diff(c, ref));
        } catch (const wb::NotStarted& e) {
            std::snprintf(buf, sizeof buf, "   %-28s   (exercise not finished)\n", r.name.c_str());
        }
        out << buf;
    }
    if (openblas_core() == "Prescott" && wb::cpu_has(wb::Isa::avx2))
        out << "\n   OpenBLAS did not recognize this CPU model and fell back to its generic SSE3 kernels (Prescott),\n"
               "   although the CPU runs AVX2" << (wb::cpu_has(wb::Isa::avx512) ? " and AVX-512" : "")
            << ". Run again with OPENBLAS_CORETYPE=" << (wb::cpu_has(wb::Isa::avx512) ? "SkylakeX" : "Haswell")
            << "\n   to give it the kernels it would have chosen.\n";
    if (blocked_gf > 0 && openblas_gf > 0)
        out << line("\n   The blocked multiply runs at %.2f x OpenBLAS's speed on this core (the issue's goal: at least 0.5,\n"
                    "   and at least 50%% of the peak at n = 1024: see the benchmarks matmul/blocked/n:1024).\n",
                    blocked_gf / openblas_gf);
}

void blur_section(std::ostream& out, bool quick) {
    const int side = quick ? 512 : 2048;
    const int repeats = quick ? 1 : 3;
    out << "\n== 8. Blur: a " << side << " x " << side << " float image, Gaussian k x k, edges clamped, one core ==\n";
    out << "   Predict first: the direct blur does k^2 multiply-adds per pixel, the separable one 2k (k along\n"
           "   the row, k down the column). If both run at the same rate of multiply-adds, direct/separable = k/2.\n\n";
    std::vector<float> in(std::size_t(side) * side), o1(in.size()), o2(in.size()), o3(in.size());
    std::mt19937_64 gen(4);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    for (auto& x : in) x = u(gen);
    char head[200];
    std::snprintf(head, sizeof head, "   %4s %12s %14s %14s %18s %16s\n", "k", "direct ms", "separable ms", "blocked ms",
                  "predicted d/s", "measured d/s");
    out << head;
    for (int k : quick ? std::vector<int>{5, 15} : std::vector<int>{3, 5, 9, 15}) {
        const std::vector<float> taps = ch07::gaussian_taps(k);
        const double td = best_seconds([&] { blur_direct(in, o1, side, side, taps, taps); }, repeats);
        double ts = 0;
        try {
            ts = best_seconds([&] { ch07::blur_separable(in, o2, side, side, taps, taps); }, repeats);
        } catch (const wb::NotStarted&) {
            out << "   (exercise 07.4 is not finished: no separable row)\n";
            return;
        }
        const double tb = best_seconds([&] { blur_separable_blocked(in, o3, side, side, taps, taps); }, repeats);
        char buf[200];
        std::snprintf(buf, sizeof buf, "   %4d %12.2f %14.2f %14.2f %18.2f %16.2f\n", k, td * 1e3, ts * 1e3, tb * 1e3,
                      blur_direct_flops_per_pixel(k) / blur_separable_flops_per_pixel(k), td / ts);
        out << buf;
    }
    out << "   (blocked: the separable blur keeping only the 2r + 1 rows of the row pass that the column pass\n"
           "   needs, in cache, instead of a whole intermediate image that goes to memory and back.)\n";
}

}  // namespace

void print_report(std::ostream& out, bool quick) {
    matmul_section(out, quick);
    blur_section(out, quick);
}

}  // namespace ch07::blocking
