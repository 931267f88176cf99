// ch01_program: threads against processes on this machine, measured rather than asserted:
// what creating a worker costs, whether memory is shared or copied, what moving bytes through a pipe
// costs (with the models the lesson asks the reader to predict from), the round-trip time, and one
// computation run both ways.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <numbers>
#include <span>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "ch01/ping_pong.hpp"
#include "ch01/pipe_io.hpp"
#include "ch01/posix.hpp"
#include "ch01/process_workers.hpp"
#include "ch01/thread_workers.hpp"
#include "lab.hpp"
#include "wb/cli.hpp"
#include "wb/machine.hpp"

namespace {

namespace lab = ch01::lab;
constexpr std::size_t kMiB = std::size_t{1} << 20;

struct Options {
    int reps = 200;
    int mib = 256;
    int workers = static_cast<int>(wb::logical_cores());
    long long terms = 200'000'000;
    bool quick = false;
};

std::string bytes_text(std::size_t b) {
    if (b >= kMiB) return std::to_string(b / kMiB) + " MiB";
    if (b >= 1024) return std::to_string(b / 1024) + " KiB";
    return std::to_string(b) + " B";
}

// ---- 1. creation cost ------------------------------------------------------------------------------
void creation_table(const Options& o) {
    struct Row {
        const char* name;
        void (*once)();
        double small = 0, large = 0;
    };
    Row rows[] = {{"std::thread + join", lab::thread_create_join},
                  {"fork + _exit + waitpid", lab::fork_wait},
                  {"fork + exec /bin/true + waitpid", lab::fork_exec_wait},
                  {"posix_spawn /bin/true + waitpid", lab::posix_spawn_wait}};
    // A fork of a large parent takes milliseconds: fewer repetitions keep the program quick.
    const int large_reps = std::max(3, std::min(o.reps, 20));
    for (auto& r : rows) r.small = lab::median_seconds(o.reps, r.once);
    // The model's second point: fork from a parent holding an eighth of --mib.
    const int mid_mib = std::max(1, o.mib / 8);
    double fork_mid = 0;
    {
        const lab::Ballast mid(static_cast<std::size_t>(mid_mib) * kMiB);
        fork_mid = lab::median_seconds(large_reps, lab::fork_wait);
    }
    {
        const lab::Ballast big(static_cast<std::size_t>(o.mib) * kMiB);
        for (auto& r : rows) r.large = lab::median_seconds(large_reps, r.once);
    }
    std::printf("\n1. Creating a worker and waiting for its end (median of %d and of %d, microseconds)\n", o.reps,
                large_reps);
    const std::string big_column = "parent holds " + std::to_string(o.mib) + " MiB";
    std::printf("   %-32s %15s %22s %10s\n", "", "small parent", big_column.c_str(), "vs thread");
    for (const auto& r : rows)
        std::printf("   %-32s %12.1f us %19.1f us %9.0fx\n", r.name, 1e6 * r.small, 1e6 * r.large,
                    r.small / rows[0].small);
    std::printf("   (\"vs thread\": small-parent time divided by the thread's)\n");

    // Predict, then measure: fork = a fixed part + a cost per page of the parent's memory, both read off
    // the first two points, then extrapolated to the third.
    //! [fork_model]
    const double page = static_cast<double>(::sysconf(_SC_PAGESIZE));
    const double pages_mid = static_cast<double>(mid_mib) * kMiB / page;
    const double pages_big = static_cast<double>(o.mib) * kMiB / page;
    const double per_page = (fork_mid - rows[1].small) / pages_mid;
    const double predicted = rows[1].small + per_page * pages_big;
    //! [fork_model]
    std::printf("   fork modelled as a fixed part plus a cost per page the parent holds:\n");
    std::printf("     small parent %.1f us, parent holding %d MiB %.1f us: %.1f ns per page of %.0f bytes\n",
                1e6 * rows[1].small, mid_mib, 1e6 * fork_mid, 1e9 * per_page, page);
    std::printf("     parent holding %d MiB: predicted %.1f us, measured %.1f us (measured / predicted %.2f)\n",
                o.mib, 1e6 * predicted, 1e6 * rows[1].large, rows[1].large / predicted);
}

// ---- 2. shared or copied ----------------------------------------------------------------------------
// Writes one double in every page of `d`; returns the seconds it took.
double touch_every_page(std::span<double> d) {
    const std::size_t step = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE)) / sizeof(double);
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < d.size(); i += step) d[i] += 1.0;
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void memory_demo(const Options& o) {
    std::printf("\n2. Memory: shared by threads, copied for a child process\n");
    //! [shared_or_copied]
    std::vector<int> value{0};
    std::thread([&] { value[0] = 42; }).join();
    std::printf("   a thread wrote 42 into the parent's vector:  the parent reads %d\n", value[0]);

    value[0] = 0;
    ch01::Pipe pipe = ch01::make_pipe();
    const pid_t pid = ::fork();
    if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork");
    if (pid == 0) {  // the child writes into its copy and reports what it sees there
        value[0] = 42;
        int status = 0;
        try {
            ch01::send_value(pipe.write_end.get(), value[0]);
        } catch (...) {
            status = 1;
        }
        ::_exit(status);
    }
    pipe.write_end.reset();
    const auto child_saw = ch01::receive_value<int>(pipe.read_end.get());
    lab::wait_for_exit(pid);
    std::printf("   a child process wrote 42 into its vector:    the child reads %d, the parent reads %d\n",
                child_saw.value_or(-1), value[0]);
    //! [shared_or_copied]

    // The price of copying: after fork(), the first write to each page makes the kernel copy it.
    const lab::Ballast big(static_cast<std::size_t>(o.mib) * kMiB);
    const double pages = static_cast<double>(big.bytes()) / static_cast<double>(::sysconf(_SC_PAGESIZE));
    const double parent_s = touch_every_page(big.doubles());
    ch01::Pipe timing = ch01::make_pipe();
    const pid_t toucher = ::fork();
    if (toucher < 0) throw std::system_error(errno, std::generic_category(), "fork");
    if (toucher == 0) {
        int status = 0;
        try {
            ch01::send_value(timing.write_end.get(), touch_every_page(big.doubles()));
        } catch (...) {
            status = 1;
        }
        ::_exit(status);
    }
    timing.write_end.reset();
    const auto child_s = ch01::receive_value<double>(timing.read_end.get());
    lab::wait_for_exit(toucher);
    std::printf("   one write into each page of %d MiB (%.0f pages of %ld bytes):\n", o.mib, pages,
                ::sysconf(_SC_PAGESIZE));
    std::printf("     by the parent, pages already its own:       %8.1f ns per page\n", 1e9 * parent_s / pages);
    std::printf("     by a forked child, each page copied first:  %8.1f ns per page\n",
                1e9 * child_s.value_or(std::nan("")) / pages);
}

