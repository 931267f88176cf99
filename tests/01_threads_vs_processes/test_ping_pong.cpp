// Tests of exercise 01.4: ping_pong.
#include <unistd.h>

#include <stdexcept>

#include "ch01/ping_pong.hpp"
#include "wb/catch.hpp"
#include "wb/testing.hpp"

namespace {

// A child that wrongly returned from ping_pong would run the rest of this test program as a second
// copy of it. Such a stray child ends here, at once, instead.
struct StrayChildStop {
    pid_t parent = ::getpid();
    void operator()() const {
        if (::getpid() != parent) ::_exit(99);
    }
};

}  // namespace

TEST_CASE("01.4 every round trip comes back with the child's answer") {
    const StrayChildStop stray;
    const int fds_before = wb::testing::open_descriptors();
    for (int rounds : {1, 2, 3, 1000}) {
        INFO("rounds: " << rounds);
        const ch01::PingPongResult r = ch01::ping_pong(rounds);
        stray();
        REQUIRE(r.last_reply == 2u * static_cast<unsigned>(rounds - 1) + 1u);
        REQUIRE(r.seconds_per_round_trip > 0.0);  // a duration was measured (its size is not tested)
        REQUIRE(wb::testing::zombie_children().empty());
        REQUIRE(wb::testing::child_processes().empty());
        REQUIRE(wb::testing::open_descriptors() == fds_before);
    }
}

TEST_CASE("01.4 fewer than one round is an error, and starts no child") {
    const StrayChildStop stray;
    const int fds_before = wb::testing::open_descriptors();
    REQUIRE_THROWS_AS(ch01::ping_pong(0), std::invalid_argument);
    stray();
    REQUIRE(wb::testing::child_processes().empty());
    REQUIRE(wb::testing::open_descriptors() == fds_before);
}
