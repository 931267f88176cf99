// Tests of exercise 01.3: run_process_workers.
#include <signal.h>
#include <unistd.h>

#include <stdexcept>

#include "ch01/process_workers.hpp"
#include "checks.hpp"
#include "wb/catch.hpp"
#include "wb/testing.hpp"

namespace {

double slice_sum(int i) {
    double s = 0.0;
    for (int k = 1000 * i + 1; k <= 1000 * (i + 1); ++k) s += 1.0 / (static_cast<double>(k) * k);
    return s;
}

int g_counter = 0;  // each child increments its own copy

}  // namespace

TEST_CASE("01.3 every child's result comes back through its pipe, in order") {
    const int fds_before = wb::testing::open_descriptors();
    for (int n : wb::testing::thread_counts()) {
        INFO("workers: " << n);
        const auto out = ch01_tests::in_parent([&] { return ch01::run_process_workers(n, slice_sum); });
        REQUIRE(out.size() == static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) {
            INFO("child " << i << " (exit code 99: it came back out of run_process_workers instead of calling _exit)");
            const auto& o = out[static_cast<std::size_t>(i)];
            REQUIRE(o.has_value);
            // Exact comparison: the child runs the same machine code on the same input as this call, and
            // its 8 bytes come through the pipe unchanged.
            REQUIRE(o.value == slice_sum(i));
            REQUIRE(o.exit_code == 0);
            REQUIRE(o.signal == 0);
        }
        ch01_tests::require_nothing_left(fds_before);
    }
}

TEST_CASE("01.3 zero workers give an empty result; a negative count is an error") {
    REQUIRE(ch01_tests::in_parent([&] { return ch01::run_process_workers(0, slice_sum); }).empty());
    REQUIRE_THROWS_AS(ch01_tests::in_parent([&] { return ch01::run_process_workers(-1, slice_sum); }),
                      std::invalid_argument);
}

TEST_CASE("01.3 each child works on its own copy of the parent's memory") {
    const int fds_before = wb::testing::open_descriptors();
    g_counter = 0;
    const auto out = ch01_tests::in_parent(
        [&] { return ch01::run_process_workers(4, [](int) { return static_cast<double>(++g_counter); }); });
    REQUIRE(out.size() == 4);
    for (const auto& o : out) REQUIRE(o.value == 1.0);  // each child saw 0 and made it 1 in its copy
    REQUIRE(g_counter == 0);                            // the parent's copy was never touched
    ch01_tests::require_nothing_left(fds_before);
}

TEST_CASE("01.3 a child that fails, exits early or is killed is reported, and reaped") {
    const int fds_before = wb::testing::open_descriptors();
    const auto work = [](int i) -> double {
        if (i == 1) throw std::runtime_error("no result");
        if (i == 2) ::_exit(7);
        if (i == 3) ::raise(SIGKILL);
        return 10.0 * i;
    };
    const auto out = ch01_tests::in_parent([&] { return ch01::run_process_workers(5, work); });
    REQUIRE(out.size() == 5);
    CHECK((out[0].has_value && out[0].value == 0.0 && out[0].exit_code == 0 && out[0].signal == 0));
    CHECK((!out[1].has_value && out[1].exit_code == 1 && out[1].signal == 0));
    CHECK((!out[2].has_value && out[2].exit_code == 7 && out[2].signal == 0));
    CHECK((!out[3].has_value && out[3].exit_code == -1 && out[3].signal == SIGKILL));
    CHECK((out[4].has_value && out[4].value == 40.0 && out[4].exit_code == 0 && out[4].signal == 0));
    ch01_tests::require_nothing_left(fds_before);
}
