// Tests of exercise 02.3: the pool's scheduler, through submit() and Future::get(): results, dynamic
// hand-out, crashes (SIGSEGV, abort, SIGKILL from outside), timeouts, and clean shutdown, also when
// an exception unwinds through the pool. Every test sweeps the number of workers.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include "ch02/pool.hpp"
#include "process_checks.hpp"

using namespace ch02;
using namespace std::chrono_literals;
using ch02_test::contains;

namespace {

// A pipe whose read end the workers inherit: a "gate" task blocks reading it until the test writes a
// byte. That makes "this task is still running" a fact the test controls, not a guess about time.
struct Gate {
    int fds[2] = {-1, -1};
    Gate() { REQUIRE(::pipe(fds) == 0); }
    ~Gate() {
        ::close(fds[0]);
        ::close(fds[1]);
    }
    void open_once() const { REQUIRE(::write(fds[1], "x", 1) == 1); }
};

struct Functions {
    FunctionTable table;
    Fn<long(int)> square;
    Fn<int()> whoami;
    Fn<int()> gate;
    Fn<int()> segv, abrt, hang;
    Fn<int(int)> picky;
};

Functions make_functions(const Gate& g) {
    Functions f;
    f.square = f.table.add<long(int)>("square", [](int x) { return long{x} * x; });
    f.whoami = f.table.add<int()>("whoami", [] { return static_cast<int>(::getpid()); });
    f.gate = f.table.add<int()>("gate", [fd = g.fds[0]] {
        char c = 0;
        if (::read(fd, &c, 1) != 1) throw std::runtime_error("gate closed");
        return static_cast<int>(::getpid());
    });
    f.segv = f.table.add<int()>("segv", [] {
        ::raise(SIGSEGV);
        return 0;
    });
    f.abrt = f.table.add<int()>("abrt", []() -> int { std::abort(); });
    f.hang = f.table.add<int()>("hang", []() -> int {
        for (;;) ::pause();
    });
    f.picky = f.table.add<int(int)>("picky", [](int x) {
        if (x % 2 != 0) throw std::runtime_error("odd input " + std::to_string(x));
        return x / 2;
    });
    return f;
}

PoolOptions with_workers(int n) {
    PoolOptions o;
    o.workers = n;
    return o;
}

// Waits (up to 10 s) until every process in `pids` has ended and is waiting to be reaped.
void wait_until_zombies(const std::vector<pid_t>& pids) {
    for (int i = 0; i < 10000; ++i) {
        const std::vector<pid_t> z = wb::testing::zombie_children();
        if (std::all_of(pids.begin(), pids.end(), [&](pid_t p) { return std::find(z.begin(), z.end(), p) != z.end(); }))
            return;
        ::usleep(1000);
    }
    FAIL("the killed workers did not end");
}

// After a failure the pool must still compute right, with all its workers.
void require_usable(Pool& pool, const Functions& f, int workers) {
    std::vector<Future<long>> futures;
    for (int i = 0; i < 3 * workers; ++i) futures.push_back(pool.submit(f.square, i));
    for (int i = 0; i < 3 * workers; ++i) REQUIRE(futures[static_cast<std::size_t>(i)].get() == long{i} * i);
    REQUIRE(pool.pids().size() == static_cast<std::size_t>(workers));
    REQUIRE(wb::testing::zombie_children().empty());  // the dead worker has been reaped already
}

}  // namespace

TEST_CASE("submitted tasks give their results, whatever order they are collected in") {
    for (int workers : wb::testing::thread_counts()) {
        INFO("workers: " << workers);
        ch02_test::Leftovers before;
        {
            Gate g;
            Functions f = make_functions(g);
            Pool pool(f.table, with_workers(workers));
            REQUIRE(pool.size() == static_cast<std::size_t>(workers));
            std::vector<Future<long>> futures;
            for (int i = 0; i < 100; ++i) futures.push_back(pool.submit(f.square, i));
            for (int i = 99; i >= 0; --i) REQUIRE(futures[static_cast<std::size_t>(i)].get() == long{i} * i);
            REQUIRE(pool.outstanding() == 0);
            REQUIRE(pool.stats().tasks_sent == 100);
            std::size_t done = 0;
            for (const WorkerStats& w : pool.stats().per_worker) done += w.tasks;
            REQUIRE(done == 100);
            REQUIRE(pool.stats().workers_started == static_cast<std::size_t>(workers));
        }
        before.require_clean();
    }
}

