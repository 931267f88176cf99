// ch00_program: how to time code and trust the result, then the machine profile (memory bandwidth and
// peak floating-point rate) that every later chapter compares its kernels with.
#include <omp.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <memory>
#include <span>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "ch00/fma_chains.hpp"
#include "ch00/keep_alive.hpp"
#include "ch00/median_timer.hpp"
#include "ch00/triad.hpp"
#include "peak.hpp"
#include "profile.hpp"
#include "wb/cli.hpp"
#include "wb/machine.hpp"
#include "wb/stats.hpp"

namespace {

namespace prof = ch00::profile;

struct Options {
    bool quick = false;
    int size_log2 = 25;  // 2^25 doubles = 256 MiB per array, far beyond any cache
    int runs = 11;
    int threads = static_cast<int>(wb::logical_cores());
    std::string only = "all";
};

bool wanted(const Options& o, const char* section) { return o.only == "all" || o.only == section; }

void heading(const char* title) { std::printf("\n== %s\n", title); }

double ms(double seconds) { return 1e3 * seconds; }

// Steps of `kernel(steps)` that take about `seconds`: the work per run is set by time, not by a fixed
// count, so that runs last long enough in every build (an unoptimized one is many times slower).
template <class Kernel>
std::int64_t steps_for(double seconds, Kernel kernel) {
    std::int64_t steps = 256;
    kernel(steps);  // warm-up: the first call may start the OpenMP threads
    for (;;) {
        const double t0 = ch00::wall_seconds();
        kernel(steps);
        const double t = ch00::wall_seconds() - t0;
        if (t >= seconds / 4 || steps >= (std::int64_t{1} << 40))
            return std::max<std::int64_t>(1, static_cast<std::int64_t>(static_cast<double>(steps) * seconds / t));
        steps *= 4;
    }
}

// ---------------------------------------------------------------------------------------------
// 1. The clocks themselves: how fine they are and what one reading costs.
// ---------------------------------------------------------------------------------------------
double resolution_ns(clockid_t id) {
    timespec ts{};
    clock_getres(id, &ts);
    return 1e9 * static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec);
}

template <class Clock>
double ns_per_reading(Clock read, int readings) {
    double sink = 0.0;
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < readings; ++i) sink += read();
    const auto t1 = std::chrono::steady_clock::now();
    ch00::escape(&sink);
    return std::chrono::duration<double, std::nano>(t1 - t0).count() / readings;
}

void clocks_section(const Options& o) {
    heading("1. The clocks: resolution and the cost of one reading");
    const int readings = o.quick ? 20000 : 1000000;
    std::printf("%-42s %14s %18s\n", "clock", "resolution ns", "ns per reading");
    std::printf("%-42s %14.0f %18.1f\n", "wall: steady_clock (CLOCK_MONOTONIC)", resolution_ns(CLOCK_MONOTONIC),
                ns_per_reading(ch00::wall_seconds, readings));
    std::printf("%-42s %14.0f %18.1f\n", "cpu:  CLOCK_PROCESS_CPUTIME_ID", resolution_ns(CLOCK_PROCESS_CPUTIME_ID),
                ns_per_reading(ch00::cpu_seconds, readings));
    std::printf("A timed region should last thousands of times longer than one reading.\n");
}

