// EXERCISE 01.4 Goal: measure the round-trip time between a parent and its child: the parent sends a
// number through one pipe, the child answers through another, and only then does the next number go.
// The round trip is the fixed cost of every exchange with another process, the price per message that
// a pool of processes (chapter 02) pays.
// Uses exercise 01.2 (send_value and receive_value run on write_all and read_all): finish that one first.
//
// What the grade checks: every answer is right for 1, 2, 3 and 1000 rounds; with more rounds than the
// two pipes hold together (about 20000) the exchange still completes, which only a true round trip
// does (a test's watchdog stops the call when both processes wait for ever); afterwards no child is
// left running or unreaped and no descriptor is left open; the speed report times 2000 round trips.
// Read first: chapters/01_threads_vs_processes/README.md, sections "Pipes: talking to a
// process" and "The rules for a forked child".
// Stuck? `./wb hint 01.4` shows a hint, one stage per call.
#include "ch01/ping_pong.hpp"

#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <stdexcept>
#include <system_error>

#include "ch01/pipe_io.hpp"
#include "ch01/posix.hpp"

namespace ch01 {
WB_IMPL_BEGIN

PingPongResult ping_pong(int rounds) {
    if (rounds < 1) throw std::invalid_argument("ping_pong: rounds must be >= 1");
    Pipe to_child = make_pipe();
    Pipe to_parent = make_pipe();
    pid_t pid = ::fork();
    if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork");
    if (pid == 0) {
        // EXERCISE: the child's side. When the child ends, it has answered every k that came through
        //           to_child with 2k + 1 through to_parent, one answer per number, in order, and it has
        //           seen end of file: it ends with status 0 then, with 1 after any error, never returning
        //           from here. It holds no pipe end it does not use (a process that holds a write end of
        //           its own input never sees end of file). Until you write this part, it ends at once.
        ::_exit(1);
    }
    to_child.read_end.reset();
    to_parent.write_end.reset();
    struct ReapLeftover {  // on an exception below: kill and reap the child, leave no zombie
        pid_t& pid;
        ~ReapLeftover() {
            if (pid > 0) kill_and_reap(pid);
        }
    } guard{pid};

    PingPongResult result;
    // EXERCISE: the parent's side. For k = 0, 1, ..., rounds-1, in turn: k has gone to the child as a
    //           std::uint64_t, and its answer has come back and been checked (std::runtime_error if it
    //           is missing or not 2k + 1) before k+1 goes: that is one round trip. result holds the last
    //           answer and the wall time of all round trips divided by their number.
    WB_TODO("01.4");

    to_child.write_end.reset();  // end of file for the child: it leaves its loop and exits
    int status = 0;
    // EXERCISE: the child has been reaped and its exit status is in status; pid is -1, so that the
    //           guard leaves it alone. A signal that interrupts the wait is not an error; any other
    //           failure is thrown.
    WB_TODO("01.4");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw std::runtime_error("ping_pong: the child did not exit with status 0");
    return result;
}

WB_IMPL_END
}  // namespace ch01
