// mpi_demo.cpp: see mpi_demo.hpp.
#include "mpi_demo.hpp"

#include <omp.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <numeric>
#include <stdexcept>

#include "ch09/manager_worker.hpp"
#include "ch09/mpi_util.hpp"

#ifndef WB_MPIEXEC
#define WB_MPIEXEC "mpirun"
#endif

namespace ch09::demo {

bool under_launcher() {
    for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "PMI_RANK"})
        if (std::getenv(v)) return true;
    return false;
}

void ensure_launched(int ranks, int argc, char** argv) {
    if (under_launcher()) return;
    if (std::getenv("WB_MPI_RELAUNCHED")) {
        std::fprintf(stderr, "error: started under %s, but no MPI launcher environment was found\n", WB_MPIEXEC);
        std::exit(1);
    }
    setenv("WB_MPI_RELAUNCHED", "1", 1);
    if (geteuid() == 0) {
        // OpenMPI refuses to run as root unless told twice that it is meant (containers, CI).
        setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 1);
        setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 1);
    }
    // Shared-memory copies through ptrace are often forbidden in containers; plain copies always work.
    setenv("OMPI_MCA_btl_vader_single_copy_mechanism", "none", 0);
    char self[4096];
    const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) {
        std::fprintf(stderr, "error: cannot find this program's path (/proc/self/exe)\n");
        std::exit(1);
    }
    self[n] = '\0';
    const std::string count = std::to_string(ranks);
    std::vector<char*> args;
    args.push_back(const_cast<char*>(WB_MPIEXEC));
    for (const char* a : {"-n", count.c_str(), "--oversubscribe"}) args.push_back(const_cast<char*>(a));
    args.push_back(self);
    for (int i = 1; i < argc; ++i) args.push_back(argv[i]);
    args.push_back(nullptr);
    std::fprintf(stderr, "(not started by mpirun: running %s -n %d --oversubscribe %s ...)\n", WB_MPIEXEC, ranks, self);
    std::fflush(stderr);
    execv(WB_MPIEXEC, args.data());
    std::fprintf(stderr, "error: cannot start %s: %s (Debian: openmpi-bin)\n", WB_MPIEXEC, std::strerror(errno));
    std::exit(1);
}

// [cluster]
std::string cluster_command(int nodes, int cores, const std::string& program, const std::string& args) {
    // One rank per node, bound to nothing so that its OpenMP threads may use every core of the node.
    return "OMP_NUM_THREADS=" + std::to_string(cores) + " mpirun -n " + std::to_string(nodes) +
           " --hostfile hosts.txt --map-by ppr:1:node --bind-to none -x OMP_NUM_THREADS " + program +
           (args.empty() ? "" : " " + args);
}
// [cluster]

