// EXERCISE 03.3 Goal: several processes sum one large array in shared memory, in place, at the speed of memory.
//
// Steps:
//   1. sum_kernel(): a sum of n doubles that one core runs as fast as memory delivers them.
//   2. The constructor: fork the procs - 1 workers once, then run one "touch" round.
//   3. worker_main(): the loop every worker runs: sleep until woken, do the command, report.
//   4. sum(): wake the workers, sum your own slice, wait for them, add the partial sums.
// The control block, waiting with a dead-worker check, and stopping the workers are given.
// Run `./wb grade 03` to check your work (it also times your sum() against the reference).
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
    // EXERCISE: return p[0] + ... + p[n-1], fast.
    // Hint: one running sum makes every add wait for the previous one (about 4 cycles each): keep
    // several independent partial sums (e.g. an array of 16, added to in an inner loop of 16 that the
    // compiler turns into vector adds), then add them up and the leftover tail at the end.
    WB_TODO("03.3");
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
        // EXERCISE: start the team.
        //   a. For i = 1 .. procs-1 fork a worker with fork_child (ch03/process.hpp) running
        //      worker_main(control_, array_, n, procs, i), and push its pid onto workers_.
        //   b. Touch round: set control_->command to kTouch, post every worker's slots[i].go, write
        //      zeros into your own slice (slice(n_, procs_, 0)) and wait_for_workers().
        // Hint: capture copies (control_, array_, n, procs, i) in the lambda, not `this`; worker_main
        // never returns. The touch round makes each process map its slice's pages now, so that no
        // page fault lands in a timed sum() later.
        WB_TODO("03.3");
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
    // EXERCISE: forever: sem_wait_retry on control->slots[me].go; then read control->command:
    // kQuit: _exit(0); kTouch: write 0.0 over your slice; kSum: store sum_kernel of your slice in
    // control->slots[me].partial. After kTouch and kSum, sem_post(&control->done).
    // Hint: your slice is slice(n, procs, me). sem_post and sem_wait order memory between the
    // processes: what the parent wrote before posting is visible after your wait, and your partial
    // sum is visible to the parent after its wait on done.
    WB_TODO("03.3");
}
//! [worker]

//! [sum]
double SharedSum::sum() {
    if (std::find(workers_.begin(), workers_.end(), -1) != workers_.end())
        throw std::runtime_error("SharedSum: a worker process has died");
    // EXERCISE: set the command to kSum, post each worker's go semaphore, sum your own slice
    // (slice 0) meanwhile, wait_for_workers(), then add slots[1..procs-1].partial to your sum in
    // that order, and return it.
    // Hint: a fixed order of adding the partial sums gives the same result on every call.
    WB_TODO("03.3");
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
