// ch01/posix.hpp: given helpers (not exercises): an owned file descriptor, a pipe, and a last-resort
// clean-up for a child process.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <utility>

namespace ch01 {

/// Owns one file descriptor and closes it when it goes out of scope, as a Python `with` block closes a file.
/// Move-only: exactly one owner closes each descriptor, so none leaks and none is closed twice.
class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) noexcept : fd_(fd) {}
    Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    Fd& operator=(Fd&& other) noexcept {
        if (this != &other) {
            reset();
            fd_ = std::exchange(other.fd_, -1);
        }
        return *this;
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() { reset(); }

    /// The raw descriptor, for read(), write() and friends; -1 when closed.
    int get() const noexcept { return fd_; }
    explicit operator bool() const noexcept { return fd_ >= 0; }

    /// Closes the descriptor now. close() is not retried after EINTR: on Linux the descriptor is gone
    /// either way, and a retry could close a descriptor another thread has just been given.
    void reset() noexcept {
        if (fd_ >= 0) {
            ::close(fd_);
            fd_ = -1;
        }
    }

private:
    int fd_ = -1;
};

/// The two ends of a pipe: bytes written to `write_end` come out of `read_end`, in order.
struct Pipe {
    Fd read_end;
    Fd write_end;
};

/// Creates a pipe. O_CLOEXEC: a program started with exec (posix_spawn) does not inherit the ends,
/// but a child made by fork() does, which is how a parent and its forked child talk.
inline Pipe make_pipe() {
    int ends[2];
    if (::pipe2(ends, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe2");
    return {Fd(ends[0]), Fd(ends[1])};
}

/// Last resort on an error path: kills child `pid` with SIGKILL and reaps it, so that it is left
/// neither running (an orphan) nor unreaped (a zombie). The normal path reaps with waitpid() instead.
inline void kill_and_reap(pid_t pid) noexcept {
    ::kill(pid, SIGKILL);
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
}

}  // namespace ch01
