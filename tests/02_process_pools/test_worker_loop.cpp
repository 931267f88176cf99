// Tests of exercise 02.1: recv_all and the worker loop, driven through a socket pair. The pool's side
// of each connection is played by this test, with its own reading code (never the learner's recv_all):
// in this thread when the socket buffers hold every frame, by a helper thread when the bytes must
// arrive while the worker is already waiting for them (in pieces, or more than a socket buffer holds),
// and by this process when the worker runs in a forked child.
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <functional>
#include <numeric>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "ch02/worker_loop.hpp"
#include "process_checks.hpp"

using namespace ch02;
using ch02_test::contains;
using namespace std::chrono_literals;

namespace {

struct Functions {
    FunctionTable table;
    Fn<long(int)> square;
    Fn<std::string(std::string, int)> repeat;
    Fn<int(int)> picky;
    Fn<int(int)> odd_thrower;
    Fn<std::uint64_t(Bytes)> checksum;
    MapFn<int, double> halves;
};

Functions make_functions() {
    Functions f;
    f.square = f.table.add<long(int)>("square", [](int x) { return long{x} * x; });
    f.repeat = f.table.add<std::string(std::string, int)>("repeat", [](const std::string& s, int k) {
        std::string out;
        for (int i = 0; i < k; ++i) out += s;
        return out;
    });
    f.picky = f.table.add<int(int)>("picky", [](int x) {
        if (x % 2 != 0) throw std::runtime_error("odd input " + std::to_string(x));
        return x / 2;
    });
    // Throws something that is not a std::exception, as C++ allows (and some libraries do).
    f.odd_thrower = f.table.add<int(int)>("odd_thrower", [](int x) -> int {
        if (x != 0) throw x;
        return 0;
    });
    f.checksum = f.table.add<std::uint64_t(Bytes)>("checksum", [](const Bytes& b) {
        std::uint64_t s = 0;
        for (std::byte x : b) s = s * 31 + std::to_integer<std::uint64_t>(x);
        return s;
    });
    f.halves = f.table.add_map<int, double>("halves", [](int x) { return x / 2.0; });
    return f;
}

// The test's own reading code: a loop around recv that is independent of the exercise.
bool test_recv(int fd, void* data, std::size_t n) {
    auto* p = static_cast<char*>(data);
    while (n > 0) {
        const ssize_t k = ::recv(fd, p, n, 0);
        if (k == 0) return false;
        if (k < 0) {
            if (errno == EINTR) continue;
            if (errno == ECONNRESET) return false;
            throw std::system_error(errno, std::generic_category(), "test recv");
        }
        p += k;
        n -= static_cast<std::size_t>(k);
    }
    return true;
}

bool test_read_frame(int fd, Frame& out) {
    FrameHeader h{};
    if (!test_recv(fd, &h, sizeof h)) return false;
    REQUIRE(h.kind >= 1);
    REQUIRE(h.kind <= 4);
    REQUIRE(h.size <= max_payload);
    out.kind = static_cast<FrameKind>(h.kind);
    out.fn = h.fn;
    out.task = h.task;
    out.payload.resize(static_cast<std::size_t>(h.size));
    return test_recv(fd, out.payload.data(), out.payload.size());
}

// The bytes of one frame as the pool sends it.
Bytes frame_bytes(FrameKind kind, FnId fn, TaskId task, std::span<const std::byte> payload) {
    const FrameHeader h{static_cast<std::uint32_t>(kind), fn, task, payload.size()};
    Bytes out(sizeof h + payload.size());
    std::memcpy(out.data(), &h, sizeof h);
    if (!payload.empty()) std::memcpy(out.data() + sizeof h, payload.data(), payload.size());
    return out;
}

// The pool's end and the worker's end of one connection.
struct Connection {
    int pool = -1, worker = -1;
    Connection() {
        int sv[2];
        REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
        pool = sv[0];
        worker = sv[1];
    }
    ~Connection() {
        if (pool >= 0) ::close(pool);
        if (worker >= 0) ::close(worker);
    }
    void send(FnId fn, TaskId task, const Writer& args) const {
        REQUIRE(write_frame(pool, FrameKind::task, fn, task, args.view()));
    }
    // No more tasks: the worker reads end of stream after those already sent.
    void end_tasks() const { REQUIRE(::shutdown(pool, SHUT_WR) == 0); }
    // An answer of the worker, read after worker_loop has returned in this thread. The worker's end
    // is shut for writing first, so that a missing answer shows as end of stream, not as a wait for ever.
    Frame answer() const {
        if (worker >= 0) ::shutdown(worker, SHUT_WR);
        Frame f;
        INFO("the worker sent fewer answers than it was sent tasks");
        REQUIRE(test_read_frame(pool, f));
        return f;
    }
};

template <class... A>
Writer args(const A&... a) {
    Writer w;
    (w.put(a), ...);
    return w;
}

// Writes `bytes` to `fd` in pieces of the given sizes (the rest in one piece), pausing before each
// piece until `ready()` says so; used from a helper thread while the code under test waits in recv.
void dribble(int fd, const Bytes& bytes, const std::vector<std::size_t>& pieces, const std::function<void()>& pause) {
    std::size_t at = 0;
    for (std::size_t i = 0; at < bytes.size(); ++i) {
        const std::size_t n = i < pieces.size() ? std::min(pieces[i], bytes.size() - at) : bytes.size() - at;
        pause();
        if (!send_all(fd, bytes.data() + at, n)) return;
        at += n;
    }
}

Bytes pattern(std::size_t n) {
    Bytes b(n);
    for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::byte>((i * 131 + i / 251) & 0xff);
    return b;
}

}  // namespace