// ---- 3. a pipe's rate from its per-call cost ------------------------------------------------------------
// One thread writes a piece of m bytes into a pipe and reads it back, again and again: no other thread,
// no waiting, just the system calls and the copies. The model: one write() + read() pair costs c (the
// cost of two system calls, measured with 8 bytes) plus two copies of m bytes at r, the rate at which
// this core copies memory that is in its cache (measured with memcpy).
// Returns the measured rate of the largest piece, in bytes per second.
double pipe_model_table(const Options& o) {
    ch01::Pipe p = ch01::make_pipe();
    const int capacity = ::fcntl(p.write_end.get(), F_GETPIPE_SZ);
    if (capacity <= 0) throw std::system_error(errno, std::generic_category(), "F_GETPIPE_SZ");
    constexpr std::size_t kPieces[] = {64, 1024, 4096, 16384, 65536};
    std::vector<std::size_t> pieces;
    for (const std::size_t m : kPieces)  // a piece larger than the pipe would block: nobody else reads
        if (m <= static_cast<std::size_t>(capacity)) pieces.push_back(m);
    std::vector<std::byte> out(pieces.back(), std::byte{1}), in(pieces.back());
    const int reps = o.quick ? 5 : 9;
    const std::size_t volume = o.quick ? 4 * kMiB : 64 * kMiB;  // bytes per timing, for the larger pieces
    // Seconds per write() + read() pair of m bytes (median of reps runs of `calls` pairs).
    const auto per_call = [&](std::size_t m) {
        const std::size_t calls = std::clamp<std::size_t>(volume / m, 200, o.quick ? 2000 : 20000);
        const auto piece_out = std::span<const std::byte>(out).first(m);
        const auto piece_in = std::span<std::byte>(in).first(m);
        return lab::median_seconds(reps, [&] {
                   for (std::size_t k = 0; k < calls; ++k) {
                       ch01::write_all(p.write_end.get(), piece_out);
                       if (ch01::read_all(p.read_end.get(), piece_in) != m)
                           throw std::runtime_error("pipe model: the piece came back short");
                   }
               }) /
               static_cast<double>(calls);
    };
    per_call(pieces.back());  // warm-up: the pipe's pages, the buffers and the code, once
    //! [pipe_model]
    const double c = per_call(8);
    const double copy_seconds = lab::median_seconds(3 * reps, [&] {
        for (int k = 0; k < 200; ++k) std::memcpy(in.data(), out.data(), in.size());
    }) / 200;
    const double r = static_cast<double>(in.size()) / copy_seconds;  // bytes per second
    const auto model_seconds = [&](std::size_t m) { return c + 2.0 * static_cast<double>(m) / r; };
    //! [pipe_model]
    if (in[0] != out[0]) throw std::runtime_error("pipe model: memcpy copied nothing");
    std::printf("\n3. A pipe's rate from its per-call cost (one thread writes m bytes, reads them back)\n");
    std::printf("   c = %.2f us for one write() + read() pair of 8 bytes; r = %.1f GB/s for memcpy of %s\n",
                1e6 * c, r / 1e9, bytes_text(in.size()).c_str());
    std::printf("   model: m bytes take c + 2m/r (copied into the kernel and out again); the rate tends to\n"
                "   r/2 for large pieces and reaches half of that at m = c*r/2 = %.1f KiB\n", c * r / 2 / 1024);
    std::printf("   %-10s %14s %16s %11s %22s\n", "piece m", "model (GB/s)", "measured (GB/s)", "meas/model",
                "unexplained per page");
    const double page = static_cast<double>(::sysconf(_SC_PAGESIZE));
    double measured = 0;
    for (const std::size_t m : pieces) {
        const double seconds = per_call(m);
        const double model = static_cast<double>(m) / model_seconds(m);
        measured = static_cast<double>(m) / seconds;
        std::printf("   %-10s %14.2f %16.2f %11.2f", bytes_text(m).c_str(), model / 1e9, measured / 1e9,
                    measured / model);
        if (static_cast<double>(m) >= page)  // the time the model does not account for, per page stored
            std::printf(" %19.0f ns\n", 1e9 * (seconds - model_seconds(m)) / (static_cast<double>(m) / page));
        else
            std::printf(" %22s\n", "-");
    }
    return measured;
}