TEST_CASE("a worker that is free takes the next task: fast workers take more") {
    for (int workers : wb::testing::thread_counts()) {
        if (workers < 2) continue;  // one worker stuck at the gate could not run anything else
        INFO("workers: " << workers);
        ch02_test::Leftovers before;
        {
            Gate g;
            Functions f = make_functions(g);
            Pool pool(f.table, with_workers(workers));
            Future<int> slow = pool.submit(f.gate);  // blocks one worker until the gate opens
            std::vector<Future<int>> quick;
            for (int i = 0; i < 40; ++i) quick.push_back(pool.submit(f.whoami));
            std::vector<int> ran_on;
            for (auto& q : quick) ran_on.push_back(q.get());  // must finish while the gate is shut
            g.open_once();
            const int gated = slow.get();
            for (int pid : ran_on) REQUIRE(pid != gated);
        }
        before.require_clean();
    }
}

TEST_CASE("a task that throws reports its message, and its worker lives on") {
    for (int workers : wb::testing::thread_counts()) {
        INFO("workers: " << workers);
        ch02_test::Leftovers before;
        {
            Gate g;
            Functions f = make_functions(g);
            Pool pool(f.table, with_workers(workers));
            const std::vector<pid_t> pids = pool.pids();
            auto bad = pool.submit(f.picky, 5);
            const TaskId id = bad.id();
            REQUIRE_THROWS_WITH(bad.get(),
                                contains("task " + std::to_string(id) + " (picky)") && contains("odd input 5"));
            REQUIRE(pool.submit(f.picky, 8).get() == 4);
            REQUIRE(pool.pids() == pids);  // nobody died, nobody was replaced
            REQUIRE(pool.stats().crashes == 0);
        }
        before.require_clean();
    }
}

namespace {

enum class Fault { segv, abort, kill };

// Runs one task that ends its worker by `fault`; returns the TaskError's message (empty if none).
std::string crash_one(Pool& pool, const Functions& f, Fault fault, TaskId& id, pid_t& victim) {
    Future<int> fut = fault == Fault::segv    ? pool.submit(f.segv)
                      : fault == Fault::abort ? pool.submit(f.abrt)
                                              : pool.submit(f.gate);
    id = fut.id();
    victim = -1;
    if (fault == Fault::kill) {  // the gate task stays at the gate: kill its worker there, from outside
        const auto pid = pool.pid_running(id);
        REQUIRE(pid.has_value());
        victim = *pid;
        REQUIRE(::kill(victim, SIGKILL) == 0);
    }
    try {
        fut.get();
    } catch (const TaskError& e) {
        REQUIRE(e.task() == id);
        return e.what();
    }
    return {};
}

}  // namespace

TEST_CASE("a crashed worker fails its task with the task and signal named, and is replaced") {
    struct Case {
        Fault fault;
        const char* fn;
        const char* signal;
    };
    const Case cases[] = {{Fault::segv, "(segv)", "killed by signal 11 (SIGSEGV"},
                          {Fault::abort, "(abrt)", "killed by signal 6 (SIGABRT"},
                          {Fault::kill, "(gate)", "killed by signal 9 (SIGKILL"}};
    for (int workers : wb::testing::thread_counts()) {
        for (const Case& c : cases) {
            INFO("workers: " << workers << ", fault: " << c.fn);
            ch02_test::Leftovers before;
            {
                Gate g;
                Functions f = make_functions(g);
                Pool pool(f.table, with_workers(workers));
                TaskId id = 0;
                pid_t victim = -1;
                const std::string message = crash_one(pool, f, c.fault, id, victim);
                INFO("error: " << message);
                REQUIRE_THAT(message, contains("task " + std::to_string(id) + " " + c.fn + " failed: worker pid") &&
                                          contains(c.signal));
                REQUIRE(pool.stats().crashes == 1);
                if (victim > 0) {
                    const std::vector<pid_t> now = pool.pids();
                    REQUIRE(std::find(now.begin(), now.end(), victim) == now.end());
                }
                require_usable(pool, f, workers);
                REQUIRE(pool.stats().workers_started == static_cast<std::size_t>(workers) + 1);
            }
            before.require_clean();
        }
    }
}

