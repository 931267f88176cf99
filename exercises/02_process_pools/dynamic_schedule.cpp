// EXERCISE 02.3 Goal: the pool's scheduler. Whichever worker is free gets the next task, and the
// parent sleeps until some worker has something to say or a task's deadline passes, never longer and
// never in a busy loop. That is what makes the hand-out dynamic: fast workers take more tasks.
//
// What the grade checks: results of many tasks on 1 to (cores + 2) workers; while one worker is held
// inside a task, the others run every other task (which worker ran which task is recorded); a
// task's crash (SIGSEGV, abort, kill -9 from outside) fails that task only, names task and signal,
// and the worker is reaped and replaced; a task past its deadline is stopped with "timed out"; idle
// workers killed from outside are replaced without losing a task; nothing is left behind.
// Speed report: the Mandelbrot set in 4-row tasks, at least 0.8 of the reference's speed.
// Read first: chapters/02_process_pools/README.md, section "One task per worker, and whoever answers
// first gets the next"; the interface is chapters/02_process_pools/include/ch02/scheduler.hpp.
// Stuck? `./wb hint 02.3` shows a hint, one stage per call.
#include "ch02/scheduler.hpp"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <system_error>
#include <vector>

namespace ch02 {
WB_IMPL_BEGIN

void dispatch(PoolCore& pool) {
    // EXERCISE: when this returns, no task is queued or no worker is idle; every task that left the
    // queue went to a worker that was idle, oldest task first. It never waits.
    WB_TODO("02.3");
}

void progress(PoolCore& pool) {
    // EXERCISE: after dispatching, if some worker is busy: the parent has slept until *any* worker's
    // socket was readable or the nearest deadline came (without spinning); every readable socket has
    // then been received from, and every busy worker past its deadline timed out.
    WB_TODO("02.3");
}

WB_IMPL_END
}  // namespace ch02