// ---- 4. hand-off ------------------------------------------------------------------------------------
void handoff_table(const Options& o, double piece_rate) {
    std::vector<std::size_t> sizes{64 * 1024, kMiB, 16 * kMiB};
    if (o.quick) sizes = {64 * 1024, kMiB};
    std::printf("\n4. Handing an array of doubles to a running worker, which sums it (GB/s handed over)\n");
    std::printf("   %-10s %22s %22s %8s\n", "bytes", "thread: a pointer", "child: through a pipe", "ratio");
    for (const std::size_t bytes : sizes) {
        std::vector<double> data(bytes / sizeof(double));
        for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<double>(i % 1000);
        const int reps = std::max(5, std::min<int>(o.reps, static_cast<int>((256 * kMiB) / bytes)));
        double expected = lab::sum(data), got_thread = 0, got_pipe = 0;
        double t_thread = 0, t_pipe = 0;
        {
            lab::ThreadSummer worker;
            t_thread = lab::median_seconds(reps, [&] { got_thread = worker.sum(data); });
        }  // the thread is joined here: no thread is running when the next fork() happens
        {
            const lab::PipePartner child(lab::PipePartner::Kind::process, lab::serve_sums);
            t_pipe = lab::median_seconds(reps, [&] { got_pipe = lab::sum_through_pipe(child, data); });
        }
        if (got_thread != expected || got_pipe != expected)
            throw std::runtime_error("hand-off: a worker returned a wrong sum");
        const double b = static_cast<double>(bytes);
        std::printf("   %-10s %17.2f GB/s %17.2f GB/s %7.1fx\n", bytes_text(bytes).c_str(), b / t_thread / 1e9,
                    b / t_pipe / 1e9, t_pipe / t_thread);
    }
    std::printf("   (ratio: pipe time / thread time; both workers run the same summing code)\n");
    std::printf("   model for a large array through the pipe: the rate of the largest pieces in section 3,\n"
                "   where nobody waits for anybody: %.2f GB/s\n", piece_rate / 1e9);
}

