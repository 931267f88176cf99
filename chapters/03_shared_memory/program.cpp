// ch03_program: shared memory between processes, shown and measured.
//
//  1. a named segment that a second process opens by its name;
//  2. clean-up when a process that created a segment is stopped by SIGTERM;
//  3. lost updates: processes adding to one counter with and without protection;
//  4. one large sum: processes on shared memory, threads, data sent through pipes, forking per call;
//  5. the single-producer single-consumer ring between two processes, against a pipe.
#include <dirent.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ch03/counter.hpp"
#include "ch03/process.hpp"
#include "ch03/shared_sum.hpp"
#include "ch03/shm_segment.hpp"
#include "ch03/spsc_ring.hpp"
#include "lab.hpp"
#include "wb/cli.hpp"
#include "wb/machine.hpp"
#include "wb/stats.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

/// Median wall time of `reps` calls of f (after one untimed call); `result` gets f's last value.
double median_seconds(int reps, const std::function<double()>& f, double& result) {
    result = f();
    std::vector<double> t;
    for (int r = 0; r < reps; ++r) {
        const auto t0 = Clock::now();
        result = f();
        t.push_back(seconds_since(t0));
    }
    return wb::median(t);
}

/// True if /dev/shm lists the segment `name` ("/wb03_..."): that is where Linux keeps shm_open's names.
bool listed(const std::string& name) { return ::access(("/dev/shm" + name).c_str(), F_OK) == 0; }

/// Names in /dev/shm that this process created and did not unlink.
int leftover_segments() {
    int count = 0;
    const std::string prefix = ch03::shm_prefix();
    if (DIR* d = ::opendir("/dev/shm")) {
        while (const dirent* e = ::readdir(d)) count += std::string(e->d_name).rfind(prefix, 0) == 0;
        ::closedir(d);
    }
    return count;
}

/// True if this process has no child at all (running or zombie) left.
bool no_children() { return ::waitpid(-1, nullptr, WNOHANG) < 0 && errno == ECHILD; }

const char* yes_no(bool b) { return b ? "yes" : "no"; }

// ------------------------------------------------------------------------------------------------
void named_segment_demo() {
    std::printf("\n== 1. A named segment, seen by two processes\n");
    std::string name;
    {
        //! [named]
        ch03::SharedSegment seg = ch03::SharedSegment::create(4096);
        std::printf("created %s (%zu bytes); /dev/shm%s exists: %s\n", seg.name().c_str(), seg.size(),
                    seg.name().c_str(), yes_no(listed(seg.name())));
        const std::string segment_name = seg.name();
        ch03::Child child([segment_name] {
            // Another process: it knows only the name, and maps the same physical pages.
            ch03::SharedSegment view = ch03::SharedSegment::open(segment_name);
            std::snprintf(view.as<char>(), view.size(), "hello from pid %d", static_cast<int>(::getpid()));
        });
        const bool ok = child.wait_ok();
        std::printf("child %s; the segment now reads: \"%s\"\n", ok ? "exited normally" : "FAILED", seg.as<char>());
        //! [named]
        name = seg.name();
    }
    std::printf("owner destroyed; /dev/shm%s exists: %s\n", name.c_str(), yes_no(listed(name)));
}

// ------------------------------------------------------------------------------------------------
void counter_demo(int procs, std::int64_t per_process, bool quick) {
    std::printf("\n== 3. Lost updates: %d processes each add 1, %lld times, to one shared counter\n", procs,
                static_cast<long long>(per_process));
    // Predict, then measure: the model for the contended atomic is one cache-line transfer per increment.
    const double handoff = ch03::lab::line_handoff_ns(quick ? 20000 : 200000, quick ? 3 : 5);
    std::printf("one cache-line hand-off between two processes (ping-pong on one counter): %.1f ns\n", handoff);
    if (procs >= 2)
        std::printf("model for 'atomic': every increment first fetches the line from another core: %.1f ns/increment\n",
                    handoff);
    std::printf("%-10s %14s %14s %14s %10s %14s %14s\n", "sync", "expected", "counted", "lost", "time ms", "ns/increment",
                "model ns/incr");
    for (ch03::Sync s : {ch03::Sync::none, ch03::Sync::atomic, ch03::Sync::mutex, ch03::Sync::semaphore}) {
        const auto t0 = Clock::now();
        const std::int64_t got = ch03::count_in_processes(s, procs, per_process);
        const double sec = seconds_since(t0);
        const std::int64_t expected = procs * per_process;
        char model[32] = "-";
        if (s == ch03::Sync::atomic && procs >= 2) std::snprintf(model, sizeof model, "%.1f", handoff);
        std::printf("%-10s %14lld %14lld %14lld %10.1f %14.1f %14s\n", ch03::to_string(s), static_cast<long long>(expected),
                    static_cast<long long>(got), static_cast<long long>(expected - got), 1e3 * sec,
                    1e9 * sec / static_cast<double>(expected), model);
    }
    std::printf("(none also pays for a deliberately widened read-modify-write window; see counter.cpp.\n"
                " atomic below its model: a core kept the line for several increments in a row; above it: the\n"
                " processes shared a core, or the fork and the start line weigh in; --increments makes runs longer)\n");
}

