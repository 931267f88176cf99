// Tests of exercise 01.4: ping_pong.
#include <stdexcept>

#include "ch01/ping_pong.hpp"
#include "checks.hpp"
#include "wb/catch.hpp"
#include "wb/testing.hpp"

TEST_CASE("01.4 every round trip comes back with the child's answer") {
    const int fds_before = wb::testing::open_descriptors();
    for (int rounds : {1, 2, 3, 1000}) {
        INFO("rounds: " << rounds);
        const ch01::PingPongResult r = ch01_tests::in_parent([&] { return ch01::ping_pong(rounds); });
        REQUIRE(r.last_reply == 2u * static_cast<unsigned>(rounds - 1) + 1u);
        REQUIRE(r.seconds_per_round_trip > 0.0);  // a duration was measured (its size is not tested)
        ch01_tests::require_nothing_left(fds_before);
    }
}

TEST_CASE("01.4 fewer than one round is an error, and starts no child") {
    const int fds_before = wb::testing::open_descriptors();
    REQUIRE_THROWS_AS(ch01_tests::in_parent([&] { return ch01::ping_pong(0); }), std::invalid_argument);
    ch01_tests::require_nothing_left(fds_before);
}