// ---- 5. round trip -----------------------------------------------------------------------------------
void roundtrip_table(const Options& o) {
    const int rounds = o.quick ? 2000 : 20000;
    const ch01::PingPongResult pp = ch01::ping_pong(rounds);
    double t_threads = 0;
    {
        const lab::PipePartner partner(lab::PipePartner::Kind::thread, lab::serve_echo);
        std::uint64_t k = 0;
        const auto start = std::chrono::steady_clock::now();
        for (int r = 0; r < rounds; ++r) k = lab::echo_round_trip(partner, k);
        t_threads = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / rounds;
    }
    std::printf("\n5. Round trip of 8 bytes over two pipes (mean of %d, microseconds)\n", rounds);
    std::printf("   parent <-> child process (ch01::ping_pong):  %8.2f us\n", 1e6 * pp.seconds_per_round_trip);
    std::printf("   thread <-> thread, same process:             %8.2f us\n", 1e6 * t_threads);
}

// ---- 6. one computation, both ways -------------------------------------------------------------------
void compute_table(const Options& o) {
    const long long n = o.quick ? 4'000'000 : o.terms;
    const int w = o.workers;
    // Worker i sums 1/k^2 over its contiguous slice of k = 1..n.
    const auto slice = [n, w](int i) {
        const long long lo = n * i / w + 1, hi = n * (i + 1) / w;
        double s = 0.0;
        for (long long k = lo; k <= hi; ++k) s += 1.0 / (static_cast<double>(k) * static_cast<double>(k));
        return s;
    };
    const auto timed = [](auto&& f) {
        const auto start = std::chrono::steady_clock::now();
        const double v = f();
        return std::pair{v, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()};
    };
    const auto [serial, t_serial] = timed([&] {
        double s = 0.0;
        for (int i = 0; i < w; ++i) s += slice(i);
        return s;
    });
    const auto [threads, t_threads] = timed([&] {
        double s = 0.0;
        for (double part : ch01::run_thread_workers(w, slice)) s += part;
        return s;
    });
    bool all_ok = true;
    const auto [procs, t_procs] = timed([&] {
        double s = 0.0;
        for (const auto& c : ch01::run_process_workers(w, slice)) {
            all_ok = all_ok && c.has_value && c.exit_code == 0;
            s += c.value;
        }
        return s;
    });
    std::printf("\n6. Sum of 1/k^2 for k = 1..%lld (pi^2/6 = %.15f), %d workers\n", n,
                std::numbers::pi * std::numbers::pi / 6, w);
    std::printf("   %-28s %12.1f ms   sum %.15f\n", "one thread, slice by slice", 1e3 * t_serial, serial);
    std::printf("   %-28s %12.1f ms   sum %.15f   speedup %.2fx\n", "threads (exercise 01.1)", 1e3 * t_threads, threads,
                t_serial / t_threads);
    std::printf("   %-28s %12.1f ms   sum %.15f   speedup %.2fx%s\n", "processes (exercise 01.3)", 1e3 * t_procs, procs,
                t_serial / t_procs, all_ok ? "" : "   (a child failed!)");
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    wb::Cli cli("ch01_program",
                "Threads against processes, measured: creation cost (with a model of fork's cost), shared or\n"
                "copied memory, a pipe's rate (with a model from its per-call cost), hand-off throughput,\n"
                "round-trip time, and one computation run on threads and on processes.");
    cli.option("--reps", o.reps, "repetitions of each timing (the median is shown)", 1, 100000);
    cli.option("--mib", o.mib, "MiB of memory the parent holds for the fork and copy-on-write measurements", 1, 16384);
    cli.option("--workers", o.workers, "workers in the computation of section 6", 1, 256);
    cli.option("--terms", o.terms, "terms of the series in section 6", 1000LL, 100'000'000'000LL);
    cli.flag("--quick", o.quick, "small sizes and few repetitions, for a smoke run (a few seconds)");
    cli.parse(argc, argv);
    if (o.quick) {
        o.reps = std::min(o.reps, 20);
        o.mib = std::min(o.mib, 32);
    }
    // A child that dies makes writes to its pipe fail with EPIPE (an exception) instead of killing us.
    ::signal(SIGPIPE, SIG_IGN);

    std::printf("%s\n", wb::machine_banner().c_str());
    try {
        creation_table(o);
        memory_demo(o);
        const double piece_rate = pipe_model_table(o);
        handoff_table(o, piece_rate);
        roundtrip_table(o);
        compute_table(o);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "ch01_program: error: %s\n", e.what());
        return 1;
    }
    return 0;
}
