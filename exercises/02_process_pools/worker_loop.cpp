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
    // EXERCISE: when this returns true, all `n` bytes are in `data`, however many pieces the stream
    // delivered them in. It returns false only when the peer has gone before all of them arrived; a
    // call cut short by a signal is not a failure, any other error throws std::system_error.
    WB_TODO("02.1");
}

int worker_loop(int fd, const FunctionTable& table) {
    // EXERCISE: every task frame read from `fd` gets exactly one answer frame carrying its own task
    // and function ids: the serialized result, or the message of whatever the function threw, after
    // which the loop goes on to the next task. A frame that is not a task ends the loop with
    // std::runtime_error; end of stream (or a pool gone while answering) returns 0.
    WB_TODO("02.1");
}

WB_IMPL_END
}  // namespace ch02
