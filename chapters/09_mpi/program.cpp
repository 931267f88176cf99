// ch09_program: MPI on one machine, measured. Started by hand it re-runs itself under mpirun (2 ranks by
// default); under mpirun or srun it runs as it is. Rank 0 prints; every table says which ranks took part.
//
//   ./wb run 09                      2 ranks on this machine
//   ./wb run 09 -- --ranks 4         4 ranks (oversubscribed on 2 cores: see the lesson)
//   mpirun -n 4 --oversubscribe build/default/chapters/09_mpi/ch09_program
#include <mpi.h>
#include <omp.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "ch05/kernels.hpp"
#include "ch09/manager_worker.hpp"
#include "ch09/mpi_util.hpp"
#include "ch09/pi.hpp"
#include "ch09/ring.hpp"
#include "mpi_demo.hpp"
#include "wb/cli.hpp"
#include "wb/machine.hpp"

namespace {

struct Options {
    int ranks = 2;
    bool quick = false;
    int nodes = 4;
    int cores_per_node = 32;
    int throw_on_rank = -1;
    int exit_on_rank = -1;
};

int g_rank = 0, g_size = 1;

// printf on rank 0 only.
__attribute__((format(printf, 1, 2))) void say(const char* fmt, ...) {
    if (g_rank != 0) return;
    va_list args;
    va_start(args, fmt);
    std::vprintf(fmt, args);
    va_end(args);
    std::fflush(stdout);
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

void show_ranks() {
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    struct Me {
        int pid;
        int cpu;
        char host[64];
    } me{static_cast<int>(getpid()), sched_getcpu(), {}};
    std::snprintf(me.host, sizeof me.host, "%s", host);
    std::vector<Me> all(static_cast<std::size_t>(g_size));
    MPI_Gather(&me, sizeof me, MPI_BYTE, all.data(), sizeof me, MPI_BYTE, 0, MPI_COMM_WORLD);
    say("\n1. The ranks of MPI_COMM_WORLD (one process each; mpirun started them)\n");
    say("   rank   pid      host                 on cpu\n");
    for (int r = 0; r < g_size; ++r)
        say("   %-6d %-8d %-20s %d\n", r, all[static_cast<std::size_t>(r)].pid, all[static_cast<std::size_t>(r)].host,
            all[static_cast<std::size_t>(r)].cpu);
    const int cores = wb::logical_cores();
    if (g_size > cores)
        say("   %d ranks on %d logical cores: oversubscribed. Ranks take turns on the cores, and a rank that "
            "waits for a message\n   polls for it, taking a core from one that could compute.\n", g_size, cores);
}

void pi_section(const Options& o) {
    const std::int64_t n = o.quick ? 2'000'000 : 100'000'000;
    say("\n2. Pi by a reduction: %lld intervals split with block_range, MPI_Reduce(MPI_SUM) to rank 0\n",
        static_cast<long long>(n));
    say("   ranks   time [ms]   speedup   pi - value\n");
    double t1 = 0;
    for (int k = 1; k <= g_size; k *= 2) {
        MPI_Comm sub = ch09::demo::first_ranks(MPI_COMM_WORLD, k);
        if (sub != MPI_COMM_NULL) {
            if (ch09::rank_of(sub) == o.throw_on_rank && k == g_size)
                throw std::runtime_error("thrown on purpose (--throw-on-rank) while the other ranks wait in MPI_Reduce");
            std::vector<double> times;
            std::optional<double> pi;
            for (int rep = 0; rep < 3; ++rep) {
                MPI_Barrier(sub);
                const double t0 = MPI_Wtime();
                pi = ch09::pi_reduce(sub, n, 0);
                times.push_back(MPI_Wtime() - t0);
            }
            const double t = median(times);
            if (k == 1) t1 = t;
            if (ch09::rank_of(sub) == 0)
                say("   %-7d %-11.2f %-9.2f %.2e\n", k, 1e3 * t, t1 / t, 3.14159265358979323846 - *pi);
            MPI_Comm_free(&sub);
        }
        ch09::sleeping_barrier(MPI_COMM_WORLD);
    }
}

// Ping-pong: predict the one-way time of a middle size from the smallest (latency) and the largest
// (bandwidth), then measure it.
void pingpong_section(const Options& o) {
    if (g_size < 2) {
        say("\n3. Ping-pong: needs 2 ranks (run with --ranks 2)\n");
        return;
    }
    say("\n3. Ping-pong between ranks 0 and 1: one-way time = latency + bytes / bandwidth?\n");
    MPI_Comm pair = ch09::demo::first_ranks(MPI_COMM_WORLD, 2);
    if (pair != MPI_COMM_NULL) {
        const std::vector<int> sizes = o.quick ? std::vector<int>{8, 1 << 12, 1 << 16, 1 << 20}
                                               : std::vector<int>{8, 64, 512, 1 << 12, 1 << 14, 1 << 16, 1 << 18, 1 << 20, 1 << 22};
        std::vector<double> t;
        for (int bytes : sizes) {
            const int reps = std::max(4, std::min(2000, (o.quick ? 2 : 20) * (1 << 22) / std::max(bytes, 1) / 64));
            t.push_back(ch09::demo::pingpong_one_way(pair, bytes, reps));
        }
        const double latency = t.front();
        const double bandwidth = sizes.back() / (t.back() - latency);
        say("   model from the ends of the sweep: latency %.2f us, bandwidth %.2f GB/s\n", 1e6 * latency, 1e-9 * bandwidth);
        say("   bytes       one-way [us]   GB/s     model [us]\n");
        for (std::size_t i = 0; i < sizes.size(); ++i)
            say("   %-11d %-14.2f %-8.3f %.2f\n", sizes[i], 1e6 * t[i], 1e-9 * sizes[i] / t[i],
                1e6 * (latency + sizes[i] / bandwidth));
        say("   PREDICT, then measure: by the model, at which size does a message take twice the latency? "
            "(bytes = latency x bandwidth = %.0f)\n", latency * bandwidth);
        MPI_Comm_free(&pair);
    }
    ch09::sleeping_barrier(MPI_COMM_WORLD);
}

void stencil_section(const Options& o) {
    const int rows = o.quick ? 256 : 2048, nx = o.quick ? 256 : 4096, steps = o.quick ? 5 : 20;
    const double mib = 2.0 * rows * nx * 8.0 / (1 << 20);
    say("\n4. The heat stencil, %d x %d doubles (two grids: %.0f MiB), %d steps, rows split among the ranks\n",
        rows, nx, mib, steps);
    say("   ranks  threads  exchange     time [ms]  speedup  exchange [ms]  checksum\n");
    double t1 = 0;
    for (int k = 1; k <= g_size; k *= 2) {
        MPI_Comm sub = ch09::demo::first_ranks(MPI_COMM_WORLD, k);
        if (sub != MPI_COMM_NULL) {
            for (auto mode : {ch09::demo::Exchange::blocking, ch09::demo::Exchange::overlapped}) {
                if (k == 1 && mode == ch09::demo::Exchange::overlapped) continue;
                const ch09::demo::HeatTiming t = ch09::demo::heat_run(sub, rows, nx, steps, mode, 1);
                if (k == 1) t1 = t.seconds;
                if (ch09::rank_of(sub) == 0)
                    say("   %-6d %-8d %-12s %-10.1f %-8.2f %-14.2f %.6f\n", k, 1,
                        mode == ch09::demo::Exchange::blocking ? "blocking" : "overlapped", 1e3 * t.seconds,
                        t1 / t.seconds, 1e3 * t.exchange_seconds, t.checksum);
            }
            MPI_Comm_free(&sub);
        }
        ch09::sleeping_barrier(MPI_COMM_WORLD);
    }
    // Hybrid: one rank with two OpenMP threads against two ranks of one thread.
    if (g_rank == 0) {
        const ch09::demo::HeatTiming t = ch09::demo::heat_run(MPI_COMM_SELF, rows, nx, steps,
                                                              ch09::demo::Exchange::blocking, 2);
        say("   %-6d %-8d %-12s %-10.1f %-8.2f %-14.2f %.6f   (hybrid: OpenMP threads inside one rank)\n", 1, 2,
            "none", 1e3 * t.seconds, t1 / t.seconds, 0.0, t.checksum);
    }
    ch09::sleeping_barrier(MPI_COMM_WORLD);
    say("   The checksum is the same in every row: the split changes where cells are computed, not what.\n");
    say("   PREDICT, then measure: each step a middle rank sends and receives two rows of %d bytes. From the\n"
        "   ping-pong model, how long should one exchange take, and what share of a step is that?\n", nx * 8);
}

void mandelbrot_section(const Options& o) {
    const ch05::Frame f = ch05::lopsided_frame(o.quick ? 160 : 320, o.quick ? 80 : 160, o.quick ? 300 : 600);
    say("\n5. Chapter 05's lopsided Mandelbrot frame (%dx%d, %d iterations): static blocks against a manager\n",
        f.width, f.height, f.max_iter);
    // The cost of each row, measured serially on rank 0: the model of the static split.
    std::vector<double> cost(static_cast<std::size_t>(f.height));
    if (g_rank == 0) {
        std::vector<int> row(static_cast<std::size_t>(f.width));
        for (int r = 0; r < f.height; ++r) {
            const double t0 = MPI_Wtime();
            ch09::mandelbrot_row_into(f, r, row);
            cost[static_cast<std::size_t>(r)] = MPI_Wtime() - t0;
        }
    }
    MPI_Bcast(cost.data(), f.height, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    const double total = std::accumulate(cost.begin(), cost.end(), 0.0);
    say("   serial: %.1f ms\n", 1e3 * total);
    say("   ranks  split            time [ms]  model [ms]  rows per rank\n");
    std::vector<int> img(g_rank == 0 ? ch05::pixels(f) : 0), owner(g_rank == 0 ? static_cast<std::size_t>(f.height) : 0);
    for (int k = 2; k <= g_size; ++k) {
        MPI_Comm sub = ch09::demo::first_ranks(MPI_COMM_WORLD, k);
        if (sub != MPI_COMM_NULL) {
            for (int dynamic = 0; dynamic < 2; ++dynamic) {
                std::vector<double> times;
                for (int rep = 0; rep < 3; ++rep) {
                    MPI_Barrier(sub);
                    const double t0 = MPI_Wtime();
                    if (dynamic) ch09::mandelbrot_manager_worker(sub, f, img, owner);
                    else ch09::demo::mandelbrot_static(sub, f, img, owner);
                    times.push_back(MPI_Wtime() - t0);
                }
                // Model: static = the most expensive block; manager = the work over the workers.
                double model = total / (k - 1);
                if (!dynamic) {
                    model = 0;
                    for (int q = 0; q < k; ++q) {
                        const ch09::Range r = ch09::block_range(f.height, q, k);
                        model = std::max(model, std::accumulate(cost.begin() + r.begin, cost.begin() + r.end, 0.0));
                    }
                }
                std::string counts;
                if (g_rank == 0)
                    for (int q = 0; q < k; ++q) counts += std::to_string(std::count(owner.begin(), owner.end(), q)) + " ";
                say("   %-6d %-16s %-10.1f %-11.1f %s\n", k, dynamic ? "manager-worker" : "static blocks",
                    1e3 * median(times), 1e3 * model, counts.c_str());
            }
            MPI_Comm_free(&sub);
        }
        ch09::sleeping_barrier(MPI_COMM_WORLD);
    }
    if (g_size < 3) say("   (with 2 ranks the manager has one worker; run with --ranks 3 or 4 to see it share)\n");
    say("   PREDICT, then measure: with k ranks, static blocks take as long as the costliest block; a manager\n"
        "   with k - 1 workers about total / (k - 1). At which k should the manager win on this frame?\n");
}

void cluster_section(const Options& o, const char* self) {
    say("\n6. On a cluster of %d nodes with %d cores each, one rank per node and OpenMP threads inside:\n", o.nodes,
        o.cores_per_node);
    say("   %s\n", ch09::demo::cluster_command(o.nodes, o.cores_per_node, self, "--ranks 1").c_str());
    say("   hosts.txt lists the nodes (chapters/09_mpi/cluster/hosts.example); under Slurm, "
        "chapters/09_mpi/cluster/job.slurm\n   asks for the nodes and srun starts the ranks.\n");
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    wb::Cli cli("ch09_program", "MPI on one machine: ranks, a reduction, ping-pong latency and bandwidth, the heat "
                                "stencil with halo exchange (blocking, overlapped, hybrid), Mandelbrot with static "
                                "blocks against a manager, and the command for a cluster.");
    cli.option("--ranks", o.ranks, "ranks to start when not run under mpirun", 1, 64);
    cli.flag("--quick", o.quick, "small sizes, a few seconds (the smoke test)");
    cli.option("--nodes", o.nodes, "nodes of the cluster command printed at the end", 1, 100000);
    cli.option("--cores-per-node", o.cores_per_node, "cores of each node in that command", 1, 4096);
    cli.option("--throw-on-rank", o.throw_on_rank, "make this rank throw while the others wait (shows the job end)", -1, 64);
    cli.option("--exit-on-rank", o.exit_on_rank, "make this rank leave without MPI_Finalize (shows the job end)", -1, 64);
    cli.parse(argc, argv);
    ch09::demo::ensure_launched(o.ranks, argc, argv);

    int provided = 0;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &g_size);
    if (g_rank == 0) {
        std::printf("%s\n", wb::machine_banner().c_str());
        std::printf("MPI_COMM_WORLD: %d rank(s); MPI thread level %d (funneled: only the main thread calls MPI)\n",
                    g_size, provided);
    }
    if (g_rank == o.exit_on_rank) {
        std::fprintf(stderr, "rank %d: leaving without MPI_Finalize (--exit-on-rank)\n", g_rank);
        return 0;
    }
    const int rc = ch09::demo::run_guarded([&] {
        show_ranks();
        pi_section(o);
        pingpong_section(o);
        stencil_section(o);
        mandelbrot_section(o);
        cluster_section(o, argv[0]);
    });
    MPI_Finalize();
    return rc;
}
