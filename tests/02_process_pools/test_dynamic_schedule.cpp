// Tests of exercise 02.3: the pool's scheduler (dispatch and progress), directly on a PoolCore and
// through submit() and Future::get(): results, dynamic hand-out (which worker ran which task while
// another worker was held inside a task), a parent that sleeps while it waits, crashes (SIGSEGV,
// abort, SIGKILL from outside), timeouts, and clean shutdown, also when an exception unwinds through
// the pool. Every test sweeps the number of workers.
//
// Nothing here depends on timing. Where a wrong scheduler would hang (it waits for the one worker
// that is held up, or never looks at a deadline), a watchdog thread ends the wait after many seconds
// in a way the test recognizes (it opens the gate with a different byte, or kills the stuck worker
// from outside), so the test fails with a message instead of hanging. A right scheduler finishes in
// milliseconds and never meets the watchdog.
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "ch02/pool.hpp"
#include "ch02/scheduler.hpp"
#include "process_checks.hpp"

using namespace ch02;
using namespace std::chrono_literals;
using ch02_test::contains;

namespace {

// How long the watchdog lets a wait go on before it steps in: far beyond anything a right scheduler
// needs (milliseconds), short enough that a wrong one fails the test well within its timeout.
constexpr auto watchdog_after = 10s;

// A pipe whose read end the workers inherit: a "gate" task blocks reading it until a byte comes, and
// returns that byte. That makes "this task is still running" a fact the test controls, not a guess
// about time. The byte says who opened the gate: 'o' an opener task, 't' the test, 'w' the watchdog.
struct Gate {
    int fds[2] = {-1, -1};
    Gate() { REQUIRE(::pipe(fds) == 0); }
    ~Gate() {
        ::close(fds[0]);
        ::close(fds[1]);
    }
    void open_once(char by = 't') const { REQUIRE(::write(fds[1], &by, 1) == 1); }
};

// Runs `action` on its own thread after watchdog_after, unless destroyed first.
class Watchdog {
   public:
    explicit Watchdog(std::function<void()> action)
        : thread_([this, action = std::move(action)] {
              std::unique_lock lock(mutex_);
              if (!cv_.wait_for(lock, watchdog_after, [this] { return stop_; })) {
                  fired_ = true;
                  action();
              }
          }) {}
    ~Watchdog() {
        {
            std::lock_guard lock(mutex_);
            stop_ = true;
        }
        cv_.notify_all();
        thread_.join();
    }
    bool fired() const { return fired_; }

