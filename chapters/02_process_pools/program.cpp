// ch02_program: a process pool built on fork, measured and broken on purpose.
//
// 1. What a pool costs: starting and stopping its workers, and one task's round trip by payload size,
//    beside the model's prediction (a bare round trip on a socket pair).
// 2. The Mandelbrot set, serially and on the pool: static blocks (one per worker) against dynamic
//    hand-out of small chunks, with the bytes moved and each worker's busy time, a check that every
//    image is bitwise the serial one, and beside each speedup the model's prediction from the
//    iteration counts of the rows.
// 3. Faults: tasks that crash, abort, get killed from outside, hang or throw; each is reported by
//    task and cause, and the pool carries on.
// It ends by checking that no child process is left.
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "ch02/mandelbrot.hpp"
#include "ch02/pool.hpp"
#include "ch02/pool_map.hpp"
#include "wb/cli.hpp"
#include "wb/machine.hpp"
#include "wb/stats.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Median wall time of `repeats` runs of `work`, in seconds.
double median_seconds(int repeats, const std::function<void()>& work) {
    std::vector<double> t;
    for (int i = 0; i < repeats; ++i) {
        const auto t0 = Clock::now();
        work();
        t.push_back(seconds_since(t0));
    }
    return wb::median(t);
}

ch02::PoolOptions with_workers(int n) {
    ch02::PoolOptions o;
    o.workers = n;
    return o;
}

std::string bytes_text(double b) {
    char buf[32];
    if (b < 1024)
        std::snprintf(buf, sizeof buf, "%.0f B", b);
    else if (b < 1024 * 1024)
        std::snprintf(buf, sizeof buf, "%.1f KiB", b / 1024);
    else
        std::snprintf(buf, sizeof buf, "%.1f MiB", b / (1024 * 1024));
    return buf;
}

//! [bare]
// The floor under every task's cost: one byte there and back between this process and a forked echo
// process over a socket pair, with nothing else around it (no frames, no poll, no serialization).
// Median of `reps` round trips, in seconds.
double bare_roundtrip_seconds(int reps) {
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) return 0.0;
    const pid_t pid = ::fork();
    if (pid < 0) {
        ::close(sv[0]);
        ::close(sv[1]);
        return 0.0;
    }
    if (pid == 0) {  // the echo process: answers each byte until end of stream
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        ::close(sv[0]);
        char c = 0;
        while (::recv(sv[1], &c, 1, 0) == 1 && ::send(sv[1], &c, 1, MSG_NOSIGNAL) == 1) {
        }
        ::_exit(0);
    }
    ::close(sv[1]);
    std::vector<double> t;
    bool ok = true;
    for (int i = 0; i < reps + 10 && ok; ++i) {  // the first 10 only warm up
        char c = 'x';
        const auto t0 = Clock::now();
        ok = ::send(sv[0], &c, 1, MSG_NOSIGNAL) == 1 && ::recv(sv[0], &c, 1, 0) == 1;
        if (i >= 10) t.push_back(seconds_since(t0));
    }
    ::close(sv[0]);  // end of stream: the echo process exits
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
    return ok && !t.empty() ? wb::median(t) : 0.0;
}
//! [bare]

void overheads(int workers, bool quick) {
    std::printf("\n1. What the pool itself costs (%d workers)\n", workers);
    ch02::FunctionTable table;
    const auto echo = table.add<ch02::Bytes(ch02::Bytes)>("echo", [](const ch02::Bytes& b) { return b; });

    const double start = median_seconds(quick ? 3 : 15, [&] { ch02::Pool pool(table, with_workers(workers)); });
    std::printf("   start and shut down the pool: %.3f ms (median; fork + exit + reap of every worker)\n", 1e3 * start);

    // Predict, then measure: an empty task costs about one bare round trip between two processes.
    const double bare = bare_roundtrip_seconds(quick ? 200 : 5000);
    ch02::Pool pool(table, with_workers(workers));
    std::printf("   one task there and back, by payload size (same payload returned):\n");
    std::printf("   %12s %14s %16s %18s\n", "payload", "round trip", "payload rate", "model: bare trip");
    for (std::size_t size :
         {std::size_t{0}, std::size_t{64}, std::size_t{4096}, std::size_t{65536}, std::size_t{1} << 20}) {
        const ch02::Bytes payload(size, std::byte{7});
        const int reps = quick ? 20 : (size >= (1u << 20) ? 50 : 500);
        const double t = median_seconds(reps, [&] {
            if (pool.submit(echo, payload).get().size() != size) std::abort();
        });
        char model[32] = "";
        if (size == 0) std::snprintf(model, sizeof model, "%.1f us", 1e6 * bare);
        std::printf("   %12s %11.1f us %12.0f MB/s %18s\n", bytes_text(static_cast<double>(size)).c_str(), 1e6 * t,
                    size == 0 ? 0.0 : 2.0 * static_cast<double>(size) / t / 1e6, model);
        if (size == 0 && bare > 0)
            std::printf("   %12s prediction %.1f us (one byte there and back on a bare socket pair), measured "
                        "%.1f us: the pool adds %.1f us per task (frames, poll, bookkeeping)\n",
                        "", 1e6 * bare, 1e6 * t, 1e6 * (t - bare));
    }
}