// ------------------------------------------------------------------------------------------------
void fill(std::span<double> a) {
    for (std::size_t i = 0; i < a.size(); ++i) a[i] = static_cast<double>(i % 1024);  // exact sums
}

void sum_demo(int log2n, int max_procs, int reps) {
    const std::size_t n = std::size_t{1} << log2n;
    const double gib = static_cast<double>(n * sizeof(double)) / (1u << 30);
    std::printf("\n== 4. Sum of 2^%d doubles (%.3g GiB): shared memory, threads, pipes, fork per call\n", log2n, gib);
    std::printf("median of %d runs; GB/s = array bytes / time (higher is better)\n", reps);
    std::printf("%-30s %6s %10s %9s %9s %7s\n", "method", "procs", "time ms", "GB/s", "speedup", "exact");

    ch03::lab::PrivateArray private_array(n);  // page-aligned, like the shared ones
    const std::span<double> priv = private_array.span();
    fill(priv);
    const std::int64_t blocks = static_cast<std::int64_t>(n / 1024);
    const double exact = static_cast<double>(blocks * (1023 * 1024 / 2));
    double serial_time = 0.0;
    auto row = [&](const char* method, int procs, double sec, double result) {
        if (serial_time == 0.0) serial_time = sec;
        std::printf("%-30s %6d %10.2f %9.2f %8.2fx %7s\n", method, procs, 1e3 * sec,
                    static_cast<double>(n * sizeof(double)) / sec / 1e9, serial_time / sec, yes_no(result == exact));
        std::fflush(stdout);
    };

    double r = 0.0;
    double t = median_seconds(
        reps, [&] { return ch03::sum_kernel(priv.data(), n); }, r);
    row("serial (one process)", 1, t, r);
    for (int p = 1; p <= max_procs; ++p) {
        ch03::SharedSum team(n, p);  // forks p - 1 workers once; they touch their slices
        fill(team.data());
        t = median_seconds(
            reps, [&] { return team.sum(); }, r);
        row("shared memory, forked once", p, t, r);
    }
    for (int p = 1; p <= max_procs; ++p) {
        t = median_seconds(
            reps, [&] { return ch03::lab::threads_sum(priv, p); }, r);
        row("threads (OpenMP)", p, t, r);
    }
    for (int p = 1; p <= max_procs; ++p) {
        ch03::lab::PipeSum pipes(p);
        t = median_seconds(
            reps, [&] { return pipes.sum(priv); }, r);
        row("pipes (data copied)", p, t, r);
    }
    {
        ch03::SharedMapping shared(n * sizeof(double));
        std::span<double> a(shared.as<double>(), n);
        fill(a);
        for (int p = 1; p <= max_procs; ++p) {
            t = median_seconds(
                reps, [&] { return ch03::lab::fork_per_call_sum(a, p); }, r);
            row("shared memory, fork per call", p, t, r);
        }
    }
}

// ------------------------------------------------------------------------------------------------
void ring_demo(std::uint64_t items) {
    std::printf("\n== 5. %llu items of 8 bytes from a producer process to a consumer process\n",
                static_cast<unsigned long long>(items));
    std::printf("%-22s %10s %12s %8s\n", "channel", "time ms", "Mitems/s", "errors");
    for (std::size_t cap : {16ul, 256ul, 4096ul, 65536ul}) {
        const auto t0 = Clock::now();
        ch03::lab::RingProducer producer(cap, items);
        std::uint64_t errors = 0;
        for (std::uint64_t k = 0; k < items; ++k) errors += producer.ring().pop() != k;
        errors += producer.finish() ? 0 : 1;
        const double sec = seconds_since(t0);
        char label[64];
        std::snprintf(label, sizeof label, "spsc ring, cap %zu", cap);
        std::printf("%-22s %10.1f %12.1f %8llu\n", label, 1e3 * sec, static_cast<double>(items) / sec / 1e6,
                    static_cast<unsigned long long>(errors));
    }
    // Predict, then measure: one item per write() costs one write and one read call per item. If the
    // calls were all there is, b items per call would move b times as many items per second.
    std::printf("%-22s %10s %12s %8s %14s %9s\n", "channel", "time ms", "Mitems/s", "errors", "model Mitems/s",
                "measured/model");
    double per_call_rate = 0.0;  // items per second at one item per write
    for (std::size_t batch : {1ul, 16ul, 256ul}) {
        const std::uint64_t count = batch == 1 ? std::min<std::uint64_t>(items, 1u << 20) : items;
        const auto t0 = Clock::now();
        ch03::lab::PipeProducer producer(batch, count);
        std::vector<std::uint64_t> buf(batch);
        std::uint64_t errors = 0;
        for (std::uint64_t k = 0; k < count; k += batch) {
            const std::size_t m = static_cast<std::size_t>(std::min<std::uint64_t>(batch, count - k));
            if (!producer.read_items(buf.data(), m)) {
                ++errors;
                break;
            }
            for (std::size_t j = 0; j < m; ++j) errors += buf[j] != k + j;
        }
        errors += producer.finish() ? 0 : 1;
        const double sec = seconds_since(t0);
        const double rate = static_cast<double>(count) / sec;
        char label[64], model[32] = "-", ratio[32] = "-";
        std::snprintf(label, sizeof label, "pipe, %zu per write", batch);
        if (batch == 1) {
            per_call_rate = rate;
        } else {
            const double predicted = static_cast<double>(batch) * per_call_rate;
            std::snprintf(model, sizeof model, "%.1f", predicted / 1e6);
            std::snprintf(ratio, sizeof ratio, "%.2f", rate / predicted);
        }
        std::printf("%-22s %10.1f %12.1f %8llu %14s %9s\n", label, 1e3 * sec, rate / 1e6,
                    static_cast<unsigned long long>(errors), model, ratio);
    }
    std::printf("(model: %.0f ns per item at one item per write, i.e. the cost of one write() and one read();\n"
                " with b items per call, b times the rate if the calls were the only cost)\n",
                per_call_rate > 0 ? 1e9 / per_call_rate : 0.0);
}

