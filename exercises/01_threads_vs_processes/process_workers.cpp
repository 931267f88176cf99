// EXERCISE 01.3 Goal: run n workers at the same time as child processes and collect their results
// through pipes, leaving no child unreaped whatever happens to it.
//
// Steps:
//   1. For each worker i, fork(). The child closes the read end, computes work(i), sends the result
//      with send_value (exercise 01.2 underneath) and ends with _exit(0); if work(i) throws it ends
//      with _exit(1). The child never returns from this function.
//   2. The parent records the pid, closes its copy of the write end at once (else end of file never
//      comes) and keeps the read end. Fork all children before reading from any.
//   3. For each child in order: read its result with read_all, then reap it with waitpid (retry after
//      EINTR) and decode how it ended: WIFEXITED/WEXITSTATUS or WIFSIGNALED/WTERMSIG.
// Run `./wb grade 01` to check your work.
#include "ch01/process_workers.hpp"

#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>

#include "ch01/pipe_io.hpp"
#include "ch01/posix.hpp"

namespace ch01 {
WB_IMPL_BEGIN
namespace {

// If this function is left by an exception, kills and reaps every child not yet reaped (pid > 0),
// so an error in the parent leaves neither a zombie nor an orphan behind.
struct ReapLeftovers {
    std::vector<pid_t>& pids;
    ~ReapLeftovers() {
        for (pid_t pid : pids)
            if (pid > 0) kill_and_reap(pid);
    }
};

}  // namespace

std::vector<ChildOutcome> run_process_workers(int n, const std::function<double(int)>& work) {
    if (n < 0) throw std::invalid_argument("run_process_workers: n must be >= 0");
    const auto count = static_cast<std::size_t>(n);
    std::vector<ChildOutcome> outcomes(count);
    std::vector<pid_t> pids;  // -1 once reaped
    std::vector<Fd> from_child;
    pids.reserve(count);
    from_child.reserve(count);
    ReapLeftovers guard{pids};

    for (int i = 0; i < n; ++i) {
        Pipe pipe = make_pipe();
        // EXERCISE: fork() child i (steps 1 and 2). The child sends work(i) through pipe.write_end and
        //           ends with ::_exit; the parent appends the pid to pids, closes pipe.write_end with
        //           reset() and moves pipe.read_end into from_child.
        // Hint: fork() returns 0 in the child, the child's pid in the parent, -1 on error (throw
        //       std::system_error(errno, std::generic_category(), "fork")). Wrap the child's work in
        //       try { ... } catch (...) {} and reach ::_exit(status) on every path: never return.
        WB_TODO("01.3");
    }

    for (std::size_t i = 0; i < count; ++i) {
        // EXERCISE: fill outcomes[i] (step 3): read child i's double from from_child[i] with read_all
        //           (a full sizeof(double) means has_value), then reap child i and decode its status.
        // Hint: ::waitpid(pids[i], &status, 0) returns -1 with errno == EINTR when a signal interrupts it:
        //       call it again. Set pids[i] = -1 once reaped, so ReapLeftovers does not touch it.
        WB_TODO("01.3");
    }
    return outcomes;
}

WB_IMPL_END
}  // namespace ch01
