// EXERCISE 02.2 Goal: reap a worker process, killing it if it outlives a grace period, and say in
// words how it ended. A process that has ended stays a zombie, its pid reserved, until its parent
// reaps it: a pool that forgets leaks a process-table entry for every crash.
//
// What the grade checks: exit codes and signals (SIGSEGV, abort, SIGKILL, SIGTERM, a core dump) in
// the exact words of ch02/dead_worker.hpp; a child that ends within the grace period is waited for
// and keeps its own exit status; one that outlives it is killed with SIGKILL; signals that interrupt
// the wait change nothing; a pid that is not our child throws std::system_error; after every call no
// zombie and no child is left.
// Read first: chapters/02_process_pools/README.md, section "When workers fail".
// Stuck? `./wb hint 02.2` shows a hint, one stage per call.
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
