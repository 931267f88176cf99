#include "wb/catch.hpp"
#include "ch00/median_timer.hpp"
TEST_CASE("median is positive") {
    REQUIRE(ch00::median_seconds([] {}, 5) >= 0.0);
}
