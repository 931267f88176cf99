// wb/testing.hpp: checks shared by the chapter tests: leftover child processes, descriptors,
// shared-memory segments, and the thread counts every parallel test sweeps.
#pragma once

#include <functional>
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

/// Where the CPU time of one call went: on the calling thread, or on others.
struct WorkSpread {
    double wall_seconds = 0;    ///< elapsed time of the call
    double cpu_seconds = 0;     ///< CPU time of the whole process during the call (every thread,
                                ///< also threads that started and ended inside it)
    double caller_seconds = 0;  ///< CPU time of the calling thread alone

    /// Share of the call's CPU time spent on threads other than the caller: about 0 when the work ran
    /// serially on the caller, about (T-1)/T when T threads shared it evenly, 1 when the caller only
    /// waited. A robust observable of "did other threads do the work" that, unlike a speed ratio, does
    /// not depend on how busy the machine is: CPU time is counted only while a thread really runs.
    double off_caller_share() const {
        return cpu_seconds > 0 ? (cpu_seconds - caller_seconds) / cpu_seconds : 0.0;
    }
};

/// Runs `work` once and measures its WorkSpread (CLOCK_PROCESS_CPUTIME_ID and
/// CLOCK_THREAD_CPUTIME_ID). Give it at least some tens of milliseconds of work: OpenMP's idle threads
/// may spin for a moment after a parallel region, which counts as off-caller time.
WorkSpread measure_spread(const std::function<void()>& work);

}  // namespace wb::testing
