// Tests of exercise 01.4: ping_pong.
#include <fcntl.h>

#include <stdexcept>
#include <string>

#include "ch01/ping_pong.hpp"
#include "ch01/posix.hpp"
#include "checks.hpp"
#include "wb/catch.hpp"
#include "wb/testing.hpp"

namespace {

// What the learner reads when a call hangs. With few rounds only the child's end of file can be missing.
const std::string kNoEndOfFile =
    "ping_pong did not finish: the parent waits in waitpid() for a child that is still waiting for input. "
    "Does the child close the write end of its own input pipe? While any write end is open, end of file "
    "never comes.";
// With many rounds, a parent that does not wait for each answer deadlocks as well.
const std::string kNoRoundTrip =
    "ping_pong did not finish: the parent and the child are both waiting. Does the parent wait for each "
    "answer before it sends the next number? A parent that sends every number first fills the pipe to "
    "the child while the child fills the pipe of answers that nobody reads; then both block in write(). "
    "(Or the child never sees end of file: does it close the write end of its own input pipe?)";

// How many bytes one pipe holds on this machine (64 KiB by default on Linux with 4 KiB pages).
int pipe_capacity() {
    const ch01::Pipe p = ch01::make_pipe();
    const int bytes = ::fcntl(p.read_end.get(), F_GETPIPE_SZ);
    REQUIRE(bytes > 0);
    return bytes;
}

}  // namespace

TEST_CASE("01.4 every round trip comes back with the child's answer") {
    ch01_tests::IgnoreSigpipe no_sigpipe;
    const int fds_before = wb::testing::open_descriptors();
    for (int rounds : {1, 2, 3, 1000}) {
        INFO("rounds: " << rounds);
        const ch01::PingPongResult r =
            ch01_tests::guarded(kNoEndOfFile, [&] { return ch01::ping_pong(rounds); });
        REQUIRE(r.last_reply == 2u * static_cast<unsigned>(rounds - 1) + 1u);
        REQUIRE(r.seconds_per_round_trip > 0.0);  // a duration was measured (its size is not tested)
        ch01_tests::require_nothing_left(fds_before);
    }
}

TEST_CASE("01.4 the parent waits for each answer before it sends the next number") {
    // A round trip is one message there and its answer back, then the next message. A parent that
    // sends every number first and reads the answers afterwards measures something else, and with
    // 1000 rounds it even works: 8000 bytes fit in a pipe. With more rounds than both pipes hold
    // together it cannot work, whatever the timing: the parent blocks in write() on the full pipe to
    // the child, the child blocks in write() on the full pipe of answers that nobody reads. That
    // deadlock is deterministic, and the watchdog sees it (both asleep, no CPU time used) and ends it.
    // A parent that waits for each answer has at most 8 bytes in each pipe, so it cannot fill them.
    ch01_tests::IgnoreSigpipe no_sigpipe;
    const int fds_before = wb::testing::open_descriptors();
    const int rounds = 2 * pipe_capacity() / 8 + 4096;  // 20480 with 64 KiB pipes
    INFO("rounds: " << rounds);
    const ch01::PingPongResult r = ch01_tests::guarded(kNoRoundTrip, [&] { return ch01::ping_pong(rounds); });
    REQUIRE(r.last_reply == 2u * static_cast<unsigned>(rounds - 1) + 1u);
    ch01_tests::require_nothing_left(fds_before);
}

TEST_CASE("01.4 fewer than one round is an error, and starts no child") {
    const int fds_before = wb::testing::open_descriptors();
    REQUIRE_THROWS_AS(ch01_tests::in_parent([&] { return ch01::ping_pong(0); }), std::invalid_argument);
    ch01_tests::require_nothing_left(fds_before);
}
