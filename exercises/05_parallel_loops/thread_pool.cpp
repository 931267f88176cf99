// EXERCISE 05.2 Goal: write the heart of a thread pool (the workers' loop, the constructor that starts
// them, submit and wait_all), so that `threads` long-lived threads run any number of jobs.
//
// What the grade checks: every job runs exactly once and its future becomes ready (an exception comes
// out of future::get()); a pool of t threads runs t jobs at the same time, on t threads that are not the
// caller's, started by the constructor and reused by submit; a job counts in unfinished() until it has
// run, and wait_all() returns only when none is left (jobs submitted by jobs included); jobs still queued
// when the pool is destroyed are run, not dropped; 0 or negative threads throw. Checked under
// ThreadSanitizer too.
// Read first: chapters/05_parallel_loops/README.md, section "A pool: start the threads once".
// Stuck? `./wb hint 05.2` shows a hint, one stage per call.
#include "ch05/thread_pool.hpp"

#include <stdexcept>
#include <utility>

namespace ch05 {
WB_IMPL_BEGIN

ThreadPool::ThreadPool(int threads) {
    if (threads < 1) throw std::invalid_argument("ThreadPool: threads < 1");
    workers_.reserve(static_cast<std::size_t>(threads));
    try {
        // EXERCISE: `threads` threads in workers_, each running this pool's worker_loop() (which you
        // write first, below).
        WB_TODO("05.2");
    } catch (...) {
        // A thread failed to start: stop the ones already running before giving up.
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        work_ready_.notify_all();
        for (auto& w : workers_) w.join();
        throw;
    }
}

ThreadPool::~ThreadPool() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    work_ready_.notify_all();
    for (auto& w : workers_) w.join();
}

std::future<void> ThreadPool::submit(std::function<void()> job) {
    // EXERCISE: the job is queued and counted as unfinished, both under the mutex (a pool that is stopping
    // refuses it with std::logic_error); one sleeping worker is woken; the caller gets a future that becomes
    // ready when the job has run and rethrows what the job threw.
    WB_TODO("05.2");
}

void ThreadPool::wait_all() {
    // EXERCISE: return only once no submitted job is unfinished, without busy-waiting, and without being
    // fooled by a spurious wake-up.
    WB_TODO("05.2");
}

void ThreadPool::worker_loop() {
    // EXERCISE: until the pool is stopping AND its queue is empty: sleep while there is nothing to do, take
    // the oldest job, run it while other workers can take jobs too, and only then count it finished (the
    // last one to finish wakes whoever waits in wait_all). Shared state is touched only under the mutex.
    WB_TODO("05.2");
}

WB_IMPL_END
}  // namespace ch05