//! [model]
// The time of a schedule predicted from the work alone (iterations, no overheads): chunks of rows go
// to `workers` workers, each chunk to whichever worker is free first (a static split is the case of
// one chunk per worker), and at most `cores` of them run at a time. Returns the predicted speedup
// over one process: total work / the work of the busiest worker (or total / cores, if larger).
double predicted_speedup(const std::vector<double>& row_work, std::size_t chunk, int workers, int cores) {
    double total = 0;
    for (double w : row_work) total += w;
    std::vector<double> busy(static_cast<std::size_t>(workers), 0.0);
    for (std::size_t begin = 0; begin < row_work.size(); begin += chunk) {
        double work = 0;
        for (std::size_t r = begin; r < std::min(row_work.size(), begin + chunk); ++r) work += row_work[r];
        *std::min_element(busy.begin(), busy.end()) += work;  // the first worker to be free takes it
    }
    const double makespan = std::max(*std::max_element(busy.begin(), busy.end()),
                                     total / std::min(workers, std::max(cores, 1)));
    return makespan > 0 ? total / makespan : 1.0;
}
//! [model]

struct Variant {
    std::string name;
    std::size_t chunk;  // 0: serial
};

int mandelbrot(int workers, const ch02::View& v, int repeats) {
    std::printf("\n2. Mandelbrot set, %d x %d pixels, at most %d iterations, re [%g, %g], im [%g, %g]\n", v.width,
                v.height, v.max_iter, v.x_min, v.x_max, v.y_min, v.y_max);
    ch02::Image serial;
    const double t_serial = median_seconds(repeats, [&] { serial = ch02::mandelbrot_serial(v); });

    // Where the work is: iterations per row, and per block of rows as a static split hands them out.
    const std::size_t width = static_cast<std::size_t>(v.width);
    std::vector<double> row_work(static_cast<std::size_t>(v.height), 0.0);
    double total = 0;
    for (std::size_t i = 0; i < serial.size(); ++i) {
        row_work[i / width] += serial[i];
        total += serial[i];
    }
    const std::size_t block_rows =
        (static_cast<std::size_t>(v.height) + workers - 1) / static_cast<std::size_t>(workers);
    std::printf("   static split, %zu rows per worker; share of all iterations per block:", block_rows);
    double costliest = 0;
    for (std::size_t b = 0; b * block_rows < row_work.size(); ++b) {
        double work = 0;
        for (std::size_t r = b * block_rows; r < std::min(row_work.size(), (b + 1) * block_rows); ++r)
            work += row_work[r];
        costliest = std::max(costliest, work / total);
        std::printf(" %.0f%%", 100.0 * work / total);
    }
    std::printf("\n   predict, then measure: the static split can be no faster than its costliest block, "
                "speedup <= 1 / %.2f = %.2fx\n",
                costliest, 1.0 / costliest);

    ch02::FunctionTable table;
    const auto rows = ch02::add_mandelbrot_rows(table, v);
    ch02::Pool pool(std::move(table), with_workers(workers));

    std::vector<Variant> variants{{"pool static", block_rows}};
    for (std::size_t c : {1, 4, 16, 64})
        if (c < block_rows) variants.push_back({"pool dynamic", c});

    const int cores = static_cast<int>(wb::logical_cores());
    std::printf("   %-13s %6s %6s %10s %8s %8s %10s %10s  %-26s %s\n", "variant", "chunk", "tasks", "time", "speedup",
                "model", "sent", "received", "busy per worker (s)", "same image");
    std::printf("   %-13s %6s %6s %8.1f ms %7.2fx %8s %10s %10s  %-26s %s\n", "serial", "-", "-", 1e3 * t_serial, 1.0,
                "-", "-", "-", "-", "-");
    bool all_same = true;
    for (const Variant& var : variants) {
        ch02::Image img;
        const ch02::PoolStats before = pool.stats();
        const double t = median_seconds(repeats, [&] { img = ch02::mandelbrot_pool(pool, rows, v, var.chunk); });
        const ch02::PoolStats& after = pool.stats();
        const bool same = img == serial;
        all_same = all_same && same;
        std::string busy;
        for (std::size_t w = 0; w < after.per_worker.size(); ++w) {
            char b[16];
            std::snprintf(b, sizeof b, "%s%.3f", w ? " " : "",
                          (after.per_worker[w].busy_seconds - before.per_worker[w].busy_seconds) / repeats);
            busy += b;
        }
        const double runs = repeats;
        std::printf("   %-13s %6zu %6.0f %8.1f ms %7.2fx %7.2fx %10s %10s  %-26s %s\n", var.name.c_str(), var.chunk,
                    static_cast<double>(after.tasks_sent - before.tasks_sent) / runs, 1e3 * t, t_serial / t,
                    predicted_speedup(row_work, var.chunk, workers, cores),
                    bytes_text(static_cast<double>(after.bytes_sent - before.bytes_sent) / runs).c_str(),
                    bytes_text(static_cast<double>(after.bytes_received - before.bytes_received) / runs).c_str(),
                    busy.c_str(), same ? "yes" : "NO");
    }
    std::printf("   (static: one block of rows per worker; dynamic: a free worker takes the next chunk;\n"
                "    model: the speedup the iteration counts allow, with no cost per task, at most %d at a time)\n",
                std::min(workers, cores));
    return all_same ? 0 : 1;
}

