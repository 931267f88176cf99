// ch01/pipe_io.hpp: exercise 01.2, reading and writing a pipe completely and robustly.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <stdexcept>
#include <type_traits>

#include "wb/exercise.hpp"

namespace ch01 {
WB_IMPL_BEGIN

/// Writes every byte of `data` to `fd`. One write() may take only part of the bytes (a pipe holds
/// 64 KiB by default) or be interrupted by a signal (EINTR): keep writing the rest until all are out.
/// Throws std::system_error for any other error (EPIPE when the reader has gone, EBADF, ...).
void write_all(int fd, std::span<const std::byte> data);

/// Reads until `buffer` is full or the writer has closed its end (end of file), retrying after EINTR.
/// Returns the number of bytes read: buffer.size(), or fewer only at end of file.
/// Throws std::system_error for any other error.
std::size_t read_all(int fd, std::span<std::byte> buffer);

/// Sends one trivially copyable value (its bytes as they lie in memory: both ends run on this machine).
template <class T>
void send_value(int fd, const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    write_all(fd, std::as_bytes(std::span(&value, 1)));
}

/// Receives one value sent by send_value; empty at end of file before the first byte.
/// Throws std::runtime_error if the writer closed after part of a value.
template <class T>
std::optional<T> receive_value(int fd) {
    static_assert(std::is_trivially_copyable_v<T>);
    T value{};
    const std::size_t got = read_all(fd, std::as_writable_bytes(std::span(&value, 1)));
    if (got == 0) return std::nullopt;
    if (got != sizeof(T)) throw std::runtime_error("receive_value: the writer closed in the middle of a value");
    return value;
}

WB_IMPL_END
}  // namespace ch01