   private:
    std::mutex mutex_;
    std::condition_variable cv_;
    bool stop_ = false;
    std::atomic<bool> fired_{false};
    std::thread thread_;
};

struct Functions {
    FunctionTable table;
    Fn<long(int)> square;
    Fn<int()> whoami;
    Fn<int()> gate;    ///< waits for a byte at the gate; returns it
    Fn<int()> opener;  ///< writes 'o' to the gate; returns its pid
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
        return static_cast<int>(c);
    });
    f.opener = f.table.add<int()>("opener", [fd = g.fds[1]] {
        if (::write(fd, "o", 1) != 1) throw std::runtime_error("gate broken");
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

std::size_t count_busy(const PoolCore& core) {
    std::size_t n = 0;
    for (std::size_t s = 0; s < core.size(); ++s) n += core.busy(s) ? 1 : 0;
    return n;
}

}  // namespace

TEST_CASE("dispatch gives the oldest tasks to the idle workers, one each, and never waits") {
    for (int workers : wb::testing::thread_counts()) {
        INFO("workers: " << workers);
        ch02_test::Leftovers before;
        {
            Gate g;
            Functions f = make_functions(g);
            PoolCore core(f.table, with_workers(workers));
            const std::size_t n = static_cast<std::size_t>(workers);
            std::vector<TaskId> ids;
            for (std::size_t i = 0; i < n + 3; ++i) ids.push_back(core.submit(f.gate.id, {}));  // all held
            dispatch(core);
            REQUIRE(count_busy(core) == n);  // every worker took one ...
            REQUIRE(core.queued() == 3);     // ... and only one
            std::set<pid_t> running_on;
            for (std::size_t i = 0; i < n; ++i) {
                INFO("task " << ids[i] << " is among the oldest and should be running");
                const auto pid = core.pid_running(ids[i]);
                REQUIRE(pid.has_value());
                running_on.insert(*pid);
            }
            REQUIRE(running_on.size() == n);
            dispatch(core);  // nobody idle: nothing to do, and no waiting either
            REQUIRE(core.queued() == 3);
            for (std::size_t i = 0; i < n + 3; ++i) g.open_once();
            for (TaskId id : ids) {
                while (!core.finished(id)) progress(core);
                REQUIRE(core.collect(id).ok);
            }
            REQUIRE(core.queued() == 0);
            REQUIRE(count_busy(core) == 0);
            REQUIRE(core.stats().workers_started == n);
            REQUIRE(core.stats().tasks_sent == n + 3);
        }
        before.require_clean();
    }
}

TEST_CASE("progress returns at once when no worker is busy") {
    for (int workers : wb::testing::thread_counts()) {
        INFO("workers: " << workers);
        ch02_test::Leftovers before;
        {
            Gate g;
            Functions f = make_functions(g);
            PoolCore core(f.table, with_workers(workers));
            const pid_t first = core.pids().front();
            // A wait for a worker that has nothing to say would never end: the watchdog ends it by
            // killing a worker, which the test then sees as a replacement in the statistics.
            Watchdog dog([first] { ::kill(first, SIGKILL); });
            progress(core);
            INFO("with nobody busy, progress() must return without waiting: nobody will answer");
            REQUIRE_FALSE(dog.fired());
            REQUIRE(core.stats().workers_started == static_cast<std::size_t>(workers));
        }
        before.require_clean();
    }
}

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

TEST_CASE("while one worker is held inside a task, the others run every other task") {
    for (int workers : wb::testing::thread_counts()) {
        if (workers < 2) continue;  // one worker held at the gate could not run anything else
        INFO("workers: " << workers);
        ch02_test::Leftovers before;
        {
            Gate g;
            Functions f = make_functions(g);
            Pool pool(f.table, with_workers(workers));
            // The first task holds its worker at the gate. The quick tasks behind it can only run on
            // the other workers, and the last one, the opener, lets the first task go. A scheduler
            // that waits for one particular worker (the held one, or "its turn") never reaches the
            // opener: then the watchdog opens the gate instead, after many seconds.
            Future<int> held = pool.submit(f.gate);
            const auto held_pid = pool.pid_running(held.id());
            REQUIRE(held_pid.has_value());
            std::vector<Future<int>> quick;
            for (int i = 0; i < 10 * workers; ++i) quick.push_back(pool.submit(f.whoami));
            Future<int> opener = pool.submit(f.opener);
            Watchdog dog([&g] { g.open_once('w'); });

            std::vector<int> ran_on;
            for (auto& q : quick) ran_on.push_back(q.get());
            const int opened_by = opener.get();
            const char gate_byte = static_cast<char>(held.get());
            INFO("the held task's worker: pid " << *held_pid);
            INFO("a scheduler must hand each task to whichever worker is free, and sleep until *any* "
                 "worker answers: not wait for workers in a fixed order or take turns");
            REQUIRE(gate_byte == 'o');  // opened by the opener task, not the watchdog
            REQUIRE(opened_by != *held_pid);
            for (int pid : ran_on) REQUIRE(pid != *held_pid);
        }
        before.require_clean();
    }
}

TEST_CASE("while every worker is held inside a task, the parent sleeps instead of spinning") {
    for (int workers : {2}) {
        INFO("workers: " << workers);
        ch02_test::Leftovers before;
        {
            Gate g;
            Functions f = make_functions(g);
            Pool pool(f.table, with_workers(workers));
            std::vector<Future<int>> held;
            for (int i = 0; i < workers; ++i) held.push_back(pool.submit(f.gate));
            // A helper thread watches this thread's CPU clock while this thread waits in get(). It
            // opens the gates once this thread has burnt 100 ms of CPU (a spinning wait: 'w'), or after
            // 2 s of real time ('t'). A waiting thread that sleeps in poll() uses microseconds of CPU
            // in that time, however busy the machine is; one that spins burns CPU whenever it runs.
            clockid_t main_clock;
            REQUIRE(::pthread_getcpuclockid(::pthread_self(), &main_clock) == 0);
            std::atomic<bool> stop{false};
            std::thread watcher([&] {
                const auto cpu = [main_clock] {
                    timespec ts{};
                    ::clock_gettime(main_clock, &ts);
                    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
                };
                const double start = cpu();
                const auto until = std::chrono::steady_clock::now() + 2s;
                char by = 't';
                while (!stop && std::chrono::steady_clock::now() < until) {
                    if (cpu() - start > 0.1) {
                        by = 'w';
                        break;
                    }
                    std::this_thread::sleep_for(1ms);
                }
                for (int i = 0; i < workers; ++i) g.open_once(by);
            });
            std::vector<char> bytes;
            try {
                for (auto& h : held) bytes.push_back(static_cast<char>(h.get()));
            } catch (...) {
                stop = true;
                watcher.join();
                throw;
            }
            watcher.join();
            INFO("while the workers were busy, the waiting parent used 100 ms of CPU: it must sleep in "
                 "poll() until a socket is readable or a deadline comes, not poll in a loop");
            for (char b : bytes) REQUIRE(b == 't');
        }
        before.require_clean();
    }
}

TEST_CASE("a wait interrupted by signals (EINTR) goes on until the answer comes") {
    ch02_test::Leftovers before;
    {
        Gate g;
        Functions f = make_functions(g);
        Pool pool(f.table, with_workers(2));
        Future<int> held = pool.submit(f.gate);
        std::atomic<bool> stop{false};
        char got = 0;
        {
            ch02_test::AlarmStorm storm;
            // The gate opens only after this thread, waiting in get(), has been hit by 50 signals.
            std::thread opener = ch02_test::thread_without_alarms([&] {
                while (ch02_test::g_alarms < 50 && !stop) std::this_thread::sleep_for(200us);
                g.open_once('t');
            });
            try {
                got = static_cast<char>(held.get());
            } catch (...) {
                stop = true;
                opener.join();
                throw;
            }
            opener.join();
        }
        REQUIRE(ch02_test::g_alarms >= 50);
        REQUIRE(got == 't');
        REQUIRE(pool.submit(f.square, 9).get() == 81);
    }
    before.require_clean();
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
                REQUIRE(pool.stats().crashes == 1);  // the crashed task was not run again
            }
            before.require_clean();
        }
    }
}

