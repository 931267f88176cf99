// ch03/counter.hpp: exercise 03.2, one counter that several processes add to.
#pragma once

#include <pthread.h>
#include <semaphore.h>

#include <atomic>
#include <cstdint>

#include "wb/exercise.hpp"

namespace ch03 {

/// How the processes keep their increments from getting lost.
enum class Sync {
    none,       ///< none at all: read the value, then write value + 1 (loses updates)
    atomic,     ///< std::atomic fetch_add, one indivisible read-modify-write
    mutex,      ///< a pthread mutex that works between processes
    semaphore,  ///< a POSIX semaphore, shared between processes, used as a lock
};

/// The name of `s` ("none", "atomic", ...), for tables.
inline const char* to_string(Sync s) {
    switch (s) {
        case Sync::none:
            return "none";
        case Sync::atomic:
            return "atomic";
        case Sync::mutex:
            return "mutex";
        case Sync::semaphore:
            return "semaphore";
    }
    return "?";
}

WB_IMPL_BEGIN

/// A counter that lives in shared memory and is used by every process that maps it.
///
/// Construct it with placement new in memory shared between the processes (before forking them),
/// and destroy it explicitly when they are done:
///
///     auto* c = new (mapping.data()) SharedCounter(Sync::mutex);
///     ... fork, every process calls c->add_one() ...
///     c->~SharedCounter();
///
/// Everything in it must work from any process at any address: lock-free atomics do (they are plain
/// memory plus atomic instructions), and so do pthread mutexes and semaphores created as
/// process-shared. Pointers, std::mutex, std::vector and std::string do not.
class SharedCounter {
   public:
    explicit SharedCounter(Sync sync);
    ~SharedCounter();
    SharedCounter(const SharedCounter&) = delete;
    SharedCounter& operator=(const SharedCounter&) = delete;

    /// Adds one, protected as sync() says (Sync::none: not protected at all).
    void add_one();
    /// The current value (exact once every process that adds has finished).
    std::int64_t value() const noexcept { return value_.load(std::memory_order_acquire); }
    Sync sync() const noexcept { return sync_; }

   private:
    Sync sync_;
    bool initialized_ = false;  ///< the mutex or semaphore below was set up (the destructor checks)
    std::atomic<std::int64_t> value_{0};
    pthread_mutex_t mutex_;
    sem_t sem_;
};

static_assert(std::atomic<std::int64_t>::is_always_lock_free,
              "an atomic shared between processes must be lock-free (no hidden lock inside this process)");

/// Forks `procs` child processes that each call add_one() `per_process` times on one SharedCounter
/// in anonymous shared memory, waits for all of them and returns the final value. The children start
/// together (they wait at a start line until all are forked), so they really overlap. With
/// Sync::none the result is usually less than procs * per_process. Throws std::invalid_argument
/// if procs < 1 or per_process < 0, std::runtime_error if a child fails.
std::int64_t count_in_processes(Sync sync, int procs, std::int64_t per_process);

WB_IMPL_END
}  // namespace ch03
