// ch04_program: race conditions made visible. Counts lost updates of an unsynchronized counter and
// times its three fixes, shows a flag publishing data, measures false sharing, runs Monte Carlo pi
// with a shared generator and with one stream per block, and sums with a racy OpenMP loop and with a
// reduction.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <new>
#include <span>
#include <vector>

#include "ch04/counter.hpp"
#include "ch04/omp_sum.hpp"
#include "ch04/padded_counters.hpp"
#include "ch04/pi_streams.hpp"
#include "ch04/publish_flag.hpp"
#include "variants.hpp"
#include "wb/cli.hpp"
#include "wb/machine.hpp"
#include "wb/stats.hpp"

namespace {

namespace v = ch04::variants;

int g_reps = 3;  // timed runs per measurement; the median is reported

/// Median wall time of `reps` runs of fn, in seconds.
template <class Fn>
double seconds(Fn fn, int reps = g_reps) {
    std::vector<double> t;
    for (int r = 0; r < reps; ++r) {
        const auto start = std::chrono::steady_clock::now();
        fn();
        t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    return wb::median(t);
}

double ns_per(double secs, double items) { return 1e9 * secs / items; }

const char* const skipped_under_tsan =
    "racy runs skipped: this is a ThreadSanitizer build (the ch04_race_* demos show its reports)";

void shared_counter(int max_threads, std::int64_t events, int work) {
    std::printf("\n1. A shared counter: %lld events in all, %d busy-work steps before each\n",
                static_cast<long long>(events), work);
    const double serial = seconds([&] { v::count_serial(events, work); });
    std::printf("   serial: %.1f ns/event\n", ns_per(serial, static_cast<double>(events)));
    std::printf("   model of the racy count: every thread is always between its read and its write (running,\n"
                "   or paused there by the OS), so each write overwrites the T-1 increments made since its read\n"
                "   and 1 - 1/T of the T threads' increments are lost\n");
    std::printf("   %7s | %12s %7s %7s %9s | %9s %9s %9s   (ns per event, wall time / events)\n", "threads",
                "racy count", "lost", "model", "racy", "mutex", "atomic", "partial");
    for (int threads = 1; threads <= max_threads; ++threads) {
        const std::int64_t per_thread = events / threads;
        const std::int64_t expected = per_thread * threads;
        const auto n = static_cast<double>(expected);
        std::int64_t racy = 0, by_mutex = 0, by_atomic = 0, by_partial = 0;
        double t_racy = 0.0;
        if (!v::under_tsan) t_racy = seconds([&] { racy = v::count_racy(threads, per_thread, work); });
        const double t_mutex = seconds([&] { by_mutex = ch04::count_with_mutex(threads, per_thread, work); });
        const double t_atomic = seconds([&] { by_atomic = ch04::count_with_atomic(threads, per_thread, work); });
        const double t_partial =
            seconds([&] { by_partial = ch04::count_with_partial_sums(threads, per_thread, work); });
        const double model = 100.0 * (1.0 - 1.0 / threads);
        if (v::under_tsan)
            std::printf("   %7d | %38s | %9.1f %9.1f %9.1f\n", threads, "(racy run skipped)", ns_per(t_mutex, n),
                        ns_per(t_atomic, n), ns_per(t_partial, n));
        else
            std::printf("   %7d | %12lld %6.1f%% %6.1f%% %9.1f | %9.1f %9.1f %9.1f\n", threads,
                        static_cast<long long>(racy), 100.0 * static_cast<double>(expected - racy) / n, model,
                        ns_per(t_racy, n), ns_per(t_mutex, n), ns_per(t_atomic, n), ns_per(t_partial, n));
        if (by_mutex != expected || by_atomic != expected || by_partial != expected)
            std::printf("   !! a fixed counter is wrong: %lld %lld %lld, expected %lld\n",
                        static_cast<long long>(by_mutex), static_cast<long long>(by_atomic),
                        static_cast<long long>(by_partial), static_cast<long long>(expected));
    }
}

void publish(int max_threads, int rounds) {
    const std::size_t n = 100000;
    std::printf("\n2. Publishing %zu values through a flag to 1..%d readers, %d rounds each\n", n, max_threads, rounds);
    double expected = 0.0;
    for (std::size_t i = 0; i < n; ++i) expected += ch04::published_value(i);
    int wrong_release = 0, wrong_relaxed = 0, reads = 0;
    for (int readers = 1; readers <= max_threads; ++readers) {
        for (int r = 0; r < rounds; ++r) {
            for (double s : ch04::publish_and_read(n, readers)) wrong_release += s != expected;
            if (!v::under_tsan)
                for (double s : v::publish_and_read_relaxed(n, readers)) wrong_relaxed += s != expected;
            reads += readers;
        }
    }
    std::printf("   release/acquire flag: %d wrong sums of %d\n", wrong_release, reads);
    if (v::under_tsan)
        std::printf("   relaxed flag: skipped (ThreadSanitizer build)\n");
    else
        std::printf(
            "   relaxed flag:         %d wrong sums of %d   (x86 rarely shows it; the race is there all the same)\n",
            wrong_relaxed, reads);
}

void false_sharing(int max_threads, std::int64_t events) {
    std::printf("\n3. False sharing: per-thread atomic counters, %lld increments in all, no busy work\n",
                static_cast<long long>(events));
#ifdef __cpp_lib_hardware_interference_size
    std::printf("   this compiler's std::hardware_destructive_interference_size: %zu bytes\n",
                std::hardware_destructive_interference_size);
#endif
    std::printf("   packed slots are 8 bytes apart; padded slots %zu bytes apart\n", ch04::cache_line_bytes);
    std::printf("   %7s | %9s %9s %9s   (ns per increment, wall time / increments)\n", "threads", "packed", "padded",
                "slowdown");
    for (int threads = 1; threads <= max_threads; ++threads) {
        const std::int64_t per_thread = events / threads;
        const auto n = static_cast<double>(per_thread * threads);
        const double packed = seconds([&] { v::count_in_packed_slots(threads, per_thread, 0); });
        const double padded = seconds([&] { ch04::count_in_own_slots(threads, per_thread, 0); });
        std::printf("   %7d | %9.2f %9.2f %8.1fx\n", threads, ns_per(packed, n), ns_per(padded, n), packed / padded);
    }
}

void monte_carlo_pi(int max_threads, std::uint64_t samples, std::uint64_t seed) {
    std::printf("\n4. Monte Carlo pi from %llu samples, seed %llu\n", static_cast<unsigned long long>(samples),
                static_cast<unsigned long long>(seed));
    std::uint64_t hits = 0;
    const double serial = seconds([&] { hits = v::pi_hits_serial(samples, seed); });
    const auto n = static_cast<double>(samples);
    std::printf("   serial, one generator: pi ~ %.6f, %.2f ns/sample\n", ch04::pi_estimate(hits, samples),
                ns_per(serial, n));
    std::printf("   %7s | %-19s | %-19s | %-33s\n", "threads", "shared, unguarded", "shared, mutex",
                "a stream per block");
    std::printf("   %7s | %9s %9s | %9s %9s | %9s %9s %13s\n", "", "pi ~", "ns/samp", "pi ~", "ns/samp", "pi ~",
                "ns/samp", "hits");
    for (int threads = 1; threads <= max_threads; ++threads) {
        std::uint64_t racy = 0, locked = 0, blocks = 0;
        double t_racy = 0.0;
        if (!v::under_tsan) t_racy = seconds([&] { racy = v::pi_hits_shared_racy(samples, seed, threads); });
        // The locked version queues every draw: it is slow, so it is timed once.
        const double t_locked = seconds([&] { locked = v::pi_hits_shared_locked(samples, seed, threads); }, 1);
        const double t_blocks = seconds([&] { blocks = ch04::pi_hits(samples, seed, threads); });
        if (v::under_tsan)
            std::printf("   %7d | %19s |", threads, "(skipped)");
        else
            std::printf("   %7d | %9.6f %9.2f |", threads, ch04::pi_estimate(racy, samples), ns_per(t_racy, n));
        std::printf(" %9.6f %9.2f | %9.6f %9.2f %13llu\n", ch04::pi_estimate(locked, samples), ns_per(t_locked, n),
                    ch04::pi_estimate(blocks, samples), ns_per(t_blocks, n), static_cast<unsigned long long>(blocks));
    }
    std::printf(
        "   (the per-block hits must not change with the thread count; the mutex column keeps the serial\n"
        "    answer only because each point's two numbers are drawn under one lock)\n");
}

void parallel_sum(int max_threads, std::size_t n, bool quick) {
    const int cores = static_cast<int>(wb::logical_cores());
    std::printf("\n5. The parallel sum of %zu uniform values in [0, 1), OpenMP\n", n);
    std::vector<double> x(n);
    ch04::SplitMix64 rng{12345};
    for (double& value : x) value = rng.uniform();
    double serial = 0.0;
    const double t_serial = seconds([&] { serial = v::sum_serial(x); });
    const double gb = 8.0 * static_cast<double>(n) / 1e9;
    // The model: the loop is one chain of dependent additions, each waiting for the previous one, so it
    // runs at one addition per add latency whatever the data size. The latency is measured here on
    // 2048 values (16 KiB) summed over and over: they stay in the L1 cache, so memory cannot be the limit.
    const std::size_t small = std::min<std::size_t>(2048, n);
    const int passes = quick ? 256 : 8192;
    volatile double keep = 0.0;  // the sums are used, so no call can be left out
    const double t_chain = seconds([&] {
        for (int r = 0; r < passes; ++r) keep = keep + v::sum_serial(std::span<const double>(x).first(small));
    });
    const double ns_add = ns_per(t_chain, static_cast<double>(passes) * static_cast<double>(small));
    const double model_gbs = 8.0 / ns_add;  // 8 bytes read per addition
    std::printf("   one chain of additions on 16 KiB in cache: %.2f ns per addition\n", ns_add);
    std::printf("   model: one addition per %.2f ns, 8 bytes each -> serial sum at %.1f GB/s; T threads run T\n"
                "   chains -> T times that, until the cores or the memory bandwidth run out\n", ns_add, model_gbs);
    std::printf("   serial: %.6f in %.2f ms: %.1f GB/s measured, %.1f GB/s by the model (%zu MiB of data)\n", serial,
                1e3 * t_serial, gb / t_serial, model_gbs, 8 * n >> 20);
    std::printf("   %7s | %-32s | %-41s\n", "threads", "racy: no reduction clause", "reduction(+ : total)");
    std::printf("   %7s | %14s %8s %8s | %14s %8s %8s %8s\n", "", "sum", "rel.err", "ms", "sum", "rel.err", "GB/s",
                "model");
    for (int threads = 1; threads <= max_threads; ++threads) {
        double racy = 0.0, reduced = 0.0;
        double t_racy = 0.0;
        if (!v::under_tsan) t_racy = seconds([&] { racy = v::omp_sum_racy(x, threads); });
        const double t_reduced = seconds([&] { reduced = ch04::omp_sum(x, threads); });
        if (v::under_tsan)
            std::printf("   %7d | %32s |", threads, "(skipped)");
        else
            std::printf("   %7d | %14.6f %8.1e %8.2f |", threads, racy, std::abs(racy - serial) / serial, 1e3 * t_racy);
        std::printf(" %14.6f %8.1e %8.1f %8.1f\n", reduced, std::abs(reduced - serial) / serial, gb / t_reduced,
                    model_gbs * std::min(threads, cores));
    }
}

}  // namespace

int main(int argc, char** argv) {
    bool quick = false;
    int max_threads = static_cast<int>(wb::logical_cores()) + 2;
    int work = 30;
    std::uint64_t seed = 2024;
    wb::Cli cli("ch04_program",
                "Race conditions made visible: lost updates of a shared counter and three fixes, a flag that\n"
                "publishes data, false sharing, Monte Carlo pi with a shared generator against one random\n"
                "stream per block, and a racy OpenMP sum against a reduction.");
    cli.option("--max-threads", max_threads, "largest thread count of the sweeps", 1, 256);
    cli.option("--work", work, "busy-work steps (about 1 ns each) before each counted event", 0, 100000);
    cli.option("--seed", seed, "seed of the Monte Carlo runs");
    cli.flag("--quick", quick, "small sizes and one timed run each, for a smoke run");
    cli.parse(argc, argv);

    std::printf("%s\n", wb::machine_banner().c_str());
    if (v::under_tsan) std::printf("%s\n", skipped_under_tsan);
    g_reps = quick ? 1 : 3;
    shared_counter(max_threads, quick ? 1 << 15 : 1 << 21, work);
    publish(max_threads, quick ? 3 : 50);
    false_sharing(max_threads, quick ? 1 << 16 : 1 << 23);
    monte_carlo_pi(max_threads, quick ? 1 << 18 : 1 << 24, seed);
    parallel_sum(max_threads, quick ? std::size_t{1} << 18 : std::size_t{1} << 24, quick);
    return 0;
}
