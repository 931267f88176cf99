// EXERCISE 01.2 Goal: move a whole buffer through a pipe, whatever each read() or write() hands back.
// One call may move only part of the bytes, a signal may interrupt it, and the writer may close its end:
// every program that talks to another process through a pipe or a socket needs these two loops.
//
// What the grade checks: 1 MiB goes from one thread to another through a pipe (64 KiB) whole and in
// order; read_all returns a short count only at end of file, and returns there at once (a test's
// watchdog stops a read_all that does not); writing to a pipe without reader and reading descriptor -1
// throw std::system_error with EPIPE and EBADF; signals sent while a read() or a write() is blocked
// lose and repeat no byte; the speed report moves 4 MiB in 16 KiB pieces.
// Read first: chapters/01_threads_vs_processes/README.md, section "Pipes: talking to a process".
// Stuck? `./wb hint 01.2` shows a hint, one stage per call.
#include "ch01/pipe_io.hpp"

#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace ch01 {
WB_IMPL_BEGIN

void write_all(int fd, std::span<const std::byte> data) {
    // EXERCISE: when write_all returns, the kernel has taken every byte of data, each once and in order,
    //           whatever count each write() reported. A write() that failed because a signal arrived
    //           (errno EINTR) took nothing and was simply repeated; any other failure was thrown as a
    //           std::system_error that carries errno.
    WB_TODO("01.2");
}

std::size_t read_all(int fd, std::span<std::byte> buffer) {
    // EXERCISE: return the number of bytes now in buffer, in the order they came: buffer.size(), or fewer
    //           only because the writer closed its end (end of file), and then at once. EINTR is repeated,
    //           as in write_all; any other failure is thrown as a std::system_error that carries errno.
    WB_TODO("01.2");
}

WB_IMPL_END
}  // namespace ch01
