// EXERCISE 02.1 Goal: write the loop a worker process runs: read a task, run it, send its result.
//
// Steps:
//   1. Read frames from `fd` with read_frame until it returns false (the pool closed its end): then
//      return 0.
//   2. A frame that is not a task breaks the protocol: throw std::runtime_error.
//   3. Run the task's function: table.call(fn, args, result) with a Reader over the payload and a
//      fresh Writer for the result.
//   4. Answer with a `result` frame carrying the Writer's bytes, or, if the function threw, an `error`
//      frame carrying the exception's message; both with the task's own task and function ids. Then
//      go on with the next task: a task that throws does not end the worker.
//   5. If the pool has gone while you answer (write_frame returns false), return 0.
// Run `./wb grade 02` to check your work.
#include "ch02/worker_loop.hpp"

#include <exception>
#include <stdexcept>
#include <string>

namespace ch02 {
WB_IMPL_BEGIN

int worker_loop(int fd, const FunctionTable& table) {
    Frame task;
    while (read_frame(fd, task)) {
        if (task.kind != FrameKind::task) throw std::runtime_error("worker: expected a task frame");
        Writer result;
        std::string error;
        bool ok = true;
        try {
            Reader args(task.payload);
            table.call(task.fn, args, result);
        } catch (const std::exception& e) {
            ok = false;
            error = e.what();
        } catch (...) {
            ok = false;
            error = "unknown exception";
        }
        const bool sent = ok ? write_frame(fd, FrameKind::result, task.fn, task.task, result.view())
                             : write_frame(fd, FrameKind::error, task.fn, task.task, as_bytes(error));
        if (!sent) break;  // the pool has gone
    }
    return 0;
}

WB_IMPL_END
}  // namespace ch02
