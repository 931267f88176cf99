// checks.hpp: pieces shared by the chapter 01 tests: a guard against a stray child, the end-of-test
// leftovers check, SIGPIPE ignored, and a watchdog that turns a hang into a failure with a diagnosis.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "wb/catch.hpp"
#include "wb/testing.hpp"

namespace ch01_tests {

/// Calls f() and returns what it returns. A child that wrongly came back out of f (by returning or by
/// an exception) would run the rest of the test program as a second copy of it: such a stray child
/// ends here at once, with exit status 99, which the parent then sees.
template <class F>
decltype(auto) in_parent(F&& f) {
    struct StopStrayChild {
        pid_t parent = ::getpid();
        ~StopStrayChild() {
            if (::getpid() != parent) ::_exit(99);
        }
    } stop;
    return f();
}

/// No child process left, running or unreaped, and as many descriptors open as before.
inline void require_nothing_left(int descriptors_before) {
    REQUIRE(wb::testing::zombie_children().empty());
    REQUIRE(wb::testing::child_processes().empty());
    REQUIRE(wb::testing::open_descriptors() == descriptors_before);
}

/// While alive: writing to a pipe nobody reads fails with EPIPE instead of killing the test with SIGPIPE.
struct IgnoreSigpipe {
    struct sigaction old {};
    IgnoreSigpipe() {
        struct sigaction sa {};
        sa.sa_handler = SIG_IGN;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGPIPE, &sa, &old);
    }
    ~IgnoreSigpipe() { sigaction(SIGPIPE, &old, nullptr); }
    IgnoreSigpipe(const IgnoreSigpipe&) = delete;
    IgnoreSigpipe& operator=(const IgnoreSigpipe&) = delete;
};

/// How long a watched call may go on.
struct Patience {
    /// Every watched task asleep in the kernel and no CPU time gained by any of them for this long: a
    /// deadlock (each one waits for another), not a slow machine, where someone is running or runnable.
    std::chrono::milliseconds quiet{2000};
    /// In all, whatever happens (a loop that never ends keeps running, so it never looks quiet).
    /// Below the test's own 60 s timeout, so that the learner gets the diagnosis instead of a kill.
    std::chrono::milliseconds limit{40000};
};

/// Watches the thread that created it, and the child processes that thread forks, while a call that
/// may hang runs (a pipe end left open, a deadlock between two full pipes, a loop that never sees end
/// of file). A thread samples /proc every 50 ms with open() and read(): no iostreams, no lock that a
/// child forked meanwhile could inherit while held (apart from malloc's, which glibc's fork() resets).
/// When the call is quiet for `quiet` or runs past `limit`, the watchdog prints `advice`, marks itself
/// fired and kills every child with SIGKILL, so that a parent blocked on a child's pipe or in
/// waitpid() gets an error or a status and returns. If the call has still not returned after another
/// `quiet`, nothing else can free it: the watchdog prints the advice and ends the test program with
/// status 1.
class Watchdog {
public:
    explicit Watchdog(std::string advice, Patience patience = {})
        : advice_(std::move(advice)), patience_(patience), caller_(::gettid()), thread_([this] { watch(); }) {}
    ~Watchdog() {
        {
            std::lock_guard lock(m_);
            done_ = true;
        }
        cv_.notify_all();
        thread_.join();
    }
    Watchdog(const Watchdog&) = delete;
    Watchdog& operator=(const Watchdog&) = delete;

    bool fired() const { return fired_.load(); }
    const std::string& advice() const { return advice_; }

private:
    struct Task {
        char state = '?';
        long long ticks = 0;  // utime + stime, in clock ticks
    };

