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
    // EXERCISE: write data[done..] with ::write(fd, ptr, count) until done == data.size() (step 1).
    // Hint: write() returns the number of bytes taken (maybe fewer than asked) or -1 with errno set;
    //       errno == EINTR means "interrupted by a signal, nothing written": just call it again.
    WB_TODO("01.2");
}

std::size_t read_all(int fd, std::span<std::byte> buffer) {
    // EXERCISE: fill buffer with ::read(fd, ptr, count) until it is full or read() returns 0 (step 2).
    // Hint: a pipe hands over whatever it holds now, often less than asked; 0 means end of file (return
    //       the count so far), -1 with errno == EINTR means try again.
    WB_TODO("01.2");
}

WB_IMPL_END
}  // namespace ch01