TEST_CASE("recv_all gathers bytes that arrive in pieces, and more than a socket buffer holds") {
    Connection c;
    // A payload far larger than the socket's buffer (about 200 KiB) can never arrive in one recv():
    // the sender blocks until the reader has taken the first part.
    const Bytes big = pattern(std::size_t{4} << 20);
    std::thread sender = ch02_test::thread_without_alarms([&] {
        // First a few bytes at a time, each after a pause long enough for the reader to wake up
        // and find only those bytes; then the big block.
        const Bytes small = pattern(40);
        dribble(c.pool, small, {1, 2, 3, 5, 8, 13}, [] { std::this_thread::sleep_for(2ms); });
        send_all(c.pool, big.data(), big.size());
        const char last = 'z';
        send_all(c.pool, &last, 1);
        ::shutdown(c.pool, SHUT_WR);
    });
    Bytes got_small(40), got_big(big.size());
    char last = 0, after = 0;
    bool ok_small = false, ok_big = false, ok_last = false, at_end = true;
    // However the reading ends, the sender must not stay blocked on a full socket: shut our end
    // down (its send then fails) before joining it.
    const auto stop_sender = [&] {
        ::shutdown(c.worker, SHUT_RDWR);
        sender.join();
    };
    try {
        ok_small = recv_all(c.worker, got_small.data(), got_small.size());
        ok_big = recv_all(c.worker, got_big.data(), got_big.size());
        ok_last = recv_all(c.worker, &last, 1);
        at_end = recv_all(c.worker, &after, 1);  // end of stream: false
    } catch (...) {
        stop_sender();
        throw;
    }
    stop_sender();
    REQUIRE(ok_small);
    REQUIRE(got_small == pattern(40));
    INFO("a recv() returns what has arrived so far, which may be one byte: loop until all n are in");
    REQUIRE(ok_big);
    const bool same_big = got_big == big;  // (not printed: 4 MiB)
    REQUIRE(same_big);
    REQUIRE(ok_last);
    REQUIRE(last == 'z');
    REQUIRE_FALSE(at_end);
}

