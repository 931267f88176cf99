// ch02/pool.hpp: a process pool built on fork, with tasks and results sent through sockets.
//
//     ch02::FunctionTable table;                          // 1. the functions workers can run
//     auto square = table.add<long(int)>("square", [](int x) { return long{x} * x; });
//     ch02::Pool pool(std::move(table), {.workers = 2});  // 2. fork the workers, once
//     auto f = pool.submit(square, 7);                    // 3. send tasks ...
//     long r = f.get();                                   //    ... and wait for their results
//
// Where the parts are:
//   ch02/pool.hpp        (this file, given) what a user of the pool calls: Pool, Future
//   ch02/pool_core.hpp   (given) the machinery: fork, send, receive, reap, replace, shut down
//   ch02/scheduler.hpp   exercise 02.3: dispatch() and progress(), which drive the machinery
//   ch02/worker_loop.hpp exercise 02.1: what each worker process runs
//   ch02/dead_worker.hpp exercise 02.2: reaping a worker and saying how it ended
//
// Design. The parent is single-threaded: nothing happens in the background. A call that needs a result
// (Future::get, Pool::wait) drives the pool itself, in progress(): it hands queued tasks to idle
// workers and waits with poll() for whichever worker answers first. Each worker holds at most one task
// at a time, so a worker that finishes early is the first to get the next one: the hand-out is
// dynamic, fast workers take more.
//
// A Pool is not thread-safe: create and use it from one thread, the same thread that keeps it alive.
#pragma once

#include <sys/types.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "ch02/functions.hpp"
#include "ch02/pool_core.hpp"
#include "ch02/scheduler.hpp"
#include "ch02/wire.hpp"
#include "wb/exercise.hpp"

namespace ch02 {
WB_IMPL_BEGIN

class Pool;

/// The result of one submitted task, to be collected once with get(). Must not outlive its pool.
/// Dropping a Future without calling get() discards the task (or its result).
template <class R>
class Future {
   public:
    Future(Pool& pool, TaskId id) : pool_(&pool), id_(id) {}
    Future(Future&& other) noexcept : pool_(std::exchange(other.pool_, nullptr)), id_(other.id_) {}
    Future& operator=(Future&& other) noexcept;
    Future(const Future&) = delete;
    Future& operator=(const Future&) = delete;
    ~Future();

    /// Waits for the task and returns its result. Throws TaskError if the task failed, BrokenPool if the
    /// pool broke, std::logic_error if called twice.
    R get();
    TaskId id() const { return id_; }

   private:
    Pool* pool_;
    TaskId id_;
};

class Pool {
   public:
    /// Forks the workers; each gets a copy of `table`. Throws std::system_error if a fork fails
    /// (after reaping the workers already started).
    explicit Pool(FunctionTable table, PoolOptions options = {}) : core_(std::move(table), options) {}
    Pool(const Pool&) = delete;
    Pool& operator=(const Pool&) = delete;

    /// Queues a call of `fn` with `args` and hands it to an idle worker if there is one.
    template <class R, class... A>
    Future<R> submit(Fn<R(A...)> fn, const std::type_identity_t<A>&... args) {
        Writer w;
        (w.put(args), ...);
        return Future<R>(*this, submit_raw(fn.id, w.take()));
    }
    /// Queues a task with already serialized arguments and hands it to an idle worker if there is
    /// one; returns its id for wait() or discard().
    TaskId submit_raw(FnId fn, Bytes args) {
        const TaskId id = core_.submit(fn, std::move(args));
        dispatch(core_);
        return id;
    }
    /// Drives the pool until task `id` has ended, and returns (and forgets) its outcome.
    /// Throws std::invalid_argument for an id that is not outstanding, BrokenPool if the pool broke.
    Outcome wait(TaskId id) {
        if (core_.closed()) throw std::logic_error("the pool has been shut down");
        if (!core_.outstanding(id))
            throw std::invalid_argument("task " + std::to_string(id) + " is not outstanding");
        while (!core_.finished(id)) {
            core_.check_usable();
            progress(core_);
        }
        return core_.collect(id);
    }
    /// Forgets task `id`: removes it from the queue, or drops its result when it arrives. No-op if unknown.
    void discard(TaskId id) noexcept { core_.discard(id); }
    /// Stops every worker and reaps it: busy ones are killed, idle ones see their socket close and exit.
    /// The destructor does it too (also when an exception unwinds); the pool cannot be used afterwards.
    void shutdown() noexcept { core_.shutdown(); }

    std::size_t size() const { return core_.size(); }
    /// Process ids of the live workers, by slot.
    std::vector<pid_t> pids() const { return core_.pids(); }
    /// The worker running task `id`, if it is running now.
    std::optional<pid_t> pid_running(TaskId id) const { return core_.pid_running(id); }
    /// Tasks submitted and not yet collected (queued, running, or finished and waiting for wait()).
    std::size_t outstanding() const { return core_.outstanding(); }
    const PoolStats& stats() const { return core_.stats(); }
    const FunctionTable& functions() const { return core_.functions(); }

   private:
    PoolCore core_;
};

template <class R>
Future<R>& Future<R>::operator=(Future&& other) noexcept {
    if (this != &other) {
        if (pool_) pool_->discard(id_);
        pool_ = std::exchange(other.pool_, nullptr);
        id_ = other.id_;
    }
    return *this;
}

template <class R>
Future<R>::~Future() {
    if (pool_) pool_->discard(id_);
}

template <class R>
R Future<R>::get() {
    if (!pool_) throw std::logic_error("Future::get called twice");
    Pool* pool = std::exchange(pool_, nullptr);
    Outcome out = pool->wait(id_);
    if (!out.ok) throw TaskError(id_, out.error);
    if constexpr (!std::is_void_v<R>) {
        Reader r(out.value);
        R value = r.get<R>();
        r.expect_end();
        return value;
    }
}

WB_IMPL_END
}  // namespace ch02
