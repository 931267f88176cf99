// loops.hpp: the variants that the program and the benchmarks of chapter 05 compare. Not exercises:
// they build on the reference solutions (chunk_range, ThreadPool) and on ch05/kernels.hpp.
#pragma once

#include <omp.h>

#include <span>
#include <string>
#include <vector>

#include "ch05/kernels.hpp"
#include "ch05/schedule_model.hpp"
#include "ch05/thread_pool.hpp"

namespace ch05::demo {

// ---- the elementwise kernel, out[i] = kernel(x[i], y[i]) -------------------------------------------
void evaluate_serial(std::span<const double> x, std::span<const double> y, std::span<double> out);
/// One job per chunk on an existing pool (threads already running), then wait for the futures.
void evaluate_pool(ThreadPool& pool, std::span<const double> x, std::span<const double> y, std::span<double> out,
                   int chunks);
/// OpenMP parallel for, static schedule.
void evaluate_omp(std::span<const double> x, std::span<const double> y, std::span<double> out, int threads);
/// The same loop with std::transform and an execution policy: "seq", "par" or "par_unseq".
/// Returns false (and does nothing) if this build has no parallel algorithms.
bool evaluate_std(const std::string& policy, std::span<const double> x, std::span<const double> y,
                  std::span<double> out);
/// True if this build was made with the C++17 parallel algorithms (TBB found, not a TSan build).
bool have_parallel_stl();
/// One line saying whether the parallel algorithms are in this build, and why not.
std::string parallel_stl_status();

// ---- the Mandelbrot rows under an OpenMP schedule chosen at run time -------------------------------
/// What each thread did during one run: seconds from entering the loop to finishing its last row.
struct ThreadLoad {
    std::vector<double> busy_seconds;
    std::vector<int> rows;
    /// Longest busy time / mean busy time (1 = perfectly balanced).
    double imbalance() const { return ch05::imbalance(busy_seconds); }
};
ThreadLoad mandelbrot_scheduled(const Frame& f, std::span<int> out, int threads, LoopSchedule s);
void mandelbrot_serial(const Frame& f, std::span<int> out);

// ---- sums --------------------------------------------------------------------------------------------
double sum_serial(std::span<const double> x);                  ///< one accumulator, index order
double sum_omp(std::span<const double> x, int threads);        ///< OpenMP reduction(+)
double sum_compensated(std::span<const double> x);             ///< Neumaier, serial
double sum_std_reduce(std::span<const double> x, bool& ok);    ///< std::reduce(par); ok=false if unavailable

}  // namespace ch05::demo
