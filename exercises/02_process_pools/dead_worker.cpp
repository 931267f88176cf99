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
    // EXERCISE: returns the child's wait status once the child has been reaped (no zombie left). A
    // child still running when `grace` is over is killed with SIGKILL, then reaped. A wait cut short
    // by a signal is not a failure; `pid` not being a child of ours is (std::system_error).
    WB_TODO("02.2");
}

std::string describe_exit(int status) {
    // EXERCISE: the words ch02/dead_worker.hpp shows for this status: an exit with its code, or a
    // signal with its number, its SIG name and its description, and whether a core was dumped.
    WB_TODO("02.2");
}

WB_IMPL_END
}  // namespace ch02
