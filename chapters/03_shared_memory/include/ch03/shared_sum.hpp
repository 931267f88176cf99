// ch03/shared_sum.hpp: exercise 03.3, several processes summing one array in shared memory.
#pragma once

#include <sys/types.h>

#include <algorithm>
#include <cstddef>
#include <span>
#include <utility>
#include <vector>

#include "ch03/process.hpp"
#include "wb/exercise.hpp"

namespace ch03 {
WB_IMPL_BEGIN

/// An array of doubles in shared memory and a team of worker processes that sum it in place.
///
/// The constructor maps the array and forks the workers once; sum() then only wakes them: no data is
/// copied and no process is started per call. The calling process is worker 0 and sums its own slice,
/// so `procs` processes work in all (procs - 1 children). Between calls the children sleep on a
/// semaphore and use no CPU.
///
///     ch03::SharedSum team(1 << 26, 2);
///     std::ranges::fill(team.data(), 1.0);  // the parent writes; the children see it, no copy
///     double s = team.sum();                  // 67108864
class SharedSum {
   public:
    static constexpr int max_procs = 64;

    /// Maps n doubles (zero) and starts procs - 1 worker processes. Every worker touches its slice
    /// once here, so the page faults happen now and not in sum(). Throws std::invalid_argument
    /// unless 1 <= procs <= max_procs, std::system_error if mmap or fork fail.
    SharedSum(std::size_t n, int procs);
    /// Stops the workers (wakes them with a quit command) and reaps them; unmaps.
    ~SharedSum();
    SharedSum(const SharedSum&) = delete;
    SharedSum& operator=(const SharedSum&) = delete;

    /// The shared array: write it from this process before calling sum().
    std::span<double> data() noexcept { return {array_, n_}; }
    std::size_t size() const noexcept { return n_; }
    int procs() const noexcept { return procs_; }
    /// The pids of the worker processes (procs - 1 of them; a reaped one shows as -1).
    const std::vector<pid_t>& workers() const noexcept { return workers_; }

    /// The sum of data(): each process sums its slice, this process adds the partial sums in slice
    /// order (so the result is the same on every call). Throws std::runtime_error if a worker has
    /// died (it does not hang waiting for it).
    double sum();

    /// [begin, end) of slice `i` of `procs` over n items: contiguous, as even as possible, every
    /// boundary a multiple of 8 doubles (one 64-byte cache line).
    static std::pair<std::size_t, std::size_t> slice(std::size_t n, int procs, int i) noexcept {
        const std::size_t lines = (n + 7) / 8;
        const auto p = static_cast<std::size_t>(procs), k = static_cast<std::size_t>(i);
        const std::size_t b = std::min(n, 8 * (lines * k / p));
        const std::size_t e = std::min(n, 8 * (lines * (k + 1) / p));
        return {b, e};
    }

   private:
    struct Control;  // lives in shared memory; defined in the .cpp
    [[noreturn]] static void worker_main(Control* control, double* array, std::size_t n, int procs, int me);
    void wait_for_workers();  // procs - 1 "done" posts, or throws if a worker died
    void stop_workers() noexcept;

    std::size_t n_;
    int procs_;
    SharedMapping control_memory_;
    SharedMapping array_memory_;
    Control* control_ = nullptr;
    double* array_ = nullptr;
    std::vector<pid_t> workers_;
};

/// The sum of n doubles, as fast as one core can stream them (the kernel every process runs).
double sum_kernel(const double* p, std::size_t n);

WB_IMPL_END
}  // namespace ch03
