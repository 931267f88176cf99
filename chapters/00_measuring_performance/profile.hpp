// The machine-profile kernels shared by ch00_program and ch00_bench: STREAM-like copy and triad,
// floating-point peak, and page-fault counting. (The exercise kernels are in include/ch00.)
#pragma once

#include <omp.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace ch00::profile {

/// Sets the OpenMP thread count for the lifetime of the object, then restores the previous one.
class OmpThreads {
public:
    explicit OmpThreads(int threads) : saved_(omp_get_max_threads()) { omp_set_num_threads(threads); }
    ~OmpThreads() { omp_set_num_threads(saved_); }
    OmpThreads(const OmpThreads&) = delete;
    OmpThreads& operator=(const OmpThreads&) = delete;

private:
    int saved_;
};

/// The three arrays of the STREAM kernels. The constructor allocates them without initialising and
/// then writes them once with the same static OpenMP schedule the kernels use (first touch), so each
/// page is faulted in before any timing and, on a multi-socket machine, lands near its thread.
struct StreamArrays {
    StreamArrays(std::size_t n, int threads);
    std::size_t n;
    std::unique_ptr<double[]> a, b, c;
    std::span<double> span_a() { return {a.get(), n}; }
    std::span<double> span_b() { return {b.get(), n}; }
    std::span<double> span_c() { return {c.get(), n}; }
};

/// Writes `value` into every element with `threads` OpenMP threads, static schedule.
void fill(std::span<double> x, double value, int threads);

/// dst[i] = src[i] on `threads` OpenMP threads, static schedule. Moves 2 * 8 * n bytes as STREAM counts.
void copy(std::span<double> dst, std::span<const double> src, int threads);

/// ch00::triad (the reference solution) on `threads` OpenMP threads. Moves 3 * 8 * n bytes.
void triad(StreamArrays& s, double scalar, int threads);

/// Bytes STREAM counts for one call of each kernel on n elements (reads plus writes, not the extra
/// read that write-allocate caches do for each written line).
inline double copy_bytes(std::size_t n) { return 2.0 * 8.0 * static_cast<double>(n); }
inline double triad_bytes(std::size_t n) { return 3.0 * 8.0 * static_cast<double>(n); }

/// Floating-point operations of fma_peak(threads, steps) and fma_one_chain(steps).
double fma_flops(int threads, std::int64_t steps);

/// ch00::fma_chains (exercise 00.4, kChains chains) on each of `threads` OpenMP threads at once, each on
/// its own values. (The machine's peak is measured with peak.hpp, in the widest vectors the CPU has.)
/// Returns a checksum of the final values (print it or pass it to a sink so the work is kept).
double fma_peak(int threads, std::int64_t steps);

/// The same operations as fma_peak(1, steps), but one chain after the other: every fma waits for the
/// previous one, so this runs at the latency of the fma unit instead of its throughput.
double fma_one_chain(std::int64_t steps);

/// Keeps a result alive: stores it into a volatile variable, which the compiler must assume is read.
void sink(double v);

/// Minor page faults of this process so far (getrusage): each first touch of a page costs one.
long minor_page_faults();

}  // namespace ch00::profile
