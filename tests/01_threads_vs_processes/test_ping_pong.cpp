// Tests of exercise 01.4: ping_pong.
#include <unistd.h>

#include <stdexcept>

#include "ch01/ping_pong.hpp"
#include "wb/catch.hpp"
#include "wb/testing.hpp"

namespace {

// A child that wrongly returned from (or threw out of) the function under test would run the rest of
// this test program as a second copy of it. in_parent(f) calls f, and a stray child that comes back
// out of it, by return or by exception, ends there at once with status 99.
template <class F>
decltype(auto) in_parent(F&& f) {
    struct StopStrayChild {
        pid_t parent = ::getpid();
        ~StopStrayChild() {
            if (::getpid() != parent) ::_exit(99);
        }
    } stop;
    return f();
}

}  // namespace

TEST_CASE("01.4 every round trip comes back with the child's answer") {
    const int fds_before = wb::testing::open_descriptors();
    for (int rounds : {1, 2, 3, 1000}) {
        INFO("rounds: " << rounds);
        const ch01::PingPongResult r = in_parent([&] { return ch01::ping_pong(rounds); });
        REQUIRE(r.last_reply == 2u * static_cast<unsigned>(rounds - 1) + 1u);
        REQUIRE(r.seconds_per_round_trip > 0.0);  // a duration was measured (its size is not tested)
        REQUIRE(wb::testing::zombie_children().empty());
        REQUIRE(wb::testing::child_processes().empty());
        REQUIRE(wb::testing::open_descriptors() == fds_before);
    }
}

TEST_CASE("01.4 fewer than one round is an error, and starts no child") {
    const int fds_before = wb::testing::open_descriptors();
    REQUIRE_THROWS_AS(in_parent([&] { return ch01::ping_pong(0); }), std::invalid_argument);
    REQUIRE(wb::testing::child_processes().empty());
    REQUIRE(wb::testing::open_descriptors() == fds_before);
}
