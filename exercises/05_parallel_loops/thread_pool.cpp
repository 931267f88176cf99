// EXERCISE 05.2 Goal: write the heart of a thread pool: the workers' loop, submit and wait_all.
//
// Steps:
//   1. worker_loop: wait on work_ready_ until there is a job or the pool is stopping; take the front job,
//      run it WITHOUT holding the mutex, then count it finished (and wake wait_all when none is left).
//      Return when the pool is stopping and the queue is empty.
//   2. The constructor: start `threads` std::threads running worker_loop().
//   3. submit: wrap the job in a std::packaged_task, keep its future, queue it under the mutex, count it
//      as unfinished, and wake one worker.
//   4. wait_all: wait on all_done_ until no job is unfinished.
// Run `./wb grade 05` to check your work.
#include "ch05/thread_pool.hpp"

#include <stdexcept>
#include <utility>

namespace ch05 {
WB_IMPL_BEGIN

ThreadPool::ThreadPool(int threads) {
    if (threads < 1) throw std::invalid_argument("ThreadPool: threads < 1");
    workers_.reserve(static_cast<std::size_t>(threads));
    try {
        // EXERCISE: start `threads` workers, each running worker_loop() (write worker_loop first).
        // Hint: workers_.emplace_back([this] { worker_loop(); });
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
    // EXERCISE: wrap job in a std::packaged_task<void()>, take its future, push the task on queue_ and
    // count it in unfinished_ (both under mutex_, refusing with std::logic_error if stopping_), then wake
    // one worker and return the future.
    // Hint: notify after releasing the lock, so the woken worker does not block on the mutex at once.
    WB_TODO("05.2");
}

void ThreadPool::wait_all() {
    // EXERCISE: block until unfinished_ is zero.
    // Hint: std::unique_lock plus all_done_.wait(lock, predicate) copes with spurious wake-ups.
    WB_TODO("05.2");
}

void ThreadPool::worker_loop() {
    // EXERCISE: loop: wait for a job or for stopping_; return if the queue is empty (then the pool is
    // stopping); move the front task out, pop it, unlock, run it, lock again, and when --unfinished_ reaches
    // zero notify all_done_.
    // Hint: never run a job while holding mutex_, or the pool runs one job at a time; a packaged_task
    // stores the job's exception in its future, so running it never throws.
    WB_TODO("05.2");
}

WB_IMPL_END
}  // namespace ch05