TEST_CASE("a crash while other workers are busy fails only the crashed task") {
    for (int workers : wb::testing::thread_counts()) {
        if (workers < 2) continue;
        INFO("workers: " << workers);
        ch02_test::Leftovers before;
        {
            Gate g;
            Functions f = make_functions(g);
            Pool pool(f.table, with_workers(workers));
            std::vector<Future<int>> held;
            for (int i = 0; i < workers - 1; ++i) held.push_back(pool.submit(f.gate));
            auto crash = pool.submit(f.segv);
            std::vector<Future<long>> after;
            for (int i = 0; i < 20; ++i) after.push_back(pool.submit(f.square, i));
            Watchdog dog([&] {
                for (int i = 0; i < workers; ++i) g.open_once('w');
            });
            REQUIRE_THROWS_WITH(crash.get(), contains("(segv) failed") && contains("SIGSEGV"));
            for (int i = 0; i < 20; ++i) REQUIRE(after[static_cast<std::size_t>(i)].get() == long{i} * i);
            for (int i = 0; i < workers - 1; ++i) g.open_once('t');
            for (auto& h : held) REQUIRE(h.get() == 't');
            REQUIRE(pool.stats().crashes == 1);
            REQUIRE(pool.stats().workers_started == static_cast<std::size_t>(workers) + 1);
        }
        before.require_clean();
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

TEST_CASE("a worker that dies while idle is reaped and replaced while the pool waits for another") {
    for (int workers : wb::testing::thread_counts()) {
        if (workers < 2) continue;
        INFO("workers: " << workers);
        ch02_test::Leftovers before;
        {
            Gate g;
            Functions f = make_functions(g);
            Pool pool(f.table, with_workers(workers));
            Future<int> held = pool.submit(f.gate);
            const auto held_pid = pool.pid_running(held.id());
            REQUIRE(held_pid.has_value());
            std::vector<pid_t> idle;
            for (pid_t pid : pool.pids())
                if (pid != *held_pid) idle.push_back(pid);
            for (pid_t pid : idle) REQUIRE(::kill(pid, SIGKILL) == 0);
            wait_until_zombies(idle);  // their sockets are at end of stream before the wait starts
            g.open_once();
            REQUIRE(held.get() == 't');
            INFO("the dead idle workers' sockets were readable (end of stream) while the parent waited: "
                 "watch every live worker's socket, not only the busy ones");
            REQUIRE(wb::testing::zombie_children().empty());
            const std::vector<pid_t> now = pool.pids();
            REQUIRE(now.size() == static_cast<std::size_t>(workers));
            for (pid_t pid : idle) REQUIRE(std::find(now.begin(), now.end(), pid) == now.end());
            REQUIRE(pool.stats().crashes == 0);
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
            const auto stuck_pid = pool.pid_running(id);
            REQUIRE(stuck_pid.has_value());
            // A scheduler that never looks at deadlines would wait for ever: the watchdog then kills
            // the stuck worker from outside, and the error says "killed", not "timed out".
            Watchdog dog([pid = *stuck_pid] { ::kill(pid, SIGKILL); });
            INFO("progress() must wake up at the nearest deadline and time out the tasks past it");
            REQUIRE_THROWS_WITH(stuck.get(), contains("task " + std::to_string(id) + " (hang) timed out after 0.2 s") &&
                                                 contains("SIGKILL"));
            REQUIRE(fine.get() == 144);
            REQUIRE(pool.stats().timeouts == 1);
            require_usable(pool, f, workers);
            REQUIRE_FALSE(dog.fired());
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
