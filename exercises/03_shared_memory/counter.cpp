// EXERCISE 03.2 Goal: one counter in shared memory that several processes add to without losing a
// single increment, protected in three ways (an atomic, a mutex, a semaphore) whose costs the
// chapter then compares.
//
// What the grade checks: the counts are exact for every kind of protection and every process count
// from 1 to two more than the cores; forked children that add to one counter lose nothing and never
// wait forever, both when they run at once on different cores and when they take turns on one core
// (a process preempted in the middle of an increment, or asleep waiting for a lock that another
// process releases); the unprotected Sync::none does lose updates; after each test no child process,
// descriptor or shared-memory name is left.
// Read first: chapters/03_shared_memory/README.md, sections "What may live in shared memory" and
// "Lost updates".
// Stuck? `./wb hint 03.2` shows a hint, one stage per call.
//
// The three parts can be done in any order; count_in_processes needs the other two to give exact
// counts.
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
    // EXERCISE: when the constructor returns, the protection that sync_ names is ready for every
    // process that maps this object: for Sync::mutex the mutex in mutex_, for Sync::semaphore the
    // semaphore in sem_, used as a lock that one process at a time holds. Each must work between
    // processes: a process that waits for it is woken when a process other than itself releases it.
    // Sync::none and Sync::atomic need nothing. A failure to set up is a std::system_error.
    WB_TODO("03.2");
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
        case Sync::mutex:
        case Sync::semaphore:
            // EXERCISE: add one to value_ so that no increment is ever lost, whichever process runs
            // this and whenever it is interrupted, with the protection that sync_ names: for
            // Sync::atomic one indivisible operation on value_ (no lock); for Sync::mutex and
            // Sync::semaphore the read and the write of value_, as in Sync::none above, happen while
            // this process holds mutex_ or sem_, and it is released afterwards. A wait that a signal
            // interrupts is retried (ch03/process.hpp has a helper for that).
            WB_TODO("03.2");
    }
}

//! [count]
std::int64_t count_in_processes(Sync sync, int procs, std::int64_t per_process) {
    if (procs < 1 || per_process < 0) throw std::invalid_argument("count_in_processes: procs >= 1, per_process >= 0");
    SharedMapping memory(sizeof(Shared));
    // EXERCISE: return the counter's value after `procs` child processes have each called add_one()
    // `per_process` times on one counter that they all share. It must live in `memory`: a child
    // forked later sees the same pages there, while any other object of the parent is a private
    // copy in the child. The children start adding only when all of them exist (the given Shared has
    // a start line), so that they really run at once; a process waiting at the start line gives its
    // CPU away instead of spinning on it. Every child is waited for before the value is read, also
    // when something fails, and the Shared is destroyed at the end. A failed child is a
    // std::runtime_error.
    WB_TODO("03.2");
}
//! [count]

WB_IMPL_END
}  // namespace ch03
