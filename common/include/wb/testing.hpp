// wb/testing.hpp: checks shared by the chapter tests: leftover child processes, descriptors,
// shared-memory segments, and the thread counts every parallel test sweeps.
#pragma once

#include <string>
#include <sys/types.h>
#include <vector>

namespace wb::testing {

/// Process ids whose parent is this process (found by scanning /proc).
std::vector<pid_t> child_processes();
/// Children of this process that have exited but were never waited for.
std::vector<pid_t> zombie_children();
/// Number of open file descriptors of this process.
int open_descriptors();
/// Names in /dev/shm that start with `prefix`.
std::vector<std::string> shm_entries(const std::string& prefix);
/// 1, 2, ... up to two more than the logical cores: the sweep every parallel test runs.
std::vector<int> thread_counts();

}  // namespace wb::testing
