// work_spread.hpp: the check, shared by the 05.4 and 05.5 tests, that threads other than the caller
// really did their share of a parallel loop.
#pragma once

#include <cmath>
#include <ctime>

#include "wb/catch.hpp"
#include "wb/testing.hpp"

namespace ch05_tests {

/// wb::testing::measure_spread: where the CPU time of the calls went. With the work shared by T
/// threads, about (T-1)/T of it is spent off the calling thread; a serial loop spends about 0 there,
/// however fast it runs. The bound is half of (T-1)/T: OpenMP threads that wait at the end of a loop
/// spin for a moment, on whichever side finished first, which moves the share by a few percent, not by
/// half. `call` (returning a double, kept so the calls cannot be optimized away) is repeated until the
/// process has used 60 ms of CPU time, as measure_spread needs (fewer calls when a sanitizer slows
/// each one).
template <class Call>
void require_work_off_caller(int threads, Call call) {
    double sink = 0.0;
    const auto spread = wb::testing::measure_spread([&] {
        const std::clock_t start = std::clock();
        do sink += call();
        while (std::clock() - start < CLOCKS_PER_SEC * 6 / 100);
    });
    const double expected = static_cast<double>(threads - 1) / threads;
    INFO("CPU time: " << spread.cpu_seconds << " s in all, " << spread.caller_seconds
                      << " s on the calling thread: a share of " << spread.off_caller_share()
                      << " on other threads, expected about " << expected << " (a serial loop gives 0)");
    REQUIRE(spread.off_caller_share() > 0.5 * expected);
    REQUIRE(std::isfinite(sink));
}

}  // namespace ch05_tests