//! [faults]
int faults(int workers) {
    std::printf("\n3. Faults (%d workers, task timeout 0.3 s)\n", workers);
    ch02::FunctionTable table;
    const auto square = table.add_map<int, long>("square", [](int x) { return long{x} * x; });
    const auto segv = table.add<int()>("segv", [] {
        ::raise(SIGSEGV);
        return 0;
    });
    const auto abrt = table.add<int()>("abort", []() -> int { std::abort(); });
    const auto sleepy = table.add<int()>("sleep_forever", []() -> int {
        for (;;) ::pause();
    });
    const auto picky = table.add<int(int)>(
        "picky", [](int x) -> int { throw std::runtime_error("picky does not like " + std::to_string(x)); });

    ch02::PoolOptions options = with_workers(workers);
    options.task_timeout = 300ms;
    ch02::Pool pool(std::move(table), options);

    const auto report = [](const char* what, auto&& future) {
        try {
            future.get();
            std::printf("   %-26s -> no error?\n", what);
        } catch (const ch02::TaskError& e) {
            std::printf("   %-26s -> %s\n", what, e.what());
        }
    };
    report("raise(SIGSEGV)", pool.submit(segv));
    report("abort()", pool.submit(abrt));
    {
        auto f = pool.submit(sleepy);
        if (const auto pid = pool.pid_running(f.id())) ::kill(*pid, SIGKILL);  // from outside, mid-task
        report("kill -9 from outside", std::move(f));
    }
    report("never returns", pool.submit(sleepy));
    report("throws an exception", pool.submit(picky, 7));

    std::vector<int> xs(1000);
    for (int i = 0; i < 1000; ++i) xs[static_cast<std::size_t>(i)] = i;
    const std::vector<long> ys = ch02::map(pool, square, xs, 10);
    bool right = true;
    for (int i = 0; i < 1000; ++i) right = right && ys[static_cast<std::size_t>(i)] == long{i} * i;
    const ch02::PoolStats& s = pool.stats();
    std::printf(
        "   afterwards the pool still maps 1000 squares right: %s; workers forked: %zu "
        "(%d at the start, %zu replacements)\n",
        right ? "yes" : "NO", s.workers_started, workers, s.workers_started - static_cast<std::size_t>(workers));
    return right ? 0 : 1;
}
//! [faults]

}  // namespace

int main(int argc, char** argv) {
    int workers = static_cast<int>(wb::logical_cores());
    ch02::View view;
    int repeats = 3;
    bool quick = false;
    wb::Cli cli("ch02_program",
                "A process pool built on fork: its costs, the Mandelbrot set with static and dynamic chunks, "
                "and what happens when workers crash or hang.");
    cli.option("--workers", workers, "worker processes", 1, 256);
    cli.option("--width", view.width, "Mandelbrot image width in pixels", 1, 1 << 15);
    cli.option("--height", view.height, "Mandelbrot image height in pixels (= rows = items to map)", 1, 1 << 15);
    cli.option("--max-iter", view.max_iter, "iterations before a point counts as inside the set", 1, 1 << 24);
    cli.option("--repeats", repeats, "timed runs per variant (the median is shown)", 1, 100);
    cli.flag("--quick", quick, "small sizes, one run each: a smoke test of a few seconds");
    cli.parse(argc, argv);
    if (quick) {
        view.width = std::min(view.width, 256);
        view.height = std::min(view.height, 128);
        view.max_iter = std::min(view.max_iter, 300);
        repeats = 1;
    }

    std::printf("%s\n", wb::machine_banner().c_str());
    overheads(workers, quick);
    int rc = mandelbrot(workers, view, repeats);
    rc |= faults(workers);

    // Every pool is gone: no child may be left, running or zombie.
    const bool no_children = ::waitpid(-1, nullptr, WNOHANG) < 0 && errno == ECHILD;
    std::printf("\nchild processes left: %s\n", no_children ? "none" : "SOME (a bug)");
    return no_children ? rc : 1;
}
