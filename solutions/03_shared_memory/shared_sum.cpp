// Reference solution of exercise 03.3: several processes summing one array in shared memory.
#include "ch03/shared_sum.hpp"

#include <semaphore.h>
#include <sys/wait.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <new>
#include <stdexcept>
#include <system_error>

namespace ch03 {
WB_IMPL_BEGIN
namespace {
enum Command : int { kSum, kTouch, kQuit };
}

// Given: the control block, in its own shared mapping. One cache line per worker, so that worker
// i writing its partial sum does not disturb the line worker j is polling.
struct alignas(64) WorkerSlot {
    sem_t go;        // the parent posts: "start the command"
    double partial;  // the worker's result for kSum
};

struct SharedSum::Control {
    std::atomic<int> command{kSum};
    sem_t done;  // every worker posts once per command
    WorkerSlot slots[max_procs];
};

//! [kernel]
double sum_kernel(const double* p, std::size_t n) {
    // Sixteen independent partial sums: the compiler keeps them in four 256-bit registers, and the
    // adds of one step do not wait for each other (one running sum would wait ~4 cycles per add).
    constexpr std::size_t kLanes = 16;
    double acc[kLanes] = {};
    std::size_t i = 0;
    for (; i + kLanes <= n; i += kLanes) {
        for (std::size_t k = 0; k < kLanes; ++k) acc[k] += p[i + k];
    }
    double s = 0.0;
    for (; i < n; ++i) s += p[i];
    for (double a : acc) s += a;
    return s;
}
//! [kernel]

SharedSum::SharedSum(std::size_t n, int procs) : n_(n), procs_(procs) {
    if (procs < 1 || procs > max_procs) throw std::invalid_argument("SharedSum: procs must be in [1, 64]");
    control_memory_ = SharedMapping(sizeof(Control));
    control_ = new (control_memory_.data()) Control();
    sem_init(&control_->done, 1, 0);  // pshared = 1: posted and waited on by different processes
    for (auto& slot : control_->slots) sem_init(&slot.go, 1, 0);
    array_memory_ = SharedMapping(n * sizeof(double));  // n = 0: no mapping, data() is empty
    array_ = array_memory_.as<double>();
    try {
        //! [start]
        // Fork once. Each child inherits both mappings (the same physical pages as ours) and
        // loops in worker_main until told to quit; it never returns here.
        for (int i = 1; i < procs; ++i) {
            Control* control = control_;
            double* array = array_;
            workers_.push_back(fork_child([control, array, n, procs, i] { worker_main(control, array, n, procs, i); }));
        }
        // First touch: each process writes its own slice, so every process has its slice's pages
        // mapped before the first timed sum (a page fault costs more than reading the whole page).
        control_->command.store(kTouch, std::memory_order_relaxed);
        for (int i = 1; i < procs; ++i) sem_post(&control_->slots[i].go);
        const auto [b, e] = slice(n_, procs_, 0);
        std::fill(array_ + b, array_ + e, 0.0);
        wait_for_workers();
        //! [start]
    } catch (...) {
        stop_workers();
        throw;
    }
}

SharedSum::~SharedSum() {
    stop_workers();
    sem_destroy(&control_->done);
    for (auto& slot : control_->slots) sem_destroy(&slot.go);
    control_->~Control();
}

//! [worker]
void SharedSum::worker_main(Control* control, double* array, std::size_t n, int procs, int me) {
    const auto [b, e] = slice(n, procs, me);
    for (;;) {
        sem_wait_retry(&control->slots[me].go);  // sleeps in the kernel: no CPU used while idle
        // sem_post/sem_wait order memory: what the parent wrote before posting is visible here.
        switch (control->command.load(std::memory_order_relaxed)) {
            case kQuit:
                ::_exit(0);
            case kTouch:
                std::fill(array + b, array + e, 0.0);
                break;
            default:
                control->slots[me].partial = sum_kernel(array + b, e - b);
                break;
        }
        sem_post(&control->done);
    }
}
//! [worker]

//! [sum]
double SharedSum::sum() {
    if (std::find(workers_.begin(), workers_.end(), -1) != workers_.end())
        throw std::runtime_error("SharedSum: a worker process has died");
    control_->command.store(kSum, std::memory_order_relaxed);
    for (int i = 1; i < procs_; ++i) sem_post(&control_->slots[i].go);
    const auto [b, e] = slice(n_, procs_, 0);
    double total = sum_kernel(array_ + b, e - b);  // our own slice while the workers do theirs
    wait_for_workers();
    for (int i = 1; i < procs_; ++i) total += control_->slots[i].partial;  // fixed order: same result every call
    return total;
}
//! [sum]

// Given: waits for procs - 1 posts on `done`. Every 50 ms without news it checks (waitpid with
// WNOHANG) whether a worker has died; if one has, it is reaped and this throws instead of waiting
// forever for a post that will never come.
//! [wait]
void SharedSum::wait_for_workers() {
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
//! [wait]

// Given: tells every worker to quit and reaps it; kills one that does not quit within a second.
void SharedSum::stop_workers() noexcept {
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
