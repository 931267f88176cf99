// Reference solution of exercise 03.2: one counter that several processes add to.
#include "ch03/counter.hpp"

#include <sched.h>

#include <cerrno>
#include <new>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "ch03/process.hpp"

namespace ch03 {
WB_IMPL_BEGIN
namespace {

/// Given: a little work between reading the value and writing it back, as a real update would do
/// (compute something from the old value). It makes the unprotected window wide enough that two
/// processes running at once collide on most increments, so the lost updates show every time.
void widen_window() {
    volatile int sink = 0;
    for (int i = 0; i < 64; ++i) sink = sink + i;
}

/// Given: what the processes share: the counter and a start line.
struct Shared {
    explicit Shared(Sync s) : counter(s) {}
    SharedCounter counter;
    std::atomic<int> ready{0};    // children at the start line
    std::atomic<bool> go{false};  // set by the parent once all are there
};

}  // namespace

//! [init]
SharedCounter::SharedCounter(Sync sync) : sync_(sync) {
    switch (sync_) {
        case Sync::none:
        case Sync::atomic:
            break;  // value_ is ready: a lock-free atomic needs no set-up, in any process
        case Sync::mutex: {
            // Without PTHREAD_PROCESS_SHARED a mutex may keep process-private state (and the
            // kernel's futex wait is keyed by this process's address space): another process
            // would never be woken up.
            pthread_mutexattr_t attr;
            pthread_mutexattr_init(&attr);
            pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
            const int rc = pthread_mutex_init(&mutex_, &attr);
            pthread_mutexattr_destroy(&attr);
            if (rc != 0) throw std::system_error(rc, std::generic_category(), "pthread_mutex_init");
            break;
        }
        case Sync::semaphore:
            // pshared = 1: shared between processes; initial value 1: a lock that one may hold.
            if (sem_init(&sem_, 1, 1) != 0) throw std::system_error(errno, std::generic_category(), "sem_init");
            break;
    }
    initialized_ = true;  // the given destructor destroys the mutex or semaphore only then
}
//! [init]

SharedCounter::~SharedCounter() {
    if (!initialized_) return;
    if (sync_ == Sync::mutex) pthread_mutex_destroy(&mutex_);
    if (sync_ == Sync::semaphore) sem_destroy(&sem_);
}

void SharedCounter::add_one() {
    switch (sync_) {
        //! [none]
        case Sync::none: {
            // Read, compute, write back: another process may write in between, and its increment
            // is overwritten. (Atomic loads and stores keep this well-defined C++; they do not
            // make the read-modify-write indivisible.)
            const std::int64_t seen = value_.load(std::memory_order_relaxed);
            widen_window();
            value_.store(seen + 1, std::memory_order_relaxed);
            break;
        }
        //! [none]
        case Sync::atomic:
            // One indivisible read-modify-write (lock xadd on x86). Relaxed is enough: we only
            // count; nothing else is published with the counter.
            value_.fetch_add(1, std::memory_order_relaxed);
            break;
        case Sync::mutex: {
            pthread_mutex_lock(&mutex_);
            value_.store(value_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
            pthread_mutex_unlock(&mutex_);
            break;
        }
        case Sync::semaphore:
            sem_wait_retry(&sem_);
            value_.store(value_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
            sem_post(&sem_);
            break;
    }
}

//! [count]
std::int64_t count_in_processes(Sync sync, int procs, std::int64_t per_process) {
    if (procs < 1 || per_process < 0) throw std::invalid_argument("count_in_processes: procs >= 1, per_process >= 0");
    SharedMapping memory(sizeof(Shared));
    // Placement new: build the object in the shared pages, before fork, so every child sees the
    // same one (a `new Shared` would land in this process's private heap).
    Shared* shared = new (memory.data()) Shared(sync);
    struct Destroy {
        Shared* s;
        ~Destroy() { s->~Shared(); }
    } destroy{shared};

    std::vector<Child> children;  // destroyed before `memory`: an error kills and reaps them
    children.reserve(static_cast<std::size_t>(procs));
    for (int p = 0; p < procs; ++p) {
        children.emplace_back([shared, per_process] {
            shared->ready.fetch_add(1);
            while (!shared->go.load(std::memory_order_acquire)) sched_yield();
            for (std::int64_t i = 0; i < per_process; ++i) shared->counter.add_one();
        });
    }
    while (shared->ready.load() < procs) sched_yield();
    shared->go.store(true, std::memory_order_release);

    int failed = 0;
    for (auto& child : children) failed += child.wait_ok() ? 0 : 1;
    if (failed) throw std::runtime_error("count_in_processes: " + std::to_string(failed) + " child(ren) failed");
    return shared->counter.value();
}
//! [count]

WB_IMPL_END
}  // namespace ch03