TEST_CASE("recv_all says false when the peer goes away in the middle of a message") {
    Connection c;
    const char part[3] = {'a', 'b', 'c'};
    REQUIRE(send_all(c.pool, part, sizeof part));
    ::close(c.pool);
    c.pool = -1;
    char buf[8];
    REQUIRE_FALSE(recv_all(c.worker, buf, sizeof buf));
    REQUIRE(recv_all(c.worker, buf, 0));  // nothing asked, nothing to wait for
}

TEST_CASE("recv_all says false when the peer dies with our bytes unread (ECONNRESET)") {
    Connection c;
    // The worker's end has sent something the pool's end never reads; the pool's end sends part of a
    // message and closes. Closing a socket with unread data resets the connection: after the three
    // bytes, the next recv() fails with ECONNRESET. That too means "the peer has gone".
    REQUIRE(send_all(c.worker, "unread", 6));
    const char part[3] = {'a', 'b', 'c'};
    REQUIRE(send_all(c.pool, part, sizeof part));
    ::close(c.pool);
    c.pool = -1;
    char buf[8];
    bool result = true;
    REQUIRE_NOTHROW(result = recv_all(c.worker, buf, sizeof buf));
    REQUIRE_FALSE(result);
}

TEST_CASE("recv_all carries on when signals interrupt it (EINTR)") {
    Connection c;
    const Bytes data = pattern(64);
    std::atomic<bool> stop{false};
    std::thread sender;
    Bytes got(data.size());
    bool ok = false;
    {
        ch02_test::AlarmStorm storm;
        sender = ch02_test::thread_without_alarms([&] {
            // Each piece only after the reader has been hit by several signals while it waited.
            dribble(c.pool, data, {4, 4, 8, 8, 16}, [&] {
                const sig_atomic_t seen = ch02_test::g_alarms;
                while (ch02_test::g_alarms < seen + 5 && !stop) std::this_thread::sleep_for(100us);
            });
        });
        try {
            ok = recv_all(c.worker, got.data(), got.size());
        } catch (...) {
            stop = true;
            sender.join();
            throw;
        }
        stop = true;  // the sender must not wait for signals that stop with the storm
        sender.join();
    }
    REQUIRE(ch02_test::g_alarms > 10);
    INFO("recv() fails with EINTR when a signal arrives while it waits: that is not an error, try again");
    REQUIRE(ok);
    REQUIRE(got == data);
}

TEST_CASE("worker_loop answers every task in order and returns 0 at end of stream") {
    ch02_test::Leftovers before;
    {
        Functions fns = make_functions();
        Connection c;
        c.send(fns.square.id, 1, args(7));
        c.send(fns.repeat.id, 2, args(std::string("ab"), 3));
        Writer chunk = args(std::uint64_t{3}, 1, 2, 3);  // a map chunk: count, then the items
        c.send(fns.halves.id, 3, chunk);
        c.end_tasks();

        REQUIRE(worker_loop(c.worker, fns.table) == 0);

        Frame f = c.answer();
        REQUIRE(f.kind == FrameKind::result);
        REQUIRE(f.task == 1);
        REQUIRE(f.fn == fns.square.id);
        Reader r1(f.payload);
        REQUIRE(r1.get<long>() == 49);
        r1.expect_end();

        f = c.answer();
        REQUIRE(f.kind == FrameKind::result);
        REQUIRE(f.task == 2);
        REQUIRE(f.fn == fns.repeat.id);
        Reader r2(f.payload);
        REQUIRE(r2.get<std::string>() == "ababab");
        r2.expect_end();  // this task's result only, nothing left over from the one before

        f = c.answer();
        REQUIRE(f.kind == FrameKind::result);
        REQUIRE(f.task == 3);
        REQUIRE(f.fn == fns.halves.id);
        Reader r3(f.payload);
        REQUIRE(r3.get<std::uint64_t>() == 3);
        // x / 2.0 for small integers is exact in binary floating point: compare exactly.
        REQUIRE(r3.get<double>() == 0.5);
        REQUIRE(r3.get<double>() == 1.0);
        REQUIRE(r3.get<double>() == 1.5);
        r3.expect_end();

        ::close(c.worker);  // the loop has returned: nothing more may come
        c.worker = -1;
        Frame none;
        REQUIRE_FALSE(test_read_frame(c.pool, none));
    }
    before.require_clean();
}

