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
        int status = 1;
        try {
            to_child.write_end.reset();  // else the child would keep its own input open: no end of file
            to_parent.read_end.reset();
            while (const auto k = receive_value<std::uint64_t>(to_child.read_end.get()))
                send_value<std::uint64_t>(to_parent.write_end.get(), 2 * *k + 1);
            status = 0;
        } catch (...) {
        }
        ::_exit(status);
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
    const auto start = std::chrono::steady_clock::now();
    for (std::uint64_t k = 0; k < static_cast<std::uint64_t>(rounds); ++k) {
        send_value<std::uint64_t>(to_child.write_end.get(), k);
        const auto reply = receive_value<std::uint64_t>(to_parent.read_end.get());
        if (!reply || *reply != 2 * k + 1) throw std::runtime_error("ping_pong: missing or wrong answer");
        result.last_reply = *reply;
    }
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    result.seconds_per_round_trip = elapsed.count() / rounds;

    to_child.write_end.reset();  // end of file for the child: it leaves its loop and exits
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "waitpid");
    pid = -1;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw std::runtime_error("ping_pong: the child did not exit with status 0");
    return result;
}

WB_IMPL_END
}  // namespace ch01
