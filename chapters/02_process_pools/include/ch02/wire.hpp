// ch02/wire.hpp: how tasks and results travel between the pool and its workers.
//
// Given code, except recv_all (exercise 02.1), declared at the end.
//
// Two processes share no memory after fork, so every argument and every result is turned into bytes
// (Writer), sent through a socket, and turned back into values on the other side (Reader). This is
// what Python's multiprocessing does with pickle; here the cost is plain to see: a memcpy per value and
// a system call per message.
//
// On the socket, every message is a frame: a fixed 24-byte header followed by `size` payload bytes.
// Both ends are the same program on the same machine (fork copies it), so the header travels in the
// machine's own byte order; a protocol between different machines would have to fix one.
#pragma once

#include <sys/socket.h>
#include <sys/types.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <vector>

#include "wb/exercise.hpp"

namespace ch02 {

using Bytes = std::vector<std::byte>;
using FnId = std::uint32_t;    ///< index of a function in the FunctionTable
using TaskId = std::uint64_t;  ///< number the pool gives each submitted task (1, 2, ...)

/// Values that may be sent as their raw bytes: trivially copyable, and not pointers (an address means
/// nothing to another process; well, after fork it happens to, but only for memory that existed then).
template <class T>
concept Blittable = std::is_trivially_copyable_v<T> && !std::is_pointer_v<T> && !std::is_member_pointer_v<T>;

template <class T>
struct is_vector : std::false_type {};
template <class T, class A>
struct is_vector<std::vector<T, A>> : std::true_type {};

// [writer]
/// Serializes values into a growing byte buffer: blittable values as their bytes, strings and vectors
/// as a 64-bit length followed by their elements.
class Writer {
   public:
    template <class T>
    void put(const T& value) {
        if constexpr (Blittable<T>) {
            append(&value, sizeof value);
        } else if constexpr (std::is_same_v<T, std::string>) {
            put<std::uint64_t>(value.size());
            append(value.data(), value.size());
        } else if constexpr (is_vector<T>::value) {
            put<std::uint64_t>(value.size());
            if constexpr (Blittable<typename T::value_type>)
                append(value.data(), value.size() * sizeof(value[0]));
            else
                for (const auto& item : value) put(item);
        } else {
            static_assert(Blittable<T>, "Writer::put: no serialization for this type");
        }
    }
    // Not inlined: g++ 12 at -O3 misjudges the sizes in inlined copies and warns about an overflow
    // that cannot happen (-Wstringop-overflow). One call per value is cheap next to a system call.
    [[gnu::noinline]] void append(const void* data, std::size_t n) {
        const auto* p = static_cast<const std::byte*>(data);
        buffer_.insert(buffer_.end(), p, p + n);
    }
    std::span<const std::byte> view() const { return buffer_; }
    Bytes take() { return std::move(buffer_); }

   private:
    Bytes buffer_;
};
// [writer]

/// Reads back what a Writer wrote, in the same order. Throws std::runtime_error on a short message.
class Reader {
   public:
    explicit Reader(std::span<const std::byte> data) : data_(data) {}

    template <class T>
    T get() {
        if constexpr (Blittable<T>) {
            T value;
            take(&value, sizeof value);
            return value;
        } else if constexpr (std::is_same_v<T, std::string>) {
            std::string s(checked_length(1), '\0');
            take(s.data(), s.size());
            return s;
        } else if constexpr (is_vector<T>::value) {
            using V = typename T::value_type;
            T v(checked_length(Blittable<V> ? sizeof(V) : 1));
            if constexpr (Blittable<V>)
                take(v.data(), v.size() * sizeof(V));
            else
                for (auto& item : v) item = get<V>();
            return v;
        } else {
            static_assert(Blittable<T>, "Reader::get: no serialization for this type");
        }
    }
    std::size_t remaining() const { return data_.size() - pos_; }
    /// Throws if bytes are left over: the two sides disagree about the message layout.
    void expect_end() const {
        if (remaining() != 0) throw std::runtime_error("message has " + std::to_string(remaining()) + " unread bytes");
    }

