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
    // EXERCISE: wait for `pid` with waitpid(..., WNOHANG) until it ends or `grace` is over; then
    // kill it with SIGKILL and wait for it (blocking). Return the status.
    // Hint: waitpid returns 0 while the child still runs and -1 on failure: retry when errno is EINTR,
    // throw std::system_error(errno, std::generic_category(), "waitpid") otherwise. Sleep a little
    // between tries (std::this_thread::sleep_for). Killing the pid is safe: it cannot be reused
    // before you reap it.
    WB_TODO("02.2");
}

std::string describe_exit(int status) {
    // EXERCISE: "exited with status N" or "killed by signal N (SIGXXX: description)", plus
    // ", core dumped" when the status says so.
    // Hint: WIFEXITED/WEXITSTATUS, WIFSIGNALED/WTERMSIG, WCOREDUMP; sigabbrev_np(SIGSEGV) gives "SEGV"
    // (no "SIG" in front), sigdescr_np(SIGSEGV) gives "Segmentation fault".
    WB_TODO("02.2");
}

WB_IMPL_END
}  // namespace ch02
