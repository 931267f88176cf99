// ch05_program: parallel loops with std::thread, a thread pool, OpenMP and the C++17 parallel
// algorithms; OpenMP schedules with per-thread busy time; floating-point reductions; Amdahl's law.
#include <omp.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "ch05/amdahl.hpp"
#include "ch05/chunked.hpp"
#include "ch05/kernels.hpp"
#include "ch05/mandelbrot.hpp"
#include "ch05/schedule_model.hpp"
#include "ch05/reduction.hpp"
#include "ch05/reproducible_sum.hpp"
#include "ch05/thread_pool.hpp"
#include "loops.hpp"
#include "wb/cli.hpp"
#include "wb/machine.hpp"
#include "wb/stats.hpp"

namespace {

using Clock = std::chrono::steady_clock;

using wb::median_ms;

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

struct Options {
    int threads = 0;      // for the schedule and sum sections; 0: the number of cores
    int max_threads = 0;  // the scaling sweep goes 1 .. max_threads; 0: twice the cores
    int n = 1 << 20;      // elements of the chunked loop
    int repeats = 5;
    bool quick = false;
};

// ---------------------------------------------------------------------------------------------------
void chunked_section(const Options& o) {
    const auto n = static_cast<std::size_t>(o.n);
    std::printf("\n== 1. One loop, four ways: out[i] = kernel(x[i], y[i]) over %zu elements ==\n", n);
    std::printf("   (compute-bound: exp, log, log1p and sin per element; times are medians of %d runs)\n\n",
                o.repeats);
    std::vector<double> x(n), y(n), expected(n), out(n);
    ch05::fill_inputs(x, y, 42);
    const double serial = median_ms([&] { ch05::demo::evaluate_serial(x, y, expected); }, o.repeats);
    std::printf("   serial loop: %.2f ms (%.1f ns per element)\n\n", serial, 1e6 * serial / static_cast<double>(n));
    std::printf("   %7s  %13s %8s  %13s %8s  %13s %8s  %s\n", "threads", "std::thread", "speedup", "thread pool",
                "speedup", "OpenMP", "speedup", "identical to serial");
    const int cores = static_cast<int>(wb::logical_cores());
    for (int t = 1; t <= o.max_threads; ++t) {
        bool identical = true;
        const double th = median_ms([&] { ch05::evaluate_chunked(x, y, out, t); }, o.repeats);
        identical = identical && same_bits(out, expected);
        ch05::ThreadPool pool(t);  // started before timing: the pool's point is to start threads once
        const double pl = median_ms([&] { ch05::demo::evaluate_pool(pool, x, y, out, t); }, o.repeats);
        identical = identical && same_bits(out, expected);
        const double om = median_ms([&] { ch05::demo::evaluate_omp(x, y, out, t); }, o.repeats);
        identical = identical && same_bits(out, expected);
        std::printf("   %7d  %10.2f ms %7.2fx  %10.2f ms %7.2fx  %10.2f ms %7.2fx  %s%s\n", t, th, serial / th, pl,
                    serial / pl, om, serial / om, identical ? "yes" : "NO", t > cores ? "   (oversubscribed)" : "");
    }
}

// ---------------------------------------------------------------------------------------------------
void schedule_section(const Options& o) {
    const ch05::Frame f = o.quick ? ch05::lopsided_frame(96, 48, 200) : ch05::lopsided_frame(640, 320, 800);
    const int t = o.threads;
    std::printf("\n== 2. OpenMP schedules on the lopsided Mandelbrot frame ==\n");
    std::printf("   %dx%d pixels, max %d iterations, re [%g, %g], im [%g, %g], row 0 on the real axis; %d threads\n",
                f.width, f.height, f.max_iter, f.x_min, f.x_max, f.y_min, f.y_max, t);
    std::vector<int> expected(ch05::pixels(f)), img(ch05::pixels(f));
    const double serial = median_ms([&] { ch05::demo::mandelbrot_serial(f, expected); }, o.repeats);
    // Where the work is: the cost of each row (its iterations), and the share of it in static's blocks.
    const std::vector<double> cost = ch05::row_costs(f, expected);
    const std::vector<double> blocks = ch05::model_loads(cost, t, {omp_sched_static, 0});
    double total = 0.0;
    for (double c : cost) total += c;
    std::string shares;
    for (double b : blocks) {
        char cell[16];
        std::snprintf(cell, sizeof cell, "%s%.0f%%", shares.empty() ? "" : " ", 100.0 * b / total);
        shares += cell;
    }
    std::printf("   serial: %.2f ms. Static's %d blocks of rows hold %s of the work (iterations + pixels):\n"
                "   the loop lasts as long as the largest block, so the model predicts a speedup of %.2fx.\n\n",
                serial, t, shares.c_str(), ch05::model_speedup(blocks));

    const ch05::LoopSchedule schedules[] = {
        {omp_sched_static, 0},  {omp_sched_static, 1},   {omp_sched_static, 16}, {omp_sched_dynamic, 1},
        {omp_sched_dynamic, 4}, {omp_sched_dynamic, 64}, {omp_sched_guided, 0},
    };
    std::printf("   %-12s %10s %8s %8s  %-34s %9s\n", "schedule", "time", "speedup", "model", "busy time per thread (ms)",
                "imbalance");
    for (const auto& s : schedules) {
        // Time every run and keep the per-thread busy times of the median run, so both describe one run.
        ch05::demo::mandelbrot_scheduled(f, img, t, s);  // warm-up
        std::vector<std::pair<double, ch05::demo::ThreadLoad>> runs;
        for (int r = 0; r < o.repeats; ++r) {
            const auto start = Clock::now();
            ch05::demo::ThreadLoad l = ch05::demo::mandelbrot_scheduled(f, img, t, s);
            runs.emplace_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count(), std::move(l));
        }
        std::sort(runs.begin(), runs.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        const double ms = runs[runs.size() / 2].first;
        const ch05::demo::ThreadLoad& load = runs[runs.size() / 2].second;
        std::string busy;
        for (std::size_t k = 0; k < load.busy_seconds.size(); ++k) {
            char cell[32];
            std::snprintf(cell, sizeof cell, "%s%.1f", k ? " " : "", 1e3 * load.busy_seconds[k]);
            busy += cell;
        }
        std::printf("   %-12s %7.2f ms %7.2fx %7.2fx  %-34s %8.2fx%s\n", ch05::schedule_name(s).c_str(), ms, serial / ms,
                    ch05::model_speedup(ch05::model_loads(cost, t, s)), busy.c_str(), load.imbalance(),
                    img == expected ? "" : "   WRONG IMAGE");
    }
    std::printf("\n   model: the speedup if each thread's share of the work (hand-outs worked out on paper from the\n"
                "   rows' iteration counts) took the time it takes on one thread, with every thread running throughout;\n"
                "   busy time: from entering the loop to finishing the thread's last row, in the median run;\n"
                "   imbalance = longest busy time / mean busy time; 1.00x means every thread worked until the end.\n");
#ifdef WB_PROGRAM_ON_EXERCISES
    // Built on the learner's exercises (./wb run 05 --mine): their exercise 05.3 beside the table.
    try {
        const ch05::ScheduleChoice mine = ch05::schedule_choice();
        std::vector<int> owner(static_cast<std::size_t>(f.height));
        const double ms = median_ms([&] { ch05::mandelbrot_omp(f, img, t, owner); }, o.repeats);
        std::vector<double> work(static_cast<std::size_t>(t), 0.0);
        for (std::size_t r = 0; r < owner.size(); ++r)
            if (owner[r] >= 0 && owner[r] < t) work[static_cast<std::size_t>(owner[r])] += cost[r];
        std::printf("\n   your 05.3: %s, %.2f ms, %.2fx (model %.2fx); work done per thread in the last run, by the\n"
                    "   rows in owner[]: imbalance %.2fx%s\n   why: %s\n",
                    ch05::schedule_name(mine.schedule).c_str(), ms, serial / ms,
                    ch05::model_speedup(ch05::model_loads(cost, t, mine.schedule)), ch05::imbalance(work),
                    img == expected ? "" : "   WRONG IMAGE", mine.why ? mine.why : "");
    } catch (const wb::NotStarted&) {
        std::printf("\n   your 05.3: not started yet\n");
    }
#endif
}

// ---------------------------------------------------------------------------------------------------
void sum_section(const Options& o) {
    const std::size_t n = o.quick ? 100000 : (std::size_t{1} << 22);
    std::printf("\n== 3. Summing %zu doubles of mixed sign and magnitude ==\n\n", n);
    std::vector<double> x(n);
    std::mt19937_64 gen(7);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    for (auto& v : x) v = u(gen) * std::exp(8.0 * u(gen));
    const double reference = ch05::demo::sum_compensated(x);
    std::printf("   %-30s %8s %26s %12s\n", "method", "threads", "sum", "- reference");
    auto row = [&](const char* name, int t, double s) {
        std::printf("   %-30s %8d %26.17g %12.3g\n", name, t, s, s - reference);
    };
    row("compensated (Neumaier), serial", 1, reference);
    row("plain loop, serial", 1, ch05::demo::sum_serial(x));
    std::vector<double> omp_sums, repro_sums;
    for (int t = 1; t <= o.max_threads; ++t) {
        omp_sums.push_back(ch05::demo::sum_omp(x, t));
        row("OpenMP reduction(+)", t, omp_sums.back());
    }
    for (int t = 1; t <= o.max_threads; ++t) {
        repro_sums.push_back(ch05::reproducible_sum(x, t));
        row("fixed blocks, fixed order", t, repro_sums.back());
    }
    bool ok = false;
    const double par = ch05::demo::sum_std_reduce(x, ok);
    if (ok) row("std::reduce(par)", static_cast<int>(wb::logical_cores()), par);
    auto all_same = [](const std::vector<double>& v) {
        for (double s : v)
            if (std::bit_cast<std::uint64_t>(s) != std::bit_cast<std::uint64_t>(v.front())) return false;
        return true;
    };
    std::printf("\n   OpenMP reduction: same bits for every thread count? %s\n", all_same(omp_sums) ? "yes" : "no");
    std::printf("   fixed blocks:     same bits for every thread count? %s\n", all_same(repro_sums) ? "yes" : "no");
    std::printf("   (a double has about 16 significant digits; the sums differ where the roundings did)\n");

    const int t = o.threads;
    const double ser = median_ms([&] { volatile double s = ch05::demo::sum_serial(x); (void)s; }, o.repeats);
    const double red = median_ms([&] { volatile double s = ch05::demo::sum_omp(x, t); (void)s; }, o.repeats);
    const double rep = median_ms([&] { volatile double s = ch05::reproducible_sum(x, t); (void)s; }, o.repeats);
    const double com = median_ms([&] { volatile double s = ch05::demo::sum_compensated(x); (void)s; }, o.repeats);
    std::printf("\n   time: plain serial %.2f ms, OpenMP reduction %.2f ms, fixed blocks %.2f ms (%d threads),\n"
                "         compensated serial %.2f ms\n",
                ser, red, rep, t, com);
}

// ---------------------------------------------------------------------------------------------------
void amdahl_section(const Options& o) {
    const auto n = static_cast<std::size_t>(o.n);
    const int cores = static_cast<int>(wb::logical_cores());
    std::printf("\n== 4. Scaling and Amdahl's law (%zu elements, %d cores) ==\n", n, cores);
    std::printf("   A: the OpenMP kernel loop alone.  B: the inputs generated serially (mt19937_64), then the\n"
                "   same loop: a program with a serial part.\n\n");
    std::vector<double> x(n), y(n), out(n);
    ch05::fill_inputs(x, y, 1);
    std::vector<double> ta, tb;
    for (int t = 1; t <= o.max_threads; ++t) {
        ta.push_back(median_ms([&] { ch05::demo::evaluate_omp(x, y, out, t); }, o.repeats));
        tb.push_back(median_ms(
            [&] {
                ch05::fill_inputs(x, y, 1);
                ch05::demo::evaluate_omp(x, y, out, t);
            },
            o.repeats));
    }
    const double gen_ms = median_ms([&] { ch05::fill_inputs(x, y, 1); }, o.repeats);
    // Amdahl's p is the number of cores that can work at once: threads beyond the cores add none.
    //! [amdahl_fit]
    // Amdahl's law describes p threads on p cores, so the fit uses only threads <= cores; the rows
    // beyond are compared with its prediction for all cores busy (threads beyond the cores add none).
    std::vector<ch05::ScalingPoint> pa, pb;
    for (int t = 1; t <= std::min(o.max_threads, cores); ++t) {
        const auto i = static_cast<std::size_t>(t - 1);
        pa.push_back({static_cast<double>(t), ta[0] / ta[i]});
        pb.push_back({static_cast<double>(t), tb[0] / tb[i]});
    }
    double fa = 0.0, fb = 0.0;
    const bool can_fit = cores > 1 && o.max_threads > 1;
    if (can_fit) {
        fa = ch05::fit_serial_fraction(pa);
        fb = ch05::fit_serial_fraction(pb);
    }
    //! [amdahl_fit]
    // The prediction made before any parallel run: B's serial share s, measured on one thread, in
    // Amdahl's law. The fit (the "fit" columns) uses the parallel runs as well.
    const double s_b = std::min(1.0, gen_ms / tb[0]);
    std::printf("   B's serial part: generating the inputs takes %.2f ms of B's %.2f ms on one thread, s = %.3f;\n"
                "   Amdahl's law with f = s predicts B's speedup on p cores before any parallel run: 1 / (s + (1 - s)/p).\n\n",
                gen_ms, tb[0], s_b);
    std::printf("   %7s  %10s %8s %8s  %10s %8s %9s %8s\n", "threads", "A time", "speedup", "fit", "B time", "speedup",
                "from s", "fit");
    for (int t = 1; t <= o.max_threads; ++t) {
        const auto i = static_cast<std::size_t>(t - 1);
        const double p = std::min(t, cores);
        std::printf("   %7d  %7.2f ms %7.2fx %7.2fx  %7.2f ms %7.2fx %8.2fx %7.2fx%s\n", t, ta[i], ta[0] / ta[i],
                    ch05::amdahl_speedup(fa, p), tb[i], tb[0] / tb[i], ch05::amdahl_speedup(s_b, p),
                    ch05::amdahl_speedup(fb, p), t > cores ? "   (oversubscribed)" : "");
    }
    if (!can_fit) {
        std::printf("\n   (one core or one thread only: no serial fraction can be fitted)\n");
        return;
    }
    auto limit = [](double f) {
        char text[48];
        if (f > 0.0) std::snprintf(text, sizeof text, "%.1fx", 1.0 / f);
        else std::snprintf(text, sizeof text, "no limit");
        return std::string(text);
    };
    std::printf("\n   serial fraction f, least squares on 1/speedup = f + (1 - f)/p over threads 1..%d:\n",
                std::min(o.max_threads, cores));
    std::printf("     A: f = %.3f   (Amdahl's ceiling 1/f: %s)\n", fa, limit(fa).c_str());
    std::printf("     B: f = %.3f   (Amdahl's ceiling 1/f: %s); measured serial share s = %.3f (ceiling %s)\n", fb,
                limit(fb).c_str(), s_b, limit(s_b).c_str());
    std::printf("   Oversubscribed rows: more threads than cores cannot go faster than all cores busy, and often\n"
                "   go slower (uneven time slicing, a thread preempted while the others wait for it).\n");
}

// ---------------------------------------------------------------------------------------------------
void par_stl_section(const Options& o) {
    const auto n = static_cast<std::size_t>(o.n);
    std::printf("\n== 5. C++17 parallel algorithms: std::transform with an execution policy ==\n\n");
    if (!ch05::demo::have_parallel_stl()) {
        std::printf("   %s\n", ch05::demo::parallel_stl_status().c_str());
        return;
    }
    std::vector<double> x(n), y(n), expected(n), out(n);
    ch05::fill_inputs(x, y, 42);
    const double serial = median_ms([&] { ch05::demo::evaluate_serial(x, y, expected); }, o.repeats);
    std::printf("   %-42s %10s %8s  %s\n", "variant", "time", "speedup", "identical to the loop");
    auto row = [&](const char* name, double ms) {
        std::printf("   %-42s %7.2f ms %7.2fx  %s\n", name, ms, serial / ms, same_bits(out, expected) ? "yes" : "NO");
    };
    std::printf("   %-42s %7.2f ms %7.2fx\n", "plain loop", serial, 1.0);
    for (const char* p : {"seq", "par", "par_unseq"}) {
        const double ms = median_ms([&] { ch05::demo::evaluate_std(p, x, y, out); }, o.repeats);
        row((std::string("std::transform(std::execution::") + p + ")").c_str(), ms);
    }
    const int cores = static_cast<int>(wb::logical_cores());
    const double om = median_ms([&] { ch05::demo::evaluate_omp(x, y, out, cores); }, o.repeats);
    row(("OpenMP parallel for, " + std::to_string(cores) + " threads").c_str(), om);
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    wb::Cli cli("ch05_program",
                "Parallel loops: a loop split by hand over std::threads, a thread pool, OpenMP and the C++17\n"
                "parallel algorithms; OpenMP schedules on an unbalanced Mandelbrot frame with each thread's\n"
                "busy time; why parallel floating-point sums differ and how to make them reproducible; and\n"
                "speedup against thread count with Amdahl's law fitted to it.");
    cli.option("--threads", o.threads, "threads for the schedule and sum sections (0: one per core)", 0, 1024);
    cli.option("--max-threads", o.max_threads, "the scaling sweeps go from 1 to this (0: twice the cores)", 0, 1024);
    cli.option("--n", o.n, "elements of the kernel loop", 1, 1 << 28);
    cli.option("--repeats", o.repeats, "timed runs per measurement (the median is shown)", 1, 1000);
    cli.flag("--quick", o.quick, "small sizes and few repeats: a smoke run of a few seconds");
    cli.parse(argc, argv);

    const int cores = static_cast<int>(wb::logical_cores());
    if (o.threads == 0) o.threads = cores;
    if (o.max_threads == 0) o.max_threads = 2 * cores;
    if (o.quick) {
        o.n = std::min(o.n, 1 << 14);
        o.repeats = std::min(o.repeats, 2);
        o.max_threads = std::min(o.max_threads, 4);
    }

    std::printf("%s\n", wb::machine_banner().c_str());
#ifdef WB_PROGRAM_ON_EXERCISES
    std::printf("Built on your own exercises (./wb run 05 --mine); without --mine it runs the reference solutions.\n");
#endif
    // Built on the learner's exercises, a section that calls an unfinished one stops with a note.
    for (void (*section)(const Options&) : {chunked_section, schedule_section, sum_section, amdahl_section,
                                            par_stl_section}) {
        try {
            section(o);
        } catch (const wb::NotStarted& e) {
            std::printf("\n   (this section needs an exercise that is not finished: %s)\n", e.what());
        }
    }
    return 0;
}
