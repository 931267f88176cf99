// EXERCISE 02.1 Goal: the worker's end of the socket. recv_all receives a whole message from a stream
// that hands out bytes in pieces; worker_loop is what every worker process runs: read a task, run
// it, answer it, until the pool closes its end.
//
// What the grade checks: frames dribbled a few bytes at a time, a payload larger than the socket's
// buffer and signals that interrupt recv (EINTR) all arrive whole; every task gets exactly one answer
// with its own task and function ids, in order: its result, or an error frame with the message of
// whatever it threw (the worker goes on); a frame that is not a task ends the loop with an exception;
// end of stream returns 0; in a forked child the loop serves 200 round trips and exits with 0.
// Read first: chapters/02_process_pools/README.md, sections "Bytes on a socket" and "The worker loop".
// Stuck? `./wb hint 02.1` shows a hint, one stage per call.
#include "ch02/worker_loop.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <exception>
#include <stdexcept>
#include <string>
#include <system_error>

namespace ch02 {
WB_IMPL_BEGIN

bool recv_all(int fd, void* data, std::size_t n) {
    auto* p = static_cast<char*>(data);
    while (n > 0) {
        const ssize_t k = ::recv(fd, p, n, 0);
        if (k == 0) return false;
        if (k < 0) {
            if (errno == EINTR) continue;
            if (errno == ECONNRESET) return false;
            throw std::system_error(errno, std::generic_category(), "recv");
        }
        p += k;
        n -= static_cast<std::size_t>(k);
    }
    return true;
}

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
