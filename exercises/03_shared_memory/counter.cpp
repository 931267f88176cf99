// EXERCISE 03.2 Goal: one counter that several processes add to without losing a single increment.
//
// Steps:
//   1. The constructor: set up the protection Sync asks for, usable from every process.
//   2. add_one(): one increment under that protection (Sync::none, the broken way, is given).
//   3. count_in_processes(): build the counter in shared memory, fork the processes, let them add,
//      wait for them and return the total.
// Run `./wb grade 03` to check your work.
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
    // EXERCISE: set up what sync_ needs, then set initialized_ = true.
    //   Sync::none, Sync::atomic: nothing (value_ is a lock-free atomic, already 0).
    //   Sync::mutex: a pthread mutex that works across processes.
    //   Sync::semaphore: a semaphore shared between processes, starting at 1 (a lock that one may hold).
    //   Throw std::system_error if initialization fails.
    // Hint: pthread_mutexattr_init, pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED),
    // pthread_mutex_init(&mutex_, &attr), pthread_mutexattr_destroy; sem_init(&sem_, 1, 1). The pthread
    // functions return an error number (they do not set errno).
    WB_TODO("03.2");
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
        case Sync::mutex:
        case Sync::semaphore:
            // EXERCISE: add one so that no increment can be lost. Sync::atomic: a single atomic
            // read-modify-write on value_. Sync::mutex / Sync::semaphore: hold the lock (mutex_ /
            // sem_) around the read and the write of value_, as in Sync::none.
            // Hint: value_.fetch_add(1, std::memory_order_relaxed); pthread_mutex_lock / unlock;
            // sem_wait_retry(&sem_) (from ch03/process.hpp, retries after EINTR) / sem_post.
            WB_TODO("03.2");
    }
}

//! [count]
std::int64_t count_in_processes(Sync sync, int procs, std::int64_t per_process) {
    if (procs < 1 || per_process < 0) throw std::invalid_argument("count_in_processes: procs >= 1, per_process >= 0");
    SharedMapping memory(sizeof(Shared));
    // EXERCISE: run the experiment in `memory` (shared with every child forked from now on).
    //   a. Build a Shared there with placement new: new (memory.data()) Shared(sync).
    //   b. Fork procs children (a std::vector<Child>; see ch03/process.hpp): each adds 1 to
    //      shared->ready, waits until shared->go is true, then calls counter.add_one() per_process times.
    //   c. Wait until all procs are ready, set go, wait for every child (Child::wait_ok), read the
    //      counter's value, destroy the Shared (call its destructor), and return the value; throw
    //      std::runtime_error if a child failed.
    // Hint: a Child's body ends with _exit in the child, never returning here. While waiting at the
    // start line, call sched_yield() so a waiting process gives its core to one that has work.
    WB_TODO("03.2");
}
//! [count]

WB_IMPL_END
}  // namespace ch03