TEST_CASE("worker_loop reads frames that arrive in pieces, and payloads larger than a socket buffer") {
    Functions fns = make_functions();
    Connection c;
    const Bytes big = pattern(std::size_t{3} << 20);
    Writer big_args;
    big_args.put(big);
    std::uint64_t expected = 0;
    for (std::byte x : big) expected = expected * 31 + std::to_integer<std::uint64_t>(x);

    std::thread pool_side([&] {
        // Ten small tasks, each frame cut inside its header and inside its payload, with pauses.
        for (int i = 0; i < 10; ++i) {
            const Writer a = args(i);
            const Bytes frame = frame_bytes(FrameKind::task, fns.square.id, static_cast<TaskId>(i + 1), a.view());
            dribble(c.pool, frame, {1, 7, 9, 10}, [] { std::this_thread::sleep_for(1ms); });
        }
        write_frame(c.pool, FrameKind::task, fns.checksum.id, 11, big_args.view());
        ::shutdown(c.pool, SHUT_WR);
    });
    // However the loop ends, the pool side must not stay blocked on a full socket: shut the worker's
    // end down (the pool side's send then fails) before joining it. The answers already sent stay.
    const auto stop_pool_side = [&] {
        ::shutdown(c.worker, SHUT_RDWR);
        pool_side.join();
    };
    int code = -1;
    try {
        code = worker_loop(c.worker, fns.table);
    } catch (...) {
        stop_pool_side();
        throw;
    }
    stop_pool_side();
    REQUIRE(code == 0);
    for (int i = 0; i < 10; ++i) {
        const Frame f = c.answer();
        REQUIRE(f.kind == FrameKind::result);
        REQUIRE(f.task == static_cast<TaskId>(i + 1));
        REQUIRE(Reader(f.payload).get<long>() == long{i} * i);
    }
    const Frame f = c.answer();
    REQUIRE(f.kind == FrameKind::result);
    REQUIRE(f.task == 11);
    REQUIRE(Reader(f.payload).get<std::uint64_t>() == expected);
}

TEST_CASE("worker_loop returns 0 at once when the pool sends nothing") {
    Functions fns = make_functions();
    Connection c;
    c.end_tasks();
    REQUIRE(worker_loop(c.worker, fns.table) == 0);
}

TEST_CASE("a task that throws gets an error frame, and the worker goes on") {
    Functions fns = make_functions();
    Connection c;
    c.send(fns.picky.id, 10, args(3));
    c.send(fns.picky.id, 11, args(4));
    c.send(fns.odd_thrower.id, 12, args(42));  // throws an int, not a std::exception
    c.send(fns.picky.id, 13, args(6));
    c.end_tasks();
    REQUIRE(worker_loop(c.worker, fns.table) == 0);

    Frame f = c.answer();
    REQUIRE(f.kind == FrameKind::error);
    REQUIRE(f.task == 10);
    REQUIRE(f.fn == fns.picky.id);
    REQUIRE(to_string(f.payload) == "odd input 3");

    f = c.answer();
    REQUIRE(f.kind == FrameKind::result);
    REQUIRE(f.task == 11);
    REQUIRE(f.fn == fns.picky.id);
    REQUIRE(Reader(f.payload).get<int>() == 2);

    f = c.answer();
    INFO("a function may throw anything, not only a std::exception: it is still the task's error");
    REQUIRE(f.kind == FrameKind::error);
    REQUIRE(f.task == 12);
    REQUIRE(f.fn == fns.odd_thrower.id);
    REQUIRE_FALSE(f.payload.empty());

    f = c.answer();
    REQUIRE(f.kind == FrameKind::result);
    REQUIRE(f.task == 13);
    REQUIRE(Reader(f.payload).get<int>() == 3);
}

