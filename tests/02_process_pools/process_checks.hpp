// Checks shared by the chapter 02 tests: nothing may be left behind, and forked test children must
// never come back into Catch2.
#pragma once

#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <thread>
#include <utility>

#include "wb/catch.hpp"
#include "wb/testing.hpp"

namespace ch02_test {

/// A matcher for "the string contains `part`", in Catch2 v2 and v3 alike.
inline auto contains(const std::string& part) {
#if WB_CATCH_VERSION == 3
    return Catch::Matchers::ContainsSubstring(part);
#else
    return Catch::Matchers::Contains(part);
#endif
}

/// Notes the open descriptors now; require_clean() checks that none were added and that this process
/// has no child at all (no zombie, no worker still running).
class Leftovers {
   public:
    Leftovers() : fds_(wb::testing::open_descriptors()) {}
    void require_clean() const {
        REQUIRE(wb::testing::zombie_children().empty());
        REQUIRE(wb::testing::child_processes().empty());
        REQUIRE(wb::testing::open_descriptors() == fds_);
    }

   private:
    int fds_;
};

/// Sets up a forked test child: it dies with the test, writes no core file, and crashes for real
/// (default signal actions instead of Catch2's handlers).
inline void child_setup() {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    const rlimit no_core{0, 0};
    ::setrlimit(RLIMIT_CORE, &no_core);
    for (int sig : {SIGSEGV, SIGABRT, SIGTERM, SIGALRM}) ::signal(sig, SIG_DFL);
}

/// A child made by the test, running `body` and then exiting with 0. The constructor returns once the
/// child has run child_setup(): a signal the test sends it then meets the default action, never the
/// test framework's handler inherited with the fork. If nobody reaped it (the code under test, or
/// wait()), the destructor does, killing it first if it still runs: a failing test leaves no process
/// behind either.
class Child {
   public:
    template <class Body>
    explicit Child(Body body) {
        int ready[2];
        REQUIRE(::pipe(ready) == 0);
        pid_ = ::fork();
        REQUIRE(pid_ >= 0);
        if (pid_ == 0) {
            child_setup();
            ::close(ready[0]);
            ::close(ready[1]);  // end of file for the parent: set up
            body();
            ::_exit(0);
        }
        ::close(ready[1]);
        char c = 0;
        while (::read(ready[0], &c, 1) < 0 && errno == EINTR) {
        }
        ::close(ready[0]);
    }
    ~Child() {
        if (::waitpid(pid_, nullptr, WNOHANG) == 0) {  // still running, so still ours: kill it
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    pid_t pid() const { return pid_; }
    /// Waits for the child to end and returns its wait status.
    int wait() const {
        int status = 0;
        REQUIRE(::waitpid(pid_, &status, 0) == pid_);
        return status;
    }

   private:
    pid_t pid_ = -1;
};

/// Signals counted by AlarmStorm's handler.
inline volatile sig_atomic_t g_alarms = 0;
inline void count_alarm(int) { g_alarms = g_alarms + 1; }

/// While it lives: SIGALRM every 200 us for this process, handled without SA_RESTART, so that a
/// blocking call (recv, poll, waitpid) that is waiting when it comes fails with EINTR. Threads made
/// with thread_without_alarms() block the signal, so it lands on the others (the test's own thread).
class AlarmStorm {
   public:
    AlarmStorm() {
        struct sigaction sa {};
        sa.sa_handler = count_alarm;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = 0;
        REQUIRE(::sigaction(SIGALRM, &sa, &old_) == 0);
        g_alarms = 0;
        itimerval every{{0, 200}, {0, 200}};
        ::setitimer(ITIMER_REAL, &every, nullptr);
    }
    ~AlarmStorm() {
        itimerval off{};
        ::setitimer(ITIMER_REAL, &off, nullptr);
        ::sigaction(SIGALRM, &old_, nullptr);
    }
    AlarmStorm(const AlarmStorm&) = delete;
    AlarmStorm& operator=(const AlarmStorm&) = delete;

   private:
    struct sigaction old_ {};
};

/// A thread that never takes SIGALRM: the mask is set before it starts, so it has no moment without it.
template <class F>
std::thread thread_without_alarms(F body) {
    sigset_t alrm, old;
    sigemptyset(&alrm);
    sigaddset(&alrm, SIGALRM);
    ::pthread_sigmask(SIG_BLOCK, &alrm, &old);
    std::thread t(std::move(body));
    ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
    return t;
}

}  // namespace ch02_test