   private:
    void take(void* out, std::size_t n) {
        if (n > remaining()) throw std::runtime_error("message truncated");
        if (n != 0) std::memcpy(out, data_.data() + pos_, n);
        pos_ += n;
    }
    // A length prefix, checked against the bytes left (so a corrupt length cannot allocate gigabytes).
    std::size_t checked_length(std::size_t min_bytes_each) {
        const auto n = get<std::uint64_t>();
        if (n > remaining() / min_bytes_each) throw std::runtime_error("message truncated");
        return static_cast<std::size_t>(n);
    }

    std::span<const std::byte> data_;
    std::size_t pos_ = 0;
};

inline std::span<const std::byte> as_bytes(std::string_view s) { return std::as_bytes(std::span(s.data(), s.size())); }
inline std::string to_string(std::span<const std::byte> b) {
    return std::string(reinterpret_cast<const char*>(b.data()), b.size());
}

// ---------------------------------------------------------------------------------------------------
// Frames on a stream socket
// ---------------------------------------------------------------------------------------------------

enum class FrameKind : std::uint32_t {
    task = 1,    ///< pool -> worker: run function `fn` on the payload (the serialized arguments)
    result = 2,  ///< worker -> pool: the serialized return value of task `task`
    error = 3,   ///< worker -> pool: task `task` threw; the payload is the exception's message
    fatal = 4,   ///< worker -> pool: the worker loop itself failed and the worker is exiting
};

// [frame]
struct FrameHeader {
    std::uint32_t kind;
    FnId fn;
    TaskId task;
    std::uint64_t size;  ///< payload bytes that follow the header
};
// [frame]
static_assert(sizeof(FrameHeader) == 24);

struct Frame {
    FrameKind kind{};
    FnId fn = 0;
    TaskId task = 0;
    Bytes payload;
};

/// Largest payload accepted; a bigger size field means the stream is corrupt.
inline constexpr std::uint64_t max_payload = std::uint64_t{1} << 32;

/// Sends all `n` bytes (a stream socket may take fewer per call). Returns false when the peer has gone
/// (EPIPE, ECONNRESET); MSG_NOSIGNAL turns the SIGPIPE that would kill us into that EPIPE.
/// Throws std::system_error on any other failure.
inline bool send_all(int fd, const void* data, std::size_t n) {
    const auto* p = static_cast<const char*>(data);
    while (n > 0) {
        const ssize_t k = ::send(fd, p, n, MSG_NOSIGNAL);
        if (k < 0) {
            if (errno == EINTR) continue;
            if (errno == EPIPE || errno == ECONNRESET) return false;
            throw std::system_error(errno, std::generic_category(), "send");
        }
        p += k;
        n -= static_cast<std::size_t>(k);
    }
    return true;
}

/// Sends one frame. Returns false when the peer has gone.
inline bool write_frame(int fd, FrameKind kind, FnId fn, TaskId task, std::span<const std::byte> payload) {
    const FrameHeader h{static_cast<std::uint32_t>(kind), fn, task, payload.size()};
    return send_all(fd, &h, sizeof h) && send_all(fd, payload.data(), payload.size());
}

WB_IMPL_BEGIN

// [recv_all]
/// Exercise 02.1 (worker_loop.cpp). Receives exactly `n` bytes into `data`, however the stream cuts
/// them up: one recv() may return fewer bytes than asked for (a few, or one), and a signal may
/// interrupt it (EINTR) before anything arrived. Returns true once all `n` bytes are in; false when
/// the peer has gone before all of them arrived (end of stream, or ECONNRESET: the peer died with
/// unread data). Throws std::system_error on any other failure. n == 0 returns true at once.
bool recv_all(int fd, void* data, std::size_t n);
// [recv_all]

/// Receives one frame into `out` (with recv_all). Returns false when the peer has gone (at a frame
/// boundary or inside one). Throws std::runtime_error on a malformed header, std::system_error on
/// other socket errors.
inline bool read_frame(int fd, Frame& out) {
    FrameHeader h{};
    if (!recv_all(fd, &h, sizeof h)) return false;
    if (h.kind < 1 || h.kind > 4 || h.size > max_payload)
        throw std::runtime_error("malformed frame header (kind " + std::to_string(h.kind) + ", size " +
                                 std::to_string(h.size) + ")");
    out.kind = static_cast<FrameKind>(h.kind);
    out.fn = h.fn;
    out.task = h.task;
    out.payload.resize(static_cast<std::size_t>(h.size));
    return recv_all(fd, out.payload.data(), out.payload.size());
}

WB_IMPL_END
}  // namespace ch02
