// Tests of exercise 02.1: the worker loop, driven through a socket pair. Most tests run the loop in
// this very process (the socket buffers hold the few small frames), the last one in a forked child.
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "ch02/worker_loop.hpp"
#include "process_checks.hpp"

using namespace ch02;
using ch02_test::contains;

namespace {

struct Functions {
    FunctionTable table;
    Fn<long(int)> square;
    Fn<std::string(std::string, int)> repeat;
    Fn<int(int)> picky;
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
    f.halves = f.table.add_map<int, double>("halves", [](int x) { return x / 2.0; });
    return f;
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
    Frame answer() const {
        Frame f;
        REQUIRE(read_frame(pool, f));
        return f;
    }
};

template <class... A>
Writer args(const A&... a) {
    Writer w;
    (w.put(a), ...);
    return w;
}

}  // namespace

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
        REQUIRE(Reader(f.payload).get<std::string>() == "ababab");

        f = c.answer();
        REQUIRE(f.kind == FrameKind::result);
        REQUIRE(f.task == 3);
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
        REQUIRE_FALSE(read_frame(c.pool, none));
    }
    before.require_clean();
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
    REQUIRE(Reader(f.payload).get<int>() == 2);
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
    REQUIRE_THAT(to_string(f.payload), contains("unknown function id 99"));
    f = c.answer();
    REQUIRE(f.kind == FrameKind::error);
    REQUIRE_THAT(to_string(f.payload), contains("truncated"));
    f = c.answer();
    REQUIRE(f.kind == FrameKind::error);
    REQUIRE_THAT(to_string(f.payload), contains("unread bytes"));
    f = c.answer();
    REQUIRE(f.kind == FrameKind::result);
    REQUIRE(f.task == 4);
    REQUIRE(Reader(f.payload).get<long>() == 16);
}

TEST_CASE("a frame that is not a task breaks the protocol") {
    Functions fns = make_functions();
    Connection c;
    REQUIRE(write_frame(c.pool, FrameKind::result, fns.square.id, 1, {}));
    c.end_tasks();
    REQUIRE_THROWS_AS(worker_loop(c.worker, fns.table), std::runtime_error);
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
                read_frame(c.pool, f) && f.kind == FrameKind::result && f.task == static_cast<TaskId>(i + 1) &&
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
