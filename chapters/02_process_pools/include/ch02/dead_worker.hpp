// ch02/dead_worker.hpp: exercise 02.2, finding out how a worker process ended, and saying it in words.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>

#include "wb/exercise.hpp"

namespace ch02 {
WB_IMPL_BEGIN

/// Reaps child process `pid`: waits for it to end and returns its wait status (as waitpid fills it).
/// If it is still running after `grace`, kills it with SIGKILL and then waits for it. Survives signals
/// that interrupt the wait (EINTR). Throws std::system_error if `pid` is not a child of this process.
/// After it returns the child is gone for good: no zombie is left, and its pid may be reused.
int reap(pid_t pid, std::chrono::milliseconds grace);

/// Says how a process ended, from its wait status:
///   "exited with status 3"
///   "killed by signal 11 (SIGSEGV: Segmentation fault)"
///   "killed by signal 6 (SIGABRT: Aborted), core dumped"
std::string describe_exit(int wait_status);

WB_IMPL_END
}  // namespace ch02
