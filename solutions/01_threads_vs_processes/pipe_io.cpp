// EXERCISE 01.2 Goal: write and read a pipe completely, whatever the kernel hands back from one call.
//
// Steps:
//   1. write_all: call write() until every byte is out. It returns how many bytes it took, which may be
//      fewer than asked; continue from there. After -1 with errno == EINTR (a signal arrived), try again;
//      any other error: throw std::system_error(errno, std::generic_category(), "write").
//   2. read_all: call read() until the buffer is full. A return of 0 means end of file: the writer has
//      closed its end, so return what you have. EINTR: try again; other errors: throw std::system_error.
// Run `./wb grade 01` to check your work.
#include "ch01/pipe_io.hpp"

#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace ch01 {
WB_IMPL_BEGIN

void write_all(int fd, std::span<const std::byte> data) {
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;  // a signal handler ran before any byte was taken: try again
            throw std::system_error(errno, std::generic_category(), "write");
        }
        done += static_cast<std::size_t>(n);  // maybe only part of what we asked: loop for the rest
    }
}

std::size_t read_all(int fd, std::span<std::byte> buffer) {
    std::size_t done = 0;
    while (done < buffer.size()) {
        const ssize_t n = ::read(fd, buffer.data() + done, buffer.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw std::system_error(errno, std::generic_category(), "read");
        }
        if (n == 0) break;  // end of file: every write end is closed
        done += static_cast<std::size_t>(n);
    }
    return done;
}

WB_IMPL_END
}  // namespace ch01
