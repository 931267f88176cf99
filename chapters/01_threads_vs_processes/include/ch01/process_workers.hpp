// ch01/process_workers.hpp: exercise 01.3, N workers as child processes, results through pipes.
#pragma once

#include <functional>
#include <vector>

#include "wb/exercise.hpp"

namespace ch01 {
WB_IMPL_BEGIN

/// What became of one child process.
struct ChildOutcome {
    bool has_value = false;  ///< the child sent a complete result
    double value = 0.0;      ///< that result (0 without one)
    int exit_code = -1;      ///< the child's exit status if it exited normally, else -1
    int signal = 0;          ///< the signal that killed the child, else 0
};

/// Runs work(0), ..., work(n-1) at the same time in n child processes made with fork(). Child i
/// computes work(i) on its own copy of this process's memory, sends the double back through a pipe of
/// its own and ends with _exit(0); if work(i) throws, the child sends nothing and ends with _exit(1).
/// The parent reads every pipe, reaps every child with waitpid() and returns one outcome per child,
/// in order of i. Whatever the children do (crash, exit early, get killed), no child is left unreaped
/// and no descriptor is left open. Throws std::invalid_argument if n < 0.
std::vector<ChildOutcome> run_process_workers(int n, const std::function<double(int)>& work);

WB_IMPL_END
}  // namespace ch01
