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
