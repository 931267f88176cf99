// mpi_demo.hpp: code chapter 09's program and benchmarks share (not an exercise): starting under mpirun,
// ending the whole job when a rank fails, the ping-pong, the timed stencil runs (blocking exchange,
// overlapped exchange, hybrid MPI + OpenMP) and the static split of the Mandelbrot frame.
#pragma once

#include <mpi.h>

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "ch05/kernels.hpp"
#include "ch09/heat.hpp"

namespace ch09::demo {

/// True when this process was started by an MPI launcher (mpirun, srun), false when run by hand.
bool under_launcher();

/// When not under a launcher, re-runs this program as `mpirun -n ranks --oversubscribe <this program>
/// <same arguments>` (setting OpenMPI's allow-root variables when run as root) and never returns;
/// returns at once under a launcher. Exits 1 with a message if mpirun cannot be started.
void ensure_launched(int ranks, int argc, char** argv);

/// The mpirun command line this program would be started with on `nodes` nodes of `cores` cores each,
/// one rank per node and `cores` OpenMP threads per rank (hybrid), from a hostfile.
std::string cluster_command(int nodes, int cores, const std::string& program, const std::string& args);

/// Runs `body` on every rank; if it throws on any rank, prints "rank R of N: <what>" and ends the whole
/// job with MPI_Abort (exit status 1), so that no other rank waits for ever for the one that failed.
int run_guarded(const std::function<void()>& body);

/// A communicator of the first `ranks` ranks of `comm` (MPI_COMM_NULL on the others).
MPI_Comm first_ranks(MPI_Comm comm, int ranks);

/// Ping-pong between the two ranks of `comm` (a communicator of exactly two ranks, e.g. first_ranks(world,
/// 2)): `reps` round trips of `bytes` bytes, five times; returns the median of the five one-way times in
/// seconds (half a round trip).
double pingpong_one_way(MPI_Comm comm, int bytes, int reps);

enum class Exchange { blocking, overlapped };

/// Timings of `steps` steps of the heat stencil on a global_rows x nx grid split over `comm`.
struct HeatTiming {
    double seconds = 0;           ///< wall time of all steps (the slowest rank)
    double exchange_seconds = 0;  ///< of which: time spent in the halo exchange (the slowest rank's)
    double checksum = 0;          ///< sum of the final grid (same for every split and mode)
};

/// The stencil on one rank's block, one step at a time (what heat_run and the benchmarks loop over).
class HeatStepper {
public:
    HeatStepper(MPI_Comm comm, int global_rows, int nx, Exchange mode, int threads);
    /// One step: exchange the halos (the reference exchange_halos, or non-blocking sends and receives
    /// overlapped with the interior rows), then update every own row with `threads` OpenMP threads.
    void step();
    /// Seconds this rank spent waiting for the exchange so far (for the overlapped mode: the part that
    /// the interior rows did not hide).
    double exchange_seconds() const { return exchange_; }
    /// Sum of this rank's own cells.
    double local_sum() const;

private:
    MPI_Comm comm_;
    Exchange mode_;
    int threads_, up_, down_;
    HeatBlock a_, b_;
    double exchange_ = 0.0;
};

/// Runs the stencil: each step exchanges halos (the reference exchange_halos, or non-blocking sends and
/// receives overlapped with the interior rows) and updates the rows with `threads` OpenMP threads.
HeatTiming heat_run(MPI_Comm comm, int global_rows, int nx, int steps, Exchange mode, int threads);

/// The static split of the Mandelbrot frame: rank r computes block_range(height, r, size) and rank 0
/// gathers the image (out and owner as in mandelbrot_manager_worker, on rank 0).
void mandelbrot_static(MPI_Comm comm, const ch05::Frame& f, std::span<int> out, std::span<int> owner);

}  // namespace ch09::demo
