// EXERCISE 02.3 Goal: write the pool's scheduler: whichever worker answers first gets the next task.
//
// Steps:
//   1. dispatch(): while tasks are queued, give the oldest one to an idle worker (one with a process,
//      pid > 0, and no task) with send_task(slot, task). A worker holds at most one task.
//   2. progress(): first dispatch(); then, if no worker is busy, return: there is nothing to wait for.
//   3. Wait with poll() on the sockets of all live workers (fd >= 0) for POLLIN. Its timeout is the
//      time left until the nearest deadline of a busy worker (-1 when there is none).
//   4. A failed poll with EINTR just returns (the caller calls again); other failures throw
//      std::system_error.
//   5. Every worker whose socket reported anything: receive(slot). It files the answer, or notices the
//      worker has died and replaces it.
//   6. Every busy worker whose deadline has passed: worker_timed_out(slot).
// Run `./wb grade 02` to check your work.
#include <poll.h>

#include <cerrno>
#include <chrono>
#include <system_error>
#include <vector>

#include "ch02/pool.hpp"

namespace ch02 {
WB_IMPL_BEGIN

void Pool::dispatch() {
    // EXERCISE: while tasks are queued, move the oldest (queue_.front()) to an idle worker with
    // send_task(slot, std::move(task)).
    // Hint: a worker is idle when workers_[slot].pid > 0 and it has no task; send_task marks it busy.
    WB_TODO("02.3");
}

void Pool::progress() {
    // EXERCISE: dispatch(); return if no worker is busy; poll() the sockets of all live workers for
    // POLLIN, with a timeout that ends at the nearest deadline; receive(slot) for every socket with
    // an event; worker_timed_out(slot) for every busy worker past its deadline.
    // Hint: keep a vector<pollfd> and, beside it, the slot of each entry. A deadline of
    // Clock::time_point::max() means none; std::chrono::ceil<std::chrono::milliseconds>(deadline -
    // Clock::now()) gives the poll timeout (never below 0). poll() failing with EINTR: just return.
    WB_TODO("02.3");
}

WB_IMPL_END
}  // namespace ch02