// ---------------------------------------------------------------------------------------------
// 2. Wall time and CPU time: waiting costs no CPU, every busy thread adds its own.
// ---------------------------------------------------------------------------------------------
void wall_cpu_section(const Options& o) {
    heading("2. Wall time and CPU time (median of the runs)");
    const int runs = std::min(o.runs, 5);
    const std::int64_t steps = steps_for(o.quick ? 0.003 : 0.015, [](std::int64_t k) { prof::fma_peak(1, k); });
    std::printf("%-40s %10s %10s %9s\n", "work", "wall ms", "cpu ms", "cpu/wall");
    auto row = [](const std::string& what, const ch00::Timing& t) {
        std::printf("%-40s %10.2f %10.2f %9.2f\n", what.c_str(), ms(t.wall_median), ms(t.cpu_median),
                    t.cpu_median / t.wall_median);
    };
    //! [wall_cpu]
    row("sleep 20 ms", ch00::measure([] { std::this_thread::sleep_for(std::chrono::milliseconds(20)); }, runs, 0));
    row("fma chains, 1 thread", ch00::measure([&] { prof::fma_peak(1, steps); }, runs));
    row("fma chains, " + std::to_string(o.threads) + " OpenMP threads",
        ch00::measure([&] { prof::fma_peak(o.threads, steps); }, runs));
    //! [wall_cpu]
    std::printf("Each thread does the same work: with free cores the wall time stays, the CPU time adds up.\n"
                "A ratio above the thread count is OpenMP's idle threads spinning while they wait for the next\n"
                "parallel region: busy waiting is CPU time too (OMP_WAIT_POLICY=passive makes them sleep).\n");
}

// ---------------------------------------------------------------------------------------------
// 3. First touch: the first call pays for the pages it is the first to write.
// ---------------------------------------------------------------------------------------------
void first_touch_section(const Options& o) {
    heading("3. First touch: the first call pays for fresh memory");
    const std::size_t n = std::size_t{1} << o.size_log2;
    prof::OmpThreads scope(o.threads);
    prof::StreamArrays s(n, o.threads);  // b and c: written once already
    std::span<const double> b = s.span_b(), c = s.span_c();
    //! [first_touch]
    auto fresh = std::make_unique_for_overwrite<double[]>(n);  // allocated, never written: no pages yet
    std::span<double> a(fresh.get(), n);
    const long faults_before = prof::minor_page_faults();
    const double t0 = ch00::wall_seconds();
    ch00::triad(a, b, c, 3.0);  // writes every page of a for the first time
    const double first = ch00::wall_seconds() - t0;
    const long first_faults = prof::minor_page_faults() - faults_before;

    const long later_before = prof::minor_page_faults();
    const ch00::Timing later = ch00::measure([&] { ch00::triad(a, b, c, 3.0); }, o.runs, 0);
    const double later_faults = static_cast<double>(prof::minor_page_faults() - later_before) / o.runs;
    //! [first_touch]
    // The model: one fault per page of `a` written for the first time, none afterwards.
    const double page_bytes = static_cast<double>(sysconf(_SC_PAGESIZE));
    const double predicted_faults = 8.0 * static_cast<double>(n) / page_bytes;
    std::printf("triad on %zu doubles, %d threads; a is fresh: %.0f MiB in pages of %.0f KiB\n", n, o.threads,
                8.0 * static_cast<double>(n) / (1 << 20), page_bytes / 1024);
    std::printf("%-28s %10s %14s %18s\n", "", "ms", "page faults", "predicted faults");
    std::printf("%-28s %10.2f %14ld %18.0f\n", "first call", ms(first), first_faults, predicted_faults);
    std::printf("%-28s %10.2f %14.0f %18d\n", "later calls (median)", ms(later.wall_median), later_faults, 0);
    if (first_faults > 0)
        std::printf("Each fault cost about %.2f us: (first call - later median) / faults.\n",
                    1e6 * (first - later.wall_median) / static_cast<double>(first_faults));
    if (static_cast<double>(first_faults) < 0.5 * predicted_faults)
        std::printf("Fewer faults than pages: the kernel mapped several pages per fault here (transparent huge\n"
                    "pages of 2 MiB, or fault-around).\n");
    std::printf("The first call took %.1f times the median. Warm up before you time, or time the first call\n"
                "on purpose when that is what your program really pays.\n",
                first / later.wall_median);
}

