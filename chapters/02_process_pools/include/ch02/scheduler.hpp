// ch02/scheduler.hpp: exercise 02.3, the pool's scheduler.
//
// The pool's parent process is single-threaded: nothing runs in the background. Whenever a caller
// needs a result (Future::get, Pool::wait), the pool calls progress() again and again until that
// result is in. These two functions decide which worker gets which task and when the parent sleeps.
// They see the pool through the section "For the scheduler" of PoolCore (ch02/pool_core.hpp):
//
//   size(), alive(slot), busy(slot), fd(slot), deadline(slot), queued()   what there is
//   send_next(slot), receive(slot), time_out(slot)                         what they can do
#pragma once

#include "ch02/pool_core.hpp"
#include "wb/exercise.hpp"

namespace ch02 {
WB_IMPL_BEGIN

// [scheduler]
/// Hands queued tasks to idle workers, oldest task first, until the queue is empty or no worker is
/// idle. Never waits. Called by the pool after every submit, and by progress().
void dispatch(PoolCore& pool);

/// One step of the pool: dispatch(); then, if some worker is busy, sleep until something happens
/// (a worker's socket becomes readable: an answer, or a dead worker), at most until the nearest
/// deadline of a busy worker; then receive() from every worker whose socket is readable, and
/// time_out() every busy worker whose deadline has passed. Returns at once when no worker is busy.
/// A sleep interrupted by a signal (EINTR) just returns: the pool calls progress() again.
/// Throws std::system_error for any other failure of the wait.
void progress(PoolCore& pool);
// [scheduler]

WB_IMPL_END
}  // namespace ch02
