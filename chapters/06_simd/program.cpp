// ch06_program: SIMD. The same kernels written several ways (plain loops, omp simd,
// std::experimental::simd, intrinsics, Google Highway) on every vector instruction set this CPU has,
// each speed printed beside the prediction of a simple model; the moving average's three algorithms and
// their rounding errors; the compiler-flags study.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "ch06/kernels.hpp"
#include "ch06/mandelbrot.hpp"
#include "ch06/moving_mean.hpp"
#include "ch06/nbody.hpp"
#include "ch06/sum_squares.hpp"
#include "flags/report.hpp"
#include "ways.hpp"
#include "wb/cli.hpp"
#include "wb/isa.hpp"
#include "wb/machine.hpp"
#include "wb/stats.hpp"

namespace {

using wb::median_ms;

volatile double g_sink = 0;  // keeps the results of timed sums alive

struct Options {
    bool quick = false;
    std::string section = "all";
    std::string isa;  // empty: WB_ISA or the widest this CPU has
    int repeats = 5;
};

/// The paths to show: every path this CPU has, up to the chosen one.
std::vector<wb::Isa> paths_up_to(wb::Isa top) {
    std::vector<wb::Isa> v;
    for (wb::Isa i : wb::isas_on_this_cpu())
        if (static_cast<int>(i) <= static_cast<int>(top)) v.push_back(i);
    return v;
}

/// Nanoseconds of one floating-point addition that waits for the previous one (the latency).
double add_latency_ns() {
    volatile double seed = 1e-300;
    const double step = seed;
    const long n = 20'000'000;
    const double ms = median_ms(
        [&] {
            double s = 0.0;
            for (long i = 0; i < n; ++i) s += step;  // one chain: each addition waits for the last
            g_sink = s;
        },
        3);
    return 1e6 * ms / static_cast<double>(n);
}

// ---------------------------------------------------------------------------------------------------------
void sums_section(const Options& o, wb::Isa top) {
    std::printf("\n== 1. The sum and the sum of squares, written five ways, on every path up to %s ==\n",
                wb::isa_name(top));
    const double lat = add_latency_ns();
    std::printf("   measured: one addition that waits for the previous one takes %.2f ns (its latency)\n", lat);
    for (std::size_t n : {std::size_t{4096}, o.quick ? std::size_t{1} << 20 : std::size_t{1} << 24}) {
        const std::vector<double> x = ch06::uniform(n, -1.0, 1.0, 7);
        const bool in_cache = n <= 4096;
        std::printf("\n   n = %zu doubles (%s)\n", n, in_cache ? "32 KiB: in the L1 cache" : "beyond the caches");
        std::printf("   %-40s %10s %10s %12s  %s\n", "way, path", "ns/elem", "GB/s", "predicted", "(model)");
        const int reps = in_cache ? 200 * o.repeats : o.repeats;
        auto row = [&](const std::string& name, const std::function<double()>& fn, double chains) {
            const double ms = median_ms([&] { g_sink = fn(); }, reps);
            const double ns = 1e6 * ms / static_cast<double>(n);
            if (chains > 0 && in_cache)
                std::printf("   %-40s %10.3f %10.1f %9.3f ns  (latency / %g independent chains)\n", name.c_str(), ns,
                            8.0 / ns, lat / chains, chains);
            else
                std::printf("   %-40s %10.3f %10.1f\n", name.c_str(), ns, 8.0 / ns);
        };
        row("sum, serial (1 chain)", [&] { return ch06::ways::sum_serial(x); }, 1);
        for (wb::Isa isa : paths_up_to(top)) {
            const double lanes = wb::isa_doubles(isa);
            const std::string p = std::string(", ") + wb::isa_name(isa);
            if (isa == wb::Isa::scalar) {
                row("sum of squares, 06.2" + p + " (4 chains)", [&] { return ch06::sum_squares(x, isa); }, 4);
                row("sum, omp simd" + p + " (SSE2)", [&] { return ch06::ways::sum_omp_simd(x, isa); }, 2);
                continue;
            }
            row("sum, intrinsics" + p, [&] { return ch06::ways::sum_intrinsics(x, isa); }, 4 * lanes);
            row("sum of squares, 06.2" + p, [&] { return ch06::sum_squares(x, isa); }, 4 * lanes);
            row("sum, omp simd" + p, [&] { return ch06::ways::sum_omp_simd(x, isa); }, lanes);
            row("sum, std::experimental::simd" + p, [&] { return ch06::ways::sum_stdx(x, isa); }, 4 * lanes);
        }
        bool ok = false;
        ch06::ways::sum_highway(x, ok);
        if (ok)
            row("sum, Highway (" + ch06::ways::highway_target() + ")", [&] { return ch06::ways::sum_highway(x, ok); },
                4 * wb::isa_doubles(top));
        else
            std::printf("   %-40s skipped: %s\n", "sum, Highway", ch06::ways::highway_target().c_str());
    }
    std::printf("\n   model: in cache, k independent chains of additions finish one element per latency / k\n"
                "   (until the adder or the loads run out: at most 2 vector additions per cycle); beyond the\n"
                "   caches every way runs at the speed memory delivers (GB/s column), whatever its chains.\n");
}

// ---------------------------------------------------------------------------------------------------------
void moving_section(const Options& o) {
    const std::size_t n = o.quick ? std::size_t{1} << 18 : std::size_t{1} << 22;
    std::printf("\n== 2. The moving average of %zu samples of 1e6 + noise: three algorithms, three errors ==\n", n);
    std::vector<double> x = ch06::uniform(n, -1.0, 1.0, 11);
    for (double& v : x) v += 1e6;
    std::printf("   %-40s %6s %10s %14s %14s\n", "algorithm", "w", "ms", "max error", "in ulp of mean");
    for (std::size_t w : {std::size_t{8}, std::size_t{256}}) {
        std::vector<double> out(n - w + 1);
        // Reference: long double running sum re-started every 64 outputs (error ~1e-19 relative: exact here).
        std::vector<long double> ref(out.size());
        for (std::size_t i = 0; i < out.size(); i += 64) {
            long double s = 0;
            for (std::size_t k = i; k < i + w; ++k) s += x[k];
            for (std::size_t j = i; j < std::min(out.size(), i + 64); ++j) {
                if (j > i) s += static_cast<long double>(x[j + w - 1]) - static_cast<long double>(x[j - 1]);
                ref[j] = s / static_cast<long double>(w);
            }
        }
        auto row = [&](const char* name, const std::function<void()>& fn) {
            const double ms = median_ms(fn, o.repeats);
            double worst = 0;
            for (std::size_t i = 0; i < out.size(); ++i)
                worst = std::max(worst, std::fabs(static_cast<double>(static_cast<long double>(out[i]) - ref[i])));
            std::printf("   %-40s %6zu %10.2f %14.3e %14.1f\n", name, w, ms, worst, worst / std::ldexp(1.0, 20 - 52));
        };
        if (w <= 8 || !o.quick) row("O(n w): every window summed", [&] { ch06::ways::moving_naive(x, w, out); });
        row("O(n): running sum, + new - old", [&] { ch06::ways::moving_sliding(x, w, out); });
        row("O(n): cumulative sum, P[i+w] - P[i]", [&] { ch06::ways::moving_cumsum(x, w, out); });
        row("O(n): compensated running sum (06.3)", [&] { ch06::moving_mean(x, w, out); });
    }
    std::printf("   (ulp of mean: 2^-32, the spacing of doubles near 1e6; the reference is long double)\n");
}

// ---------------------------------------------------------------------------------------------------------
void mandelbrot_section(const Options& o, wb::Isa top) {
    const ch06::Frame f = o.quick ? ch06::standard_frame(160, 120, 100) : ch06::standard_frame(800, 800, 200);
    std::printf("\n== 3. Mandelbrot %dx%d, %d iterations, one thread ==\n", f.width, f.height, f.max_iter);
    std::vector<int> want(ch06::pixels(f)), img(ch06::pixels(f));
    const double serial = median_ms([&] { ch06::mandelbrot_reference(f, want); }, o.repeats);
    std::printf("   scalar loop (escape_time per pixel): %.2f ms\n", serial);
    std::printf("   %-34s %10s %9s %10s  %s\n", "way, path", "ms", "speedup", "predicted", "same counts");
    auto row = [&](const std::string& name, const std::function<void()>& fn, double predicted) {
        std::fill(img.begin(), img.end(), -1);
        const double ms = median_ms(fn, o.repeats);
        std::printf("   %-34s %10.2f %8.2fx %9.0fx  %s\n", name.c_str(), ms, serial / ms, predicted,
                    img == want ? "yes" : "NO");
    };
    for (wb::Isa isa : paths_up_to(top)) {
        if (isa == wb::Isa::scalar) continue;
        const double lanes = wb::isa_doubles(isa);
        const std::string p = std::string(", ") + wb::isa_name(isa);
        row("intrinsics (06.4)" + p, [&] { ch06::mandelbrot_simd(f, img, isa); }, lanes);
        row("omp simd" + p, [&] { ch06::ways::mandelbrot_omp_simd(f, img, isa); }, lanes);
        row("std::experimental::simd" + p, [&] { ch06::ways::mandelbrot_stdx(f, img, isa); }, lanes);
    }
    bool ok = false;
    ch06::ways::mandelbrot_highway(f, img, ok);
    if (ok)
        row("Highway (" + ch06::ways::highway_target() + ")", [&] { ch06::ways::mandelbrot_highway(f, img, ok); },
            wb::isa_doubles(top));
    std::printf("   predicted: the lanes per vector (every lane does one pixel's work). Lanes of pixels that escaped\n"
                "   early idle until the last pixel of their vector escapes (less); the scalar loop also waits on\n"
                "   its one chain z -> z^2 -> z^2 + c, and a second vector in flight fills those waits (more).\n"
                "   Highway's loop has one vector in flight, the intrinsics and stdx loops two.\n");
}

// ---------------------------------------------------------------------------------------------------------
void nbody_section(const Options& o, wb::Isa top) {
    const std::size_t n = o.quick ? 512 : 2048;
    const int cores = static_cast<int>(wb::logical_cores());
    std::printf("\n== 4. N-body accelerations, %zu bodies (structure of arrays) ==\n", n);
    const ch06::Bodies b = ch06::make_bodies(n, 3);
    ch06::Accel want, got;
    const double serial = median_ms([&] { ch06::accelerations_reference(b, want); }, o.repeats);
    const double pairs = static_cast<double>(n) * static_cast<double>(n);
    std::printf("   scalar loop (sqrt and division), one thread: %.2f ms\n", serial);
    std::printf("   %-38s %7s %9s %9s %8s %12s\n", "way, path", "threads", "ms", "GFLOP/s", "speedup", "max rel err");
    auto row = [&](const std::string& name, int threads, const std::function<void()>& fn) {
        const double ms = median_ms(fn, o.repeats);
        double worst = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const double e = std::max({std::fabs(got.x[i] - want.x[i]), std::fabs(got.y[i] - want.y[i]),
                                       std::fabs(got.z[i] - want.z[i])});
            worst = std::max(worst, e / ch06::force_scale(b, i));
        }
        std::printf("   %-38s %7d %9.2f %9.1f %7.2fx %12.1e\n", name.c_str(), threads, ms,
                    ch06::kNbodyFlopsPerPair * pairs / ms * 1e-6, serial / ms, worst);
    };
    for (wb::Isa isa : paths_up_to(top)) {
        const std::string p = std::string(", ") + wb::isa_name(isa);
        for (int t : {1, cores}) {
            row("rsqrt + Newton (06.5)" + p, t, [&] { ch06::accelerations(b, got, isa, t); });
            if (isa != wb::Isa::scalar) {
                row("omp simd, sqrt + div (errno: scalar)" + p, t, [&] { ch06::ways::nbody_omp_simd(b, got, isa, t); });
                row("std::experimental::simd, sqrt + div" + p, t, [&] { ch06::ways::nbody_stdx(b, got, isa, t); });
            }
            if (cores == 1) break;
        }
    }
    bool ok = false;
    ch06::ways::nbody_highway(b, got, 1, ok);
    if (ok)
        for (int t : {1, cores})
            row("Highway (" + ch06::ways::highway_target() + "), sqrt + div", t,
                [&] { ch06::ways::nbody_highway(b, got, t, ok); });
    std::printf("   GFLOP/s counts %.0f operations per pair (see kNbodyFlopsPerPair); max rel err: the worst\n"
                "   component error over the sum of the magnitudes of the pulls (the test allows 1e-12).\n",
                ch06::kNbodyFlopsPerPair);
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    wb::Cli cli("ch06_program",
                "SIMD: the sum, the moving average, Mandelbrot and N-body written several ways, on every vector "
                "instruction set this CPU has, with the model's prediction beside each measurement; then the "
                "compiler-flags study.");
    cli.flag("--quick", o.quick, "small sizes and few repeats (a smoke run of a few seconds)");
    cli.option("--section", o.section, "run one section only",
               {"all", "sums", "moving", "mandelbrot", "nbody", "flags"});
    cli.option("--isa", o.isa, "the widest instruction set to use (default: $WB_ISA, else the widest this CPU has)",
               {"", "scalar", "avx2", "avx512"});
    cli.option("--repeats", o.repeats, "timed runs per measurement (the median is shown)", 1, 1000);
    cli.parse(argc, argv);
    if (o.quick) o.repeats = std::min(o.repeats, 3);

    wb::Isa top;
    try {
        top = wb::widest_isa();
        if (!o.isa.empty()) {
            top = *wb::parse_isa(o.isa);
            if (!wb::cpu_has(top)) throw std::invalid_argument("--isa " + o.isa + ": this CPU does not run " + o.isa);
        }
    } catch (const std::invalid_argument& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 2;
    }

    std::printf("%s\n", wb::machine_banner().c_str());
    std::printf("Vector paths on this CPU:");
    for (wb::Isa i : wb::isas_on_this_cpu()) std::printf(" %s", wb::isa_name(i));
    std::printf("; using up to %s. Highway picks %s.\n", wb::isa_name(top), ch06::ways::highway_target().c_str());

    const bool all = o.section == "all";
    if (all || o.section == "sums") sums_section(o, top);
    if (all || o.section == "moving") moving_section(o);
    if (all || o.section == "mandelbrot") mandelbrot_section(o, top);
    if (all || o.section == "nbody") nbody_section(o, top);
    if (all || o.section == "flags") {
        std::printf("\n== 5. Compiler flags: what each buys and what it costs ==\n");
        std::fflush(stdout);
        ch06::flags::print_report(std::cout, o.quick);
        std::cout.flush();
    }
    return 0;
}