// ---------------------------------------------------------------------------------------------
// 4. Dead code: a result nobody uses may never be computed.
// ---------------------------------------------------------------------------------------------
void dead_code_section(const Options& o) {
    heading("4. The optimizer deletes work whose result nobody uses");
    const std::vector<double> x(std::size_t{1} << 16, 0.5);
    const int reps = o.quick ? 100 : 1000;
    //! [dead_code]
    const ch00::Timing unguarded = ch00::measure(
        [&] {
            for (int r = 0; r < reps; ++r) {
                double s = ch00::sum_of_squares(x);  // nothing reads s ...
                (void)s;                             // ... so the whole loop may go
            }
        },
        o.runs);
    const ch00::Timing guarded = ch00::measure(
        [&] {
            for (int r = 0; r < reps; ++r) {
                double s = ch00::sum_of_squares(x);
                ch00::escape(&s);  // "someone reads s": it must be computed
                ch00::clobber();   // "x may have changed": no reuse of the last sum
            }
        },
        o.runs);
    //! [dead_code]
    const double per_call_u = unguarded.wall_median / reps, per_call_g = guarded.wall_median / reps;
    std::printf("sum of squares of %zu doubles, %d calls per run\n", x.size(), reps);
    std::printf("%-36s %14s %20s\n", "", "ns per call", "elements per ns");
    std::printf("%-36s %14.1f %20.2f\n", "result unused", 1e9 * per_call_u, x.size() / (1e9 * per_call_u));
    std::printf("%-36s %14.1f %20.2f\n", "result escaped, memory clobbered", 1e9 * per_call_g,
                x.size() / (1e9 * per_call_g));
    std::printf("%-36s %14.1f\n", "ch00::seconds_per_sum (exercise 00.2)", 1e9 * ch00::seconds_per_sum(x, reps));
    const double unguarded_rate = x.size() / (1e9 * per_call_u);
    if (unguarded_rate > 100.0)
        std::printf("No core sums %.0f elements per ns: the unused loop was not run at all.\n", unguarded_rate);
    else
        std::printf("Here the unused loop ran: this build does not optimize (a debug build?) or the compiler kept it.\n");
}

// ---------------------------------------------------------------------------------------------
// 5. Noise: the same work, timed again and again.
// ---------------------------------------------------------------------------------------------
void noise_section(const Options& o) {
    heading("5. Noise: the same triad, timed again and again");
    const std::size_t n = std::size_t{1} << (o.size_log2 - 2);
    const int runs = o.quick ? 7 : 31;
    prof::StreamArrays s(n, o.threads);
    const ch00::Timing t = ch00::measure([&] { prof::triad(s, 3.0, o.threads); }, runs);
    double mean = 0.0;
    for (double w : t.wall) mean += w;
    mean /= static_cast<double>(t.wall.size());
    const double max = *std::max_element(t.wall.begin(), t.wall.end());
    std::printf("%d runs of triad on %zu doubles, %d threads, in ms:\n", runs, n, o.threads);
    std::printf("  min %.3f   q1 %.3f   median %.3f   q3 %.3f   max %.3f   mean %.3f\n", ms(t.wall_min),
                ms(t.wall_q1), ms(t.wall_median), ms(t.wall_q3), ms(max), ms(mean));
    std::printf("  spread (q3 - q1) / median = %.1f%%; slowest / median = %.2f\n",
                100.0 * (t.wall_q3 - t.wall_q1) / t.wall_median, max / t.wall_median);
    std::printf("A difference smaller than the spread is not a difference. The median ignores the odd slow run;\n"
                "the mean does not.\n");
}

// ---------------------------------------------------------------------------------------------
// 6. Latency, units, lanes: one chain's rate, and how many chains the peak needs.
// ---------------------------------------------------------------------------------------------
// The fastest of `runs` timed runs, each about `seconds` long, of kernel(steps), as operations per
// second (`ops(steps)` operations per run). A hardware limit is what the fastest run shows: noise only
// ever slows a run down, and short runs are often left alone by the operating system.
template <class Kernel, class Ops>
double fastest_rate(const Options& o, double seconds, Kernel kernel, Ops ops) {
    const std::int64_t steps = steps_for(seconds, kernel);
    const ch00::Timing t = ch00::measure([&] { kernel(steps); }, o.quick ? 5 : 15);
    return ops(steps) / t.wall_min;
}

