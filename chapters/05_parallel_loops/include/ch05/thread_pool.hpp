// ch05/thread_pool.hpp: exercise 05.2, a small pool of worker threads that run submitted jobs.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "wb/exercise.hpp"

namespace ch05 {

WB_IMPL_BEGIN

// [pool_interface]
/// A fixed set of worker threads that take jobs from one shared queue, first in, first out.
/// Starting a thread costs tens of microseconds; a pool pays it once and then hands out work for the
/// price of a mutex and a condition variable.
class ThreadPool {
public:
    /// Starts `threads` workers (threads >= 1, else std::invalid_argument).
    explicit ThreadPool(int threads);
    /// Runs every job still queued, then stops and joins the workers.
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    /// Queues `job` and returns at once. The future becomes ready when the job has run; an exception
    /// thrown by the job is rethrown by future::get(). Jobs may submit further jobs.
    std::future<void> submit(std::function<void()> job);
    /// Blocks until every job submitted so far (and every job those submitted) has finished.
    void wait_all();
    /// Number of worker threads.
    int size() const { return static_cast<int>(workers_.size()); }
    /// Jobs submitted and not yet finished (queued or running), at the moment of the call.
    std::size_t unfinished() const {
        std::lock_guard lock(mutex_);
        return unfinished_;
    }

private:
    void worker_loop();  ///< what each worker runs until the pool stops

    mutable std::mutex mutex_;                       // guards everything below except workers_
    std::condition_variable work_ready_;             // a job was queued, or the pool is stopping
    std::condition_variable all_done_;               // unfinished_ dropped to zero
    std::deque<std::packaged_task<void()>> queue_;   // jobs not yet started
    std::size_t unfinished_ = 0;                     // jobs submitted and not yet finished
    bool stopping_ = false;
    std::vector<std::thread> workers_;
};
// [pool_interface]

WB_IMPL_END

}  // namespace ch05
