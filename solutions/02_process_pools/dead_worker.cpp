// EXERCISE 02.2 Goal: reap a worker process and say in words how it ended.
//
// Steps:
//   1. reap: wait for the child with waitpid(pid, &status, WNOHANG) in a loop, sleeping a little
//      between tries, until it has ended or `grace` has passed.
//   2. Past the grace period, kill(pid, SIGKILL) and wait for it with a blocking waitpid.
//   3. Retry a waitpid that fails with EINTR; any other failure throws std::system_error.
//   4. describe_exit: decode the status with WIFEXITED / WEXITSTATUS and WIFSIGNALED / WTERMSIG, and
//      name the signal with sigabbrev_np ("SEGV") and sigdescr_np ("Segmentation fault"); add
//      ", core dumped" when WCOREDUMP says so.
// Run `./wb grade 02` to check your work.
#include "ch02/dead_worker.hpp"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <string>
#include <system_error>
#include <thread>

namespace ch02 {
WB_IMPL_BEGIN

int reap(pid_t pid, std::chrono::milliseconds grace) {
    using Clock = std::chrono::steady_clock;
    const auto give_up = Clock::now() + grace;
    auto nap = std::chrono::microseconds(20);
    int status = 0;
    for (;;) {
        const pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid) return status;
        if (r < 0 && errno != EINTR) throw std::system_error(errno, std::generic_category(), "waitpid");
        if (Clock::now() >= give_up) break;
        std::this_thread::sleep_for(nap);  // sleep_for itself resumes after a signal
        nap = std::min(nap * 2, std::chrono::microseconds(5000));
    }
    ::kill(pid, SIGKILL);  // still ours: a pid is not reused before it is reaped
    for (;;) {
        const pid_t r = ::waitpid(pid, &status, 0);
        if (r == pid) return status;
        if (r < 0 && errno != EINTR) throw std::system_error(errno, std::generic_category(), "waitpid");
    }
}

std::string describe_exit(int status) {
    if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) {
        const int sig = WTERMSIG(status);
        const char* abbrev = ::sigabbrev_np(sig);
        const char* text = ::sigdescr_np(sig);
        std::string s = "killed by signal " + std::to_string(sig) + " (SIG" + (abbrev ? abbrev : "?") + ": " +
                        (text ? text : "unknown signal") + ")";
        if (WCOREDUMP(status)) s += ", core dumped";
        return s;
    }
    return "ended with wait status " + std::to_string(status);
}

WB_IMPL_END
}  // namespace ch02