TEST_CASE("an idle worker killed from outside is replaced without losing a task") {
    for (int workers : wb::testing::thread_counts()) {
        INFO("workers: " << workers);
        ch02_test::Leftovers before;
        {
            Gate g;
            Functions f = make_functions(g);
            Pool pool(f.table, with_workers(workers));
            const std::vector<pid_t> pids = pool.pids();
            for (pid_t pid : pids) REQUIRE(::kill(pid, SIGKILL) == 0);
            wait_until_zombies(pids);  // dead for sure (sockets closed), but not reaped: the pool must do that
            require_usable(pool, f, workers);
            REQUIRE(pool.stats().crashes == 0);  // no task was running on them
        }
        before.require_clean();
    }
}

TEST_CASE("a task that never returns is stopped by the timeout, and the pool goes on") {
    for (int workers : wb::testing::thread_counts()) {
        INFO("workers: " << workers);
        ch02_test::Leftovers before;
        {
            Gate g;
            Functions f = make_functions(g);
            PoolOptions o = with_workers(workers);
            o.task_timeout = 200ms;
            Pool pool(f.table, o);
            auto stuck = pool.submit(f.hang);
            auto fine = pool.submit(f.square, 12);
            const TaskId id = stuck.id();
            REQUIRE_THROWS_WITH(stuck.get(), contains("task " + std::to_string(id) + " (hang) timed out after 0.2 s") &&
                                                 contains("SIGKILL"));
            REQUIRE(fine.get() == 144);
            REQUIRE(pool.stats().timeouts == 1);
            require_usable(pool, f, workers);
        }
        before.require_clean();
    }
}

TEST_CASE("an exception unwinding through the pool stops and reaps every worker") {
    for (int workers : wb::testing::thread_counts()) {
        INFO("workers: " << workers);
        Gate g;
        Functions f = make_functions(g);
        const int fds_with_gate = wb::testing::open_descriptors();
        try {
            Pool pool(f.table, with_workers(workers));
            std::vector<Future<int>> busy;
            for (int i = 0; i < workers + 3; ++i) busy.push_back(pool.submit(f.gate));  // all stuck, some queued
            REQUIRE(pool.stats().tasks_sent == static_cast<std::size_t>(workers));
            throw std::runtime_error("something else went wrong");
        } catch (const std::runtime_error& e) {
            REQUIRE(std::string(e.what()) == "something else went wrong");
        }
        REQUIRE(wb::testing::child_processes().empty());
        REQUIRE(wb::testing::zombie_children().empty());
        REQUIRE(wb::testing::open_descriptors() == fds_with_gate);
    }
}

TEST_CASE("dropped futures and unknown functions leave nothing behind") {
    for (int workers : wb::testing::thread_counts()) {
        INFO("workers: " << workers);
        ch02_test::Leftovers before;
        {
            Gate g;
            Functions f = make_functions(g);
            Pool pool(f.table, with_workers(workers));
            for (int i = 0; i < 20; ++i) (void)pool.submit(f.square, i);  // dropped at once
            REQUIRE(pool.outstanding() == 0);
            const TaskId bogus = pool.submit_raw(4242, {});
            const Outcome o = pool.wait(bogus);
            REQUIRE_FALSE(o.ok);
            REQUIRE_THAT(o.error, contains("unknown function id 4242"));
            REQUIRE_THROWS_AS(pool.wait(bogus), std::invalid_argument);  // collected already
            require_usable(pool, f, workers);
            REQUIRE(pool.outstanding() == 0);
        }
        before.require_clean();
    }
}
