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
        for (int i = 0; i < threads; ++i) workers_.emplace_back([this] { worker_loop(); });
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
    std::packaged_task<void()> task(std::move(job));
    std::future<void> done = task.get_future();
    {
        std::lock_guard lock(mutex_);
        if (stopping_) throw std::logic_error("ThreadPool::submit: the pool is stopping");
        queue_.push_back(std::move(task));
        ++unfinished_;
    }
    work_ready_.notify_one();
    return done;
}

void ThreadPool::wait_all() {
    std::unique_lock lock(mutex_);
    all_done_.wait(lock, [this] { return unfinished_ == 0; });
}

void ThreadPool::worker_loop() {
    std::unique_lock lock(mutex_);
    for (;;) {
        work_ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, and nothing left to run
        std::packaged_task<void()> task = std::move(queue_.front());
        queue_.pop_front();
        lock.unlock();
        task();  // an exception thrown by the job is stored in its future
        lock.lock();
        if (--unfinished_ == 0) all_done_.notify_all();
    }
}

WB_IMPL_END
}  // namespace ch05