// [guarded]
int run_guarded(const std::function<void()>& body) {
    try {
        body();
        return 0;
    } catch (const std::exception& e) {
        const int rank = rank_of(MPI_COMM_WORLD), size = size_of(MPI_COMM_WORLD);
        std::fprintf(stderr, "\nrank %d of %d: error: %s\nrank %d: ending the whole job (MPI_Abort), so that "
                             "no other rank waits for ever for this one\n", rank, size, e.what(), rank);
        std::fflush(stderr);
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    return 1;
}
// [guarded]

MPI_Comm first_ranks(MPI_Comm comm, int ranks) {
    MPI_Comm sub;
    MPI_Comm_split(comm, rank_of(comm) < ranks ? 0 : MPI_UNDEFINED, rank_of(comm), &sub);
    return sub;
}

// [pingpong]
double pingpong_one_way(MPI_Comm comm, int bytes, int reps) {
    const int rank = rank_of(comm);
    if (size_of(comm) != 2) throw std::invalid_argument("pingpong_one_way: needs a communicator of two ranks");
    std::vector<char> buf(static_cast<std::size_t>(std::max(bytes, 1)), 1);
    constexpr int kBlocks = 5;
    std::vector<double> per_block;
    for (int block = 0; block < kBlocks; ++block) {
        MPI_Barrier(comm);
        const double t0 = MPI_Wtime();
        for (int i = 0; i < reps; ++i) {
            if (rank == 0) {
                MPI_Send(buf.data(), bytes, MPI_BYTE, 1, 0, comm);
                MPI_Recv(buf.data(), bytes, MPI_BYTE, 1, 0, comm, MPI_STATUS_IGNORE);
            } else {
                MPI_Recv(buf.data(), bytes, MPI_BYTE, 0, 0, comm, MPI_STATUS_IGNORE);
                MPI_Send(buf.data(), bytes, MPI_BYTE, 0, 0, comm);
            }
        }
        per_block.push_back((MPI_Wtime() - t0) / (2.0 * reps));
    }
    std::sort(per_block.begin(), per_block.end());
    return per_block[kBlocks / 2];
}
// [pingpong]

namespace {
// Rows [r0, r1) of the next step, shared among `threads` OpenMP threads (none started for one).
void rows_parallel(const HeatBlock& in, HeatBlock& out, int r0, int r1, int threads) {
#pragma omp parallel for num_threads(threads) schedule(static) if (threads > 1)
    for (int r = r0; r < r1; ++r) heat_rows(in, out, r, r + 1);
}
}  // namespace

HeatStepper::HeatStepper(MPI_Comm comm, int global_rows, int nx, Exchange mode, int threads)
    : comm_(comm), mode_(mode), threads_(threads),
      up_(rank_of(comm) > 0 ? rank_of(comm) - 1 : MPI_PROC_NULL),
      down_(rank_of(comm) < size_of(comm) - 1 ? rank_of(comm) + 1 : MPI_PROC_NULL),
      a_(make_block(comm, global_rows, nx)), b_(a_) {}

// [overlap]
void HeatStepper::step() {
    HeatBlock& a = a_;
    const int nx = a.nx;
    if (mode_ == Exchange::blocking) {
        const double e0 = MPI_Wtime();
        exchange_halos(comm_, a);   // exercise 09.3 (the reference solution here)
        exchange_ += MPI_Wtime() - e0;
        rows_parallel(a, b_, 1, a.rows + 1, threads_);
    } else {
        // Start the exchange, compute the rows that need no halo, then wait and compute the edge rows.
        MPI_Request req[4];
        MPI_Irecv(a.row(0), nx, MPI_DOUBLE, up_, 1, comm_, &req[0]);
        MPI_Irecv(a.row(a.rows + 1), nx, MPI_DOUBLE, down_, 0, comm_, &req[1]);
        MPI_Isend(a.row(1), nx, MPI_DOUBLE, up_, 0, comm_, &req[2]);
        MPI_Isend(a.row(a.rows), nx, MPI_DOUBLE, down_, 1, comm_, &req[3]);
        // OpenMPI moves a large message only while some MPI call runs on this rank: test the requests
        // between blocks of interior rows, so that the transfer progresses during the computation.
        constexpr int kBlock = 32;
        int done = 0;
        for (int r = 2; r < a.rows; r += kBlock) {
            rows_parallel(a, b_, r, std::min(r + kBlock, a.rows), threads_);
            if (!done) MPI_Testall(4, req, &done, MPI_STATUSES_IGNORE);
        }
        const double e0 = MPI_Wtime();
        MPI_Waitall(4, req, MPI_STATUSES_IGNORE);
        exchange_ += MPI_Wtime() - e0;   // the part of the exchange the computation did not hide
        rows_parallel(a, b_, 1, 2, threads_);
        if (a.rows > 1) rows_parallel(a, b_, a.rows, a.rows + 1, threads_);
    }
    std::swap(a.u, b_.u);
}
// [overlap]

double HeatStepper::local_sum() const {
    double sum = 0.0;
    for (int r = 1; r <= a_.rows; ++r) sum = std::accumulate(a_.row(r), a_.row(r) + a_.nx, sum);
    return sum;
}

HeatTiming heat_run(MPI_Comm comm, int global_rows, int nx, int steps, Exchange mode, int threads) {
    HeatStepper run(comm, global_rows, nx, mode, threads);
    MPI_Barrier(comm);
    const double t0 = MPI_Wtime();
    for (int s = 0; s < steps; ++s) run.step();
    const double mine[2] = {MPI_Wtime() - t0, run.exchange_seconds()};
    double worst[2];
    MPI_Allreduce(mine, worst, 2, MPI_DOUBLE, MPI_MAX, comm);
    const double sum = run.local_sum();
    HeatTiming t{worst[0], worst[1], 0.0};
    MPI_Allreduce(&sum, &t.checksum, 1, MPI_DOUBLE, MPI_SUM, comm);
    return t;
}

void mandelbrot_static(MPI_Comm comm, const ch05::Frame& f, std::span<int> out, std::span<int> owner) {
    const int rank = rank_of(comm), size = size_of(comm);
    const Range mine = block_range(f.height, rank, size);
    std::vector<int> block(static_cast<std::size_t>(mine.size()) * static_cast<std::size_t>(f.width));
    for (std::int64_t r = mine.begin; r < mine.end; ++r)
        mandelbrot_row_into(f, static_cast<int>(r),
                            std::span<int>(block).subspan(static_cast<std::size_t>((r - mine.begin) * f.width),
                                                          static_cast<std::size_t>(f.width)));
    std::vector<int> counts(static_cast<std::size_t>(size)), displs(static_cast<std::size_t>(size));
    for (int q = 0; q < size; ++q) {
        const Range rq = block_range(f.height, q, size);
        counts[static_cast<std::size_t>(q)] = static_cast<int>(rq.size() * f.width);
        displs[static_cast<std::size_t>(q)] = static_cast<int>(rq.begin * f.width);
        if (rank == 0 && !owner.empty())
            for (std::int64_t r = rq.begin; r < rq.end; ++r) owner[static_cast<std::size_t>(r)] = q;
    }
    MPI_Gatherv(block.data(), static_cast<int>(block.size()), MPI_INT, rank == 0 ? out.data() : nullptr,
                counts.data(), displs.data(), MPI_INT, 0, comm);
}

}  // namespace ch09::demo