// The model of the lesson's "predict, then measure" questions, from two measured rates.
struct ChainModel {
    double clock_hz = 0;        // dependent integer additions per second: one per cycle
    double one_chain = 0;       // flop/s of one chain of dependent fmas (measured)
    double latency = 0;         // cycles per fma of that chain: 2 flops x clock / one_chain
    int units = 2;              // fma units per core: two on current x86 cores (an assumption, not measured)
    int lanes = 1;              // doubles per register on the widest path
    double peak() const { return 2.0 * units * lanes * clock_hz; }  // every unit busy every cycle
    double rate(int chains) const { return std::min(chains * one_chain, peak()); }
};

ChainModel chain_model(const Options& o) {
    const double seconds = o.quick ? 0.0005 : 0.003;
    ChainModel m;
    m.clock_hz = fastest_rate(
        o, seconds, [](std::int64_t k) { prof::sink(static_cast<double>(ch00::peak::add_chain(k))); },
        [](std::int64_t k) { return 16.0 * static_cast<double>(k); });
    m.one_chain = fastest_rate(o, seconds, [](std::int64_t k) { prof::sink(prof::fma_one_chain(k)); },
                               [](std::int64_t k) { return prof::fma_flops(1, k); });
    m.latency = 2.0 * m.clock_hz / m.one_chain;
    m.lanes = ch00::peak::lanes(ch00::peak::widest());
    return m;
}

void chains_section(const Options& o) {
    namespace peak = ch00::peak;
    heading("6. Latency, units, lanes: how many independent chains the peak needs");
    const peak::Isa widest = peak::widest();
    std::printf("Vector paths this CPU runs:");
    for (peak::Isa isa : peak::available()) std::printf(" %s (%d per register)", peak::name(isa), peak::lanes(isa));
    std::printf("; each checked against std::fma.\n");

    const ChainModel m = chain_model(o);
    //! [predict_one_chain]
    const double assumed_latency = 4.0;  // cycles: Intel since Skylake, AMD since Zen 3 (5 on Zen 1 and 2)
    const double predicted_one = 2.0 * m.clock_hz / assumed_latency;  // 2 flops per fma, one fma per latency
    //! [predict_one_chain]
    std::printf("\nClock: a chain of dependent integer additions, one per cycle, runs at %.2f GHz.\n",
                m.clock_hz / 1e9);
    char predicted_how[80];
    std::snprintf(predicted_how, sizeof predicted_how, "predicted: 2 flops x %.2f GHz / latency of %.0f cycles",
                  m.clock_hz / 1e9, assumed_latency);
    std::printf("One chain x = fma(x, a, b), every fma waiting for the one before:\n");
    std::printf("  %-56s %10s\n", "", "GFLOP/s");
    std::printf("  %-56s %10.2f\n", predicted_how, predicted_one / 1e9);
    std::printf("  %-56s %10.2f   -> the latency here is %.1f cycles\n", "measured (fastest run)", m.one_chain / 1e9,
                m.latency);

    std::printf("\nIndependent chains on the widest path (%s), one core. Model: C chains run C times as fast as\n"
                "one, until %d FMA units finish a register of %d doubles every cycle:\n"
                "  rate(C) = min(C x %.2f, 2 flops x %d units x %d lanes x %.2f GHz = %.1f) GFLOP/s\n"
                "  chains needed = latency x units x lanes = %.1f x %d x %d = %.0f\n",
                peak::name(widest), m.units, m.lanes, m.one_chain / 1e9, m.units, m.lanes, m.clock_hz / 1e9,
                m.peak() / 1e9, m.latency, m.units, m.lanes, m.latency * m.units * m.lanes);
    std::printf("%9s %8s %20s %19s %10s\n", "vectors", "chains", "predicted GFLOP/s", "measured GFLOP/s", "measured/");
    std::printf("%9s %8s %20s %19s %10s\n", "", "", "", "(fastest run)", "predicted");
    const double seconds = o.quick ? 0.0005 : 0.003;
    std::vector<std::pair<int, double>> measured;  // chains, flop/s
    for (int v : peak::kVectorCounts) {
        const int chains = v * m.lanes;
        const double rate = fastest_rate(
            o, seconds, [&](std::int64_t k) { prof::sink(peak::run_threads(widest, v, 1, k)); },
            [&](std::int64_t k) { return peak::flops(widest, v, k); });
        std::printf("%9d %8d %20.2f %19.2f %10.2f\n", v, chains, m.rate(chains) / 1e9, rate / 1e9,
                    rate / m.rate(chains));
        measured.emplace_back(chains, rate);
    }
    double best = 0.0;
    for (const auto& [chains, rate] : measured) best = std::max(best, rate);
    int plateau_chains = 0;  // the fewest chains that come within 5% of the best
    for (const auto& [chains, rate] : measured)
        if (plateau_chains == 0 && rate >= 0.95 * best) plateau_chains = chains;
    const double exercise = fastest_rate(o, seconds, [](std::int64_t k) { prof::sink(prof::fma_peak(1, k)); },
                                         [](std::int64_t k) { return prof::fma_flops(1, k); });
    std::printf("Best %.1f GFLOP/s; within 5%% of it from %d chains on. Exercise 00.4's %zu chains, vectorised by\n"
                "the compiler: %.1f GFLOP/s.\n",
                best / 1e9, plateau_chains, ch00::kChains, exercise / 1e9);
    std::printf("A plateau well below the prediction means fewer units than assumed at this width (some cores\n"
                "have one 512-bit FMA unit, or split 512-bit work in two halves), or a clock that drops under\n"
                "wide vectors.\n");
}