TEST_CASE("an unknown function or malformed arguments give error frames, not a dead worker") {
    Functions fns = make_functions();
    Connection c;
    c.send(99, 1, args(5));                // no function 99 in the table
    c.send(fns.square.id, 2, Writer{});    // square needs an int: the payload is too short
    c.send(fns.square.id, 3, args(5, 6));  // ... and here too long
    c.send(fns.square.id, 4, args(-4));
    c.end_tasks();
    REQUIRE(worker_loop(c.worker, fns.table) == 0);

    Frame f = c.answer();
    REQUIRE(f.kind == FrameKind::error);
    REQUIRE(f.task == 1);
    REQUIRE(f.fn == 99);
    REQUIRE_THAT(to_string(f.payload), contains("unknown function id 99"));
    f = c.answer();
    REQUIRE(f.kind == FrameKind::error);
    REQUIRE(f.task == 2);
    REQUIRE_THAT(to_string(f.payload), contains("truncated"));
    f = c.answer();
    REQUIRE(f.kind == FrameKind::error);
    REQUIRE(f.task == 3);
    REQUIRE_THAT(to_string(f.payload), contains("unread bytes"));
    f = c.answer();
    REQUIRE(f.kind == FrameKind::result);
    REQUIRE(f.task == 4);
    REQUIRE(Reader(f.payload).get<long>() == 16);
}

TEST_CASE("a frame that is not a task breaks the protocol") {
    Functions fns = make_functions();
    for (FrameKind kind : {FrameKind::result, FrameKind::error, FrameKind::fatal}) {
        Connection c;
        c.send(fns.square.id, 1, args(2));  // answered first
        REQUIRE(write_frame(c.pool, kind, fns.square.id, 2, {}));
        c.send(fns.square.id, 3, args(3));  // never reached
        c.end_tasks();
        REQUIRE_THROWS_AS(worker_loop(c.worker, fns.table), std::runtime_error);
        const Frame f = c.answer();
        REQUIRE(f.kind == FrameKind::result);
        REQUIRE(f.task == 1);
        INFO("after a frame that is not a task the loop must stop, not answer anything more");
        ::shutdown(c.worker, SHUT_WR);
        Frame none;
        REQUIRE_FALSE(test_read_frame(c.pool, none));
    }
}

TEST_CASE("worker_loop returns 0 when the pool has gone before the answer") {
    Functions fns = make_functions();
    Connection c;
    c.send(fns.square.id, 1, args(3));
    ::close(c.pool);  // the task is still readable, but there is nobody to answer to
    c.pool = -1;
    REQUIRE(worker_loop(c.worker, fns.table) == 0);
}

TEST_CASE("in a forked child, the loop serves task after task until the parent closes its end") {
    ch02_test::Leftovers before;
    {
        Functions fns = make_functions();
        Connection c;
        ch02_test::Child child([&] {
            ::close(c.pool);
            int code = 3;
            try {
                code = worker_loop(c.worker, fns.table);
            } catch (...) {
            }
            ::_exit(code);
        });
        ::close(c.worker);
        c.worker = -1;
        bool all_right = true;
        for (int i = 0; i < 200 && all_right; ++i) {  // one round trip after another
            Frame f;
            all_right =
                write_frame(c.pool, FrameKind::task, fns.square.id, static_cast<TaskId>(i + 1), args(i).view()) &&
                test_read_frame(c.pool, f) && f.kind == FrameKind::result && f.task == static_cast<TaskId>(i + 1) &&
                Reader(f.payload).get<long>() == long{i} * i;
        }
        ::close(c.pool);  // end of stream: the worker must exit with 0
        c.pool = -1;
        const int status = child.wait();
        REQUIRE(all_right);
        REQUIRE(WIFEXITED(status));
        REQUIRE(WEXITSTATUS(status) == 0);
    }
    before.require_clean();
}
