// ch02/worker_loop.hpp: exercise 02.1, the worker's end of the socket.
//
// Exercise 02.1 is two functions, both in exercises/02_process_pools/worker_loop.cpp:
//   recv_all    (declared in ch02/wire.hpp, beside read_frame, which calls it): whole messages from a
//               stream that hands out bytes in pieces;
//   worker_loop (below): the loop every worker process runs.
#pragma once

#include "ch02/functions.hpp"
#include "ch02/wire.hpp"
#include "wb/exercise.hpp"

namespace ch02 {
WB_IMPL_BEGIN

// [worker_loop]
/// The body of a worker process: reads task frames from `fd` (read_frame) until the pool closes its
/// end, runs each task's function from `table` and answers every task with exactly one frame carrying
/// the same task and function ids: a `result` frame with the serialized return value, or an `error`
/// frame with the message of whatever the function threw (what() of a std::exception, some fixed text
/// for anything else); the worker carries on after an error.
/// Returns 0 once the pool has closed its end (or gone away). Throws std::runtime_error when a frame
/// other than a task arrives, and lets socket errors (std::system_error) escape.
int worker_loop(int fd, const FunctionTable& table);
// [worker_loop]

WB_IMPL_END
}  // namespace ch02