// ---------------------------------------------------------------------------------------------
// 7. The machine profile: what later chapters compare against.
// ---------------------------------------------------------------------------------------------
void profile_section(const Options& o) {
    heading("7. Machine profile (GB/s = 10^9 bytes per second; GFLOP/s = 10^9 floating-point operations per second)");
    const std::size_t n = std::size_t{1} << o.size_log2;
    prof::StreamArrays s(n, o.threads);
    std::vector<int> thread_counts{1};
    if (o.threads > 1) thread_counts.push_back(o.threads);

    std::printf("STREAM-like kernels on 3 arrays of %zu doubles (%.0f MiB in all), %d runs each\n", n,
                3.0 * 8.0 * static_cast<double>(n) / (1 << 20), o.runs);
    std::printf("%-22s %8s %14s %14s\n", "kernel", "threads", "GB/s median", "GB/s best");
    double best_bandwidth = 0.0;
    for (int t : thread_counts) {
        const ch00::Timing copy = ch00::measure([&] { prof::copy(s.span_c(), s.span_a(), t); }, o.runs);
        const ch00::Timing triad = ch00::measure([&] { prof::triad(s, 3.0, t); }, o.runs);
        for (auto [name, timing, bytes] : {std::tuple{"copy  c = a", &copy, prof::copy_bytes(n)},
                                           std::tuple{"triad a = b + s*c", &triad, prof::triad_bytes(n)}}) {
            std::printf("%-22s %8d %14.2f %14.2f\n", name, t, bytes / timing->wall_median / 1e9,
                        bytes / timing->wall_min / 1e9);
            best_bandwidth = std::max(best_bandwidth, bytes / timing->wall_median);
        }
    }

    namespace peak = ch00::peak;
    const peak::Isa widest = peak::widest();
    const double seconds = o.quick ? 0.003 : 0.015;  // per run
    const std::int64_t chain_steps = steps_for(seconds, [](std::int64_t k) { prof::fma_one_chain(k); });
    const std::int64_t ex_steps = steps_for(seconds, [](std::int64_t k) { prof::fma_peak(1, k); });
    const std::int64_t peak_steps =
        steps_for(seconds, [&](std::int64_t k) { peak::run_threads(widest, peak::kPeakVectors, 1, k); });
    const int peak_chains = peak::kPeakVectors * peak::lanes(widest);
    std::printf("\nFused multiply-add chains (2 flops each), %d runs each\n", o.runs);
    std::printf("%-46s %8s %14s %14s\n", "kernel", "threads", "GFLOP/s median", "GFLOP/s best");
    auto row = [](const std::string& what, int t, const ch00::Timing& timing, double flops) {
        std::printf("%-46s %8d %14.2f %14.2f\n", what.c_str(), t, flops / timing.wall_median / 1e9,
                    flops / timing.wall_min / 1e9);
        return flops / timing.wall_median;
    };
    row("one chain at a time (latency-bound)", 1,
        ch00::measure([&] { prof::fma_one_chain(chain_steps); }, o.runs), prof::fma_flops(1, chain_steps));
    double peak_rate = 0.0;
    for (int t : thread_counts) {
        row("exercise 00.4: " + std::to_string(ch00::kChains) + " chains", t,
            ch00::measure([&] { prof::fma_peak(t, ex_steps); }, o.runs), prof::fma_flops(t, ex_steps));
        const ch00::Timing timing =
            ch00::measure([&] { peak::run_threads(widest, peak::kPeakVectors, t, peak_steps); }, o.runs);
        const double rate = row("peak: " + std::to_string(peak_chains) + " chains, " + peak::name(widest), t, timing,
                                peak::flops(widest, peak::kPeakVectors, peak_steps, t));
        peak_rate = std::max(peak_rate, rate);
    }

    std::printf("\nSummary (medians)\n");
    std::printf("  memory bandwidth         %8.2f GB/s\n", best_bandwidth / 1e9);
    std::printf("  peak floating point      %8.2f GFLOP/s (%s, %d chains per core)\n", peak_rate / 1e9,
                peak::name(widest), peak_chains);
    std::printf("  machine balance          %8.1f flops per byte: a kernel doing fewer flops per byte it\n"
                "                                    moves to or from memory waits on memory, not arithmetic.\n",
                peak_rate / best_bandwidth);
    std::printf("  (triad does 2 flops per 24 bytes = %.3f flops per byte)\n", 2.0 / 24.0);
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    wb::Cli cli("ch00_program",
                "Chapter 00: measuring performance. Shows the clocks, wall against CPU time, first-touch page\n"
                "faults, the optimizer deleting unused work and run-to-run noise, predicts and measures how many\n"
                "independent fma chains the peak needs, then measures this machine's memory bandwidth and peak\n"
                "floating-point rate.");
    cli.flag("--quick", o.quick, "small sizes and few runs: a smoke run of a few seconds");
    cli.option("--size-log2", o.size_log2, "array length as a power of two (3 arrays of 8-byte doubles)", 16, 27);
    cli.option("--runs", o.runs, "timed runs per measurement (the median is reported)", 3, 101);
    cli.option("--threads", o.threads, "threads for the 'all cores' rows", 1, 256);
    cli.option("--only", o.only, "run one section", {"all", "clocks", "cpu", "first-touch", "dead-code", "noise",
                                                      "chains", "profile"});
    cli.parse(argc, argv);
    if (o.quick) {
        o.size_log2 = std::min(o.size_log2, 22);
        o.runs = std::min(o.runs, 5);
    }

    std::printf("%s\n", wb::machine_banner().c_str());
    // The peak kernels have one path per instruction set: every path this CPU runs must compute exactly
    // what std::fma computes before any of them is timed.
    if (wanted(o, "chains") || wanted(o, "profile")) {
        const std::string wrong = ch00::peak::self_check();
        if (!wrong.empty()) {
            std::fprintf(stderr, "ch00_program: a peak kernel computes the wrong values: %s\n", wrong.c_str());
            return 1;
        }
    }
    if (wanted(o, "clocks")) clocks_section(o);
    if (wanted(o, "cpu")) wall_cpu_section(o);
    if (wanted(o, "first-touch")) first_touch_section(o);
    if (wanted(o, "dead-code")) dead_code_section(o);
    if (wanted(o, "noise")) noise_section(o);
    if (wanted(o, "chains")) chains_section(o);
    if (wanted(o, "profile")) profile_section(o);
    return 0;
}
