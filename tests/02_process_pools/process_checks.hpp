// Checks shared by the chapter 02 tests: nothing may be left behind, and forked test children must
// never come back into Catch2.
#pragma once

#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

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

/// A child made by the test, running `body` and then exiting with 0. If nobody reaped it (the code
/// under test, or wait()), the destructor does, killing it first if it still runs: a failing test
/// leaves no process behind either.
class Child {
   public:
    template <class Body>
    explicit Child(Body body) {
        pid_ = ::fork();
        REQUIRE(pid_ >= 0);
        if (pid_ == 0) {
            child_setup();
            body();
            ::_exit(0);
        }
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

}  // namespace ch02_test
