// EXERCISE 03.3 Goal: a team of processes that sums one large array in shared memory in place, at
// the speed memory delivers it: no byte copied, no process started per call.
//
// What the grade checks: the sums are exact (integer data) for every process count from 1 to two
// more than the cores and for awkward sizes (0, 1, 7, 8, ...); the same team sums again and again and
// sees every change the parent makes to the array between calls; the workers are separate child
// processes, and a worker killed from outside makes sum() throw instead of hang; sum_kernel reads
// exactly p[0] .. p[n-1] (the tests put a page that may not be read right after and right before the
// array); no slot of the control block that belongs to no worker is used; after each test no child,
// descriptor or shared-memory name is left. The speed report times your sum() against the reference
// with two processes on 2^24 doubles: at least 0.7 of its speed.
// Read first: chapters/03_shared_memory/README.md, section "Zero copy: processes summing one array in
// place"; the given half of SharedSum (constructor, control block, waiting) is in
// chapters/03_shared_memory/include/ch03/shared_sum.hpp.
// Stuck? `./wb hint 03.3` shows a hint, one stage per call.
//
// Do sum_kernel first (its test needs nothing else); then start_workers, worker_main and sum, which
// only work together.
#include "ch03/shared_sum.hpp"

#include <semaphore.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>

namespace ch03 {
WB_IMPL_BEGIN

double sum_kernel(const double* p, std::size_t n) {
    // EXERCISE: return p[0] + ... + p[n-1], reading nothing before p[0] or after p[n-1], as fast as
    // one core can: at one add per element, a sum whose every add waits for the previous one runs at
    // the adder's latency, not at the speed of memory (see the lesson).
    WB_TODO("03.3");
}

void SharedSum::start_workers() {
    // EXERCISE: when this returns, procs_ - 1 worker processes are running worker_main (worker i
    // with me = i, for i = 1 .. procs_ - 1), their pids are in workers_ in that order (the given
    // stop_workers and wait_for_workers use them), and every process, this one included (slice 0),
    // has written its own slice of the array once (the kTouch command), so that no page fault is
    // left for sum(). Only shared memory and values may pass to a worker: it lives in another
    // process, where `this` means nothing.
    WB_TODO("03.3");
}

void SharedSum::worker_main(Control* control, double* array, std::size_t n, int procs, int me) {
    // EXERCISE: worker `me` sleeps (using no CPU) until its slot's go is posted, then carries out
    // control->command on its own slice (kTouch: write zeros; kSum: put the slice's sum in its slot;
    // kQuit: end this process at once, never returning), tells the parent it is done, and sleeps
    // again. It must survive a signal interrupting its sleep.
    WB_TODO("03.3");
}

double SharedSum::sum() {
    if (std::find(workers_.begin(), workers_.end(), -1) != workers_.end())
        throw std::runtime_error("SharedSum: a worker process has died");
    // EXERCISE: return the sum of the whole array: every worker sums its slice while this process
    // sums slice 0, and the workers' partial sums are read only after all of them are done
    // (wait_for_workers), then added in slice order, so that every call on the same data gives the
    // same result.
    WB_TODO("03.3");
}

WB_IMPL_END
}  // namespace ch03