    // Reads "pid (comm) S ppid ... utime stime ..." from a /proc stat file, without allocating.
    static bool read_task(const char* path, Task& t) {
        const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) return false;
        char buf[1024];
        const ssize_t n = ::read(fd, buf, sizeof buf - 1);
        ::close(fd);
        if (n <= 0) return false;
        buf[n] = '\0';
        const char* p = std::strrchr(buf, ')');
        if (!p || p[1] != ' ') return false;
        p += 2;
        t.state = *p;
        // Fields after the state: ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime.
        long long field[12] = {};
        for (int i = 0; i < 12; ++i) {
            p = std::strchr(p, ' ');
            if (!p) return false;
            field[i] = std::strtoll(++p, nullptr, 10);
        }
        t.ticks = field[10] + field[11];
        return true;
    }

    // Child pids of the watched thread, from /proc/self/task/<tid>/children (Linux >= 3.5).
    std::vector<pid_t> children() const {
        std::vector<pid_t> out;
        char path[64];
        std::snprintf(path, sizeof path, "/proc/self/task/%d/children", static_cast<int>(caller_));
        const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) return wb::testing::child_processes();  // kernel without the file: scan /proc
        char buf[4096];
        const ssize_t n = ::read(fd, buf, sizeof buf - 1);
        ::close(fd);
        if (n <= 0) return out;
        buf[n] = '\0';
        for (char* p = buf; *p;) {
            char* end = nullptr;
            const long v = std::strtol(p, &end, 10);
            if (end == p) break;
            out.push_back(static_cast<pid_t>(v));
            p = end;
        }
        return out;
    }

    // One look at the watched tasks: is anyone running, how much CPU time have they used, who is there.
    struct Sample {
        bool asleep = true;
        long long ticks = 0;
        std::vector<pid_t> kids;
    };
    Sample sample() const {
        Sample s;
        char path[64];
        Task t;
        std::snprintf(path, sizeof path, "/proc/self/task/%d/stat", static_cast<int>(caller_));
        if (read_task(path, t)) {
            s.asleep = t.state == 'S';
            s.ticks += t.ticks;
        }
        s.kids = children();
        for (const pid_t kid : s.kids) {
            std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(kid));
            if (!read_task(path, t)) continue;
            s.asleep = s.asleep && (t.state == 'S' || t.state == 'Z' || t.state == 'X');
            s.ticks += t.ticks;
        }
        return s;
    }

    void watch() {
        using clock = std::chrono::steady_clock;
        const auto start = clock::now();
        auto quiet_since = start;
        auto fired_at = start;
        Sample last = sample();
        std::unique_lock lock(m_);
        while (!cv_.wait_for(lock, std::chrono::milliseconds(50), [this] { return done_; })) {
            const auto now = clock::now();
            Sample s = sample();
            if (!s.asleep || s.ticks != last.ticks || s.kids != last.kids) quiet_since = now;
            last = std::move(s);
            if (!fired_) {
                const bool stalled = now - quiet_since >= patience_.quiet;
                if (!stalled && now - start < patience_.limit) continue;
                fired_ = true;
                fired_at = now;
                std::fprintf(stderr, "\nch01 test watchdog: %s, so the test stops it.\n  %s\n",
                             stalled ? "the call has made no progress: every process in it is asleep, waiting"
                                     : "the call has run far longer than a correct one takes",
                             advice_.c_str());
            } else if (now - fired_at >= patience_.quiet) {
                std::fprintf(stderr, "ch01 test watchdog: the call still has not returned; ending the test program.\n"
                             "  %s\n", advice_.c_str());
                std::fflush(stdout);  // what the test printed so far, then the end
                std::_Exit(1);
            }
            for (const pid_t kid : last.kids) ::kill(kid, SIGKILL);
        }
    }

    std::string advice_;
    Patience patience_;
    pid_t caller_;
    std::atomic<bool> fired_{false};
    std::mutex m_;
    std::condition_variable cv_;
    bool done_ = false;
    std::thread thread_;  // last: starts once the members above exist
};

/// Runs f() in the parent only (see in_parent) under a Watchdog. If the watchdog had to step in, the
/// test fails with `advice`, whatever f returned or threw.
template <class F>
auto guarded(const std::string& advice, F&& f, Patience patience = {}) {
    using Result = decltype(in_parent(f));
    std::optional<Result> result;
    std::exception_ptr error;
    {
        Watchdog dog(advice, patience);
        try {
            result.emplace(in_parent(f));
        } catch (...) {
            error = std::current_exception();
        }
        if (dog.fired()) FAIL("the test's watchdog had to stop this call. " << advice);
    }
    if (error) std::rethrow_exception(error);
    return std::move(*result);
}

}  // namespace ch01_tests
