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
    for (std::size_t slot = 0; slot < workers_.size() && !queue_.empty(); ++slot) {
        const Worker& w = workers_[slot];
        if (w.pid < 0 || w.task) continue;  // no process, or busy
        Queued next = std::move(queue_.front());
        queue_.pop_front();
        send_task(slot, std::move(next));
    }
}

void Pool::progress() {
    dispatch();
    std::vector<pollfd> fds;
    std::vector<std::size_t> slots;
    bool busy = false;
    auto nearest = Clock::time_point::max();
    for (std::size_t slot = 0; slot < workers_.size(); ++slot) {
        const Worker& w = workers_[slot];
        if (w.fd < 0) continue;
        fds.push_back({w.fd, POLLIN, 0});
        slots.push_back(slot);
        if (w.task) {
            busy = true;
            nearest = std::min(nearest, w.task->deadline);
        }
    }
    if (!busy) return;

    int timeout_ms = -1;
    if (nearest != Clock::time_point::max()) {
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(nearest - Clock::now());
        timeout_ms = static_cast<int>(std::max<std::chrono::milliseconds::rep>(0, left.count()));
    }
    if (::poll(fds.data(), fds.size(), timeout_ms) < 0) {
        if (errno == EINTR) return;
        throw std::system_error(errno, std::generic_category(), "poll");
    }
    for (std::size_t i = 0; i < fds.size(); ++i)
        if (fds[i].revents != 0) receive(slots[i]);

    const auto now = Clock::now();
    for (std::size_t slot = 0; slot < workers_.size(); ++slot)
        if (workers_[slot].task && workers_[slot].task->deadline <= now) worker_timed_out(slot);
}

WB_IMPL_END
}  // namespace ch02