// ------------------------------------------------------------------------------------------------
void sigterm_demo() {
    std::printf("\n== 2. A process that created a segment is stopped with SIGTERM\n");
    struct Report {
        std::atomic<int> ready{0};
        char name[64] = {};
    };
    ch03::SharedMapping memory(sizeof(Report));
    auto* report = new (memory.data()) Report();
    ch03::Child child([report] {
        try {
            ch03::SharedSegment seg = ch03::SharedSegment::create(1 << 16);
            std::strncpy(report->name, seg.name().c_str(), sizeof report->name - 1);
            report->ready.store(1, std::memory_order_release);
            for (;;) ::pause();  // SIGTERM arrives here: no destructor runs, only the handler
        } catch (...) {
            report->ready.store(-1, std::memory_order_release);
            return 1;
        }
    });
    for (int i = 0; i < 10000 && report->ready.load(std::memory_order_acquire) == 0; ++i) ::usleep(1000);
    if (report->ready.load() != 1) {
        std::printf("the child could not create a segment\n");
        return;
    }
    const std::string name = report->name;
    std::printf("child %d created %s; /dev/shm lists it: %s\n", static_cast<int>(child.pid()), name.c_str(),
                yes_no(listed(name)));
    ::kill(child.pid(), SIGTERM);
    const int status = child.wait_for(10.0);
    if (status < 0) {
        std::printf("the child did not end within 10 s of SIGTERM: killed with SIGKILL\n");
    } else {
        std::printf("sent SIGTERM; the child ended by signal %d; /dev/shm lists %s: %s\n",
                    WIFSIGNALED(status) ? WTERMSIG(status) : 0, name.c_str(), yes_no(listed(name)));
    }
    if (listed(name)) ::shm_unlink(name.c_str());  // only if the handler failed: leave nothing behind
}

}  // namespace

int main(int argc, char** argv) {
    bool quick = false;
    int procs = 2;
    int max_procs = 0;
    int log2n = 26;
    int reps = 5;
    std::int64_t increments = 200000;
    std::uint64_t items = 1u << 22;
    wb::Cli cli("ch03_program",
                "Shared memory between processes: named and anonymous segments, lost updates and how atomics, "
                "process-shared mutexes and semaphores prevent them, a zero-copy parallel sum against pipes, "
                "and a lock-free ring buffer between two processes.");
    cli.flag("--quick", quick, "small sizes, for a smoke run of a few seconds");
    cli.option("--procs", procs, "processes adding to the shared counter", 1, 64);
    cli.option("--max-procs", max_procs, "largest process count in the sum (0: the number of cores)", 0, 64);
    cli.option("--log2n", log2n, "the sum's array has 2^log2n doubles", 10, 30);
    cli.option("--reps", reps, "timed repetitions per sum (the median is shown)", 1, 101);
    cli.option("--increments", increments, "increments per process in the counter demo", std::int64_t{1},
               std::int64_t{1} << 32);
    cli.option("--items", items, "items sent through the ring and the pipes", std::uint64_t{1}, std::uint64_t{1} << 34);
    cli.parse(argc, argv);
    if (quick) {
        log2n = std::min(log2n, 20);
        reps = std::min(reps, 3);
        increments = std::min<std::int64_t>(increments, 100000);
        items = std::min<std::uint64_t>(items, 1u << 16);
    }
    if (max_procs == 0) max_procs = static_cast<int>(wb::logical_cores());

    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // line-buffered: nothing unwritten is copied by fork()
    std::printf("%s\n", wb::machine_banner().c_str());
    ch03::install_shm_cleanup_handlers();  // Ctrl-C during a run leaves no named segment behind
    named_segment_demo();
    sigterm_demo();
    counter_demo(procs, increments, quick);
    sum_demo(log2n, max_procs, reps);
    ring_demo(items);
    const bool clean = leftover_segments() == 0 && no_children();
    std::printf("\nleft behind: %s\n", clean ? "nothing (no segment in /dev/shm, no child process)" : "SOMETHING");
    return clean ? 0 : 1;
}
