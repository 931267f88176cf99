// ch03/shared_sum.hpp: exercise 03.3, several processes summing one array in shared memory.
//
// The exercise is sum_kernel, start_workers, worker_main and sum (in the .cpp); everything defined in
// this header is given: the control block the processes share, the constructor and destructor,
// waiting for the workers (without waiting forever for a dead one) and stopping them.
#pragma once

#include <semaphore.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstddef>
#include <limits>
#include <new>
#include <span>
#include <stdexcept>
#include <string>
#include <system_error>
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
    /// What a worker is told to do when its "go" semaphore is posted.
    enum Command : int { kSum, kTouch, kQuit };
    struct Control;  // lives in shared memory; defined below
    /// Exercise: forks the procs - 1 workers and runs the first-touch round (the constructor calls it).
    void start_workers();
    /// Exercise: the loop of worker `me` (1 .. procs-1), in its own process; never returns.
    [[noreturn]] static void worker_main(Control* control, double* array, std::size_t n, int procs, int me);
    /// Given: waits for procs - 1 "done" posts, or throws if a worker died.
    void wait_for_workers();
    /// Given: a "go" posted to a slot that no worker owns is an error in the caller (std::logic_error).
    void check_unused_slots() const;
    /// Given: tells every worker to quit and reaps it.
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
/// Reads p[0] .. p[n-1] and nothing else.
double sum_kernel(const double* p, std::size_t n);

// -------------------------------------------------------------------------------------------------
// Given from here on.

/// One worker's slot in the control block: a cache line of its own, so that worker i writing its
/// partial sum does not disturb the line that worker j waits on.
struct alignas(64) WorkerSlot {
    sem_t go;        ///< the parent posts: "start the command"
    double partial;  ///< the worker's result for kSum
};

/// The control block, in its own shared mapping. Slot i belongs to worker i (1 .. procs-1); slot 0
/// and the slots from procs on belong to nobody.
struct SharedSum::Control {
    std::atomic<int> command{kSum};
    sem_t done;  ///< every worker posts it once per command
    WorkerSlot slots[max_procs];
};

inline SharedSum::SharedSum(std::size_t n, int procs) : n_(n), procs_(procs) {
    if (procs < 1 || procs > max_procs) throw std::invalid_argument("SharedSum: procs must be in [1, 64]");
    control_memory_ = SharedMapping(sizeof(Control));
    control_ = new (control_memory_.data()) Control();
    sem_init(&control_->done, 1, 0);  // pshared = 1: posted and waited on by different processes
    for (auto& slot : control_->slots) {
        sem_init(&slot.go, 1, 0);
        // A partial sum that no worker has written is NaN: added to a total by mistake, it shows.
        slot.partial = std::numeric_limits<double>::quiet_NaN();
    }
    array_memory_ = SharedMapping(n * sizeof(double));  // n = 0: no mapping, data() is empty
    array_ = array_memory_.as<double>();
    try {
        start_workers();
    } catch (...) {
        stop_workers();
        sem_destroy(&control_->done);
        for (auto& slot : control_->slots) sem_destroy(&slot.go);
        throw;
    }
}

inline SharedSum::~SharedSum() {
    stop_workers();
    sem_destroy(&control_->done);
    for (auto& slot : control_->slots) sem_destroy(&slot.go);
    control_->~Control();
}

inline void SharedSum::check_unused_slots() const {
    for (int i = 0; i < max_procs; ++i) {
        if (i >= 1 && i < procs_) continue;  // a worker's slot
        int value = 0;
        sem_getvalue(&control_->slots[i].go, &value);
        if (value != 0)
            throw std::logic_error("SharedSum: slot " + std::to_string(i) + "'s go semaphore was posted, but no worker " +
                                   "owns slot " + std::to_string(i) + " (the workers are 1 .. procs - 1)");
    }
}

// [wait]
/// Waits for procs - 1 posts on `done`. Every 50 ms without news it checks (waitpid with WNOHANG)
/// whether a worker has died; if one has, it is reaped and this throws instead of waiting forever for
/// a post that will never come.
inline void SharedSum::wait_for_workers() {
    check_unused_slots();
    int pending = procs_ - 1;
    while (pending > 0) {
        timespec deadline{};
        clock_gettime(CLOCK_MONOTONIC, &deadline);
        deadline.tv_nsec += 50'000'000;
        if (deadline.tv_nsec >= 1'000'000'000) {
            deadline.tv_sec += 1;
            deadline.tv_nsec -= 1'000'000'000;
        }
        if (sem_clockwait(&control_->done, CLOCK_MONOTONIC, &deadline) == 0) {
            --pending;
            continue;
        }
        if (errno == EINTR) continue;
        if (errno != ETIMEDOUT) throw std::system_error(errno, std::generic_category(), "sem_clockwait");
        bool died = false;
        for (auto& pid : workers_) {
            if (pid <= 0) continue;
            int status = 0;
            const pid_t r = ::waitpid(pid, &status, WNOHANG);
            if (r == pid || (r < 0 && errno == ECHILD)) {  // dead: reaped now (or by someone else)
                pid = -1;                                  // no zombie left, and stop_workers() skips it
                died = true;
            }
        }
        if (died) throw std::runtime_error("SharedSum: a worker process died");
    }
}
// [wait]

/// Tells every worker to quit and reaps it; kills one that does not quit within a second.
inline void SharedSum::stop_workers() noexcept {
    control_->command.store(kQuit, std::memory_order_relaxed);
    for (std::size_t i = 0; i < workers_.size(); ++i) sem_post(&control_->slots[i + 1].go);
    for (auto& pid : workers_) {
        if (pid <= 0) continue;
        int status = 0;
        bool gone = false;
        for (int tries = 0; tries < 1000 && !gone; ++tries) {
            gone = ::waitpid(pid, &status, WNOHANG) == pid;
            if (!gone) ::usleep(1000);
        }
        if (!gone) kill_and_reap(pid);
        pid = -1;
    }
    workers_.clear();
}

WB_IMPL_END
}  // namespace ch03
