// Tests of the shared code every chapter relies on: statistics, the NOT STARTED marker, test helpers.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "wb/catch.hpp"
#include "wb/exercise.hpp"
#include "wb/stats.hpp"
#include "wb/testing.hpp"

TEST_CASE("quantile interpolates between order statistics") {
    REQUIRE(wb::median({3.0, 1.0, 2.0}) == 2.0);
    REQUIRE(wb::median({4.0, 1.0, 3.0, 2.0}) == 2.5);
    REQUIRE(wb::quantile({1.0, 2.0, 3.0, 4.0, 5.0}, 0.25) == 2.0);
    REQUIRE(wb::quantile({1.0, 2.0, 3.0, 4.0, 5.0}, 0.0) == 1.0);
    REQUIRE(wb::quantile({1.0, 2.0, 3.0, 4.0, 5.0}, 1.0) == 5.0);
    REQUIRE_THROWS_AS(wb::median({}), std::invalid_argument);
}

TEST_CASE("WB_TODO names the exercise and the file relative to the workbook root") {
    try {
        WB_TODO("99.1");
        FAIL("WB_TODO did not throw");
    } catch (const wb::NotStarted& e) {
        const std::string msg = e.what();
        REQUIRE(msg.find("EXERCISE 99.1 NOT STARTED") != std::string::npos);
        REQUIRE(msg.find("open common/tests/test_common.cpp") != std::string::npos);
    }
}

TEST_CASE("zombie_children sees an unreaped child, and not after waitpid") {
    REQUIRE(wb::testing::zombie_children().empty());
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) _exit(0);
    // The child exits at once; give the kernel a moment to mark it a zombie.
    for (int i = 0; i < 200 && wb::testing::zombie_children().empty(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    REQUIRE(wb::testing::zombie_children() == std::vector<pid_t>{pid});
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    REQUIRE(wb::testing::zombie_children().empty());
    REQUIRE(wb::testing::child_processes().empty());
}

TEST_CASE("open_descriptors counts a pipe's two ends") {
    const int before = wb::testing::open_descriptors();
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    REQUIRE(wb::testing::open_descriptors() == before + 2);
    close(fds[0]);
    close(fds[1]);
    REQUIRE(wb::testing::open_descriptors() == before);
}

TEST_CASE("thread_counts sweeps from 1 to two more than the cores") {
    const auto counts = wb::testing::thread_counts();
    REQUIRE(counts.front() == 1);
    REQUIRE(counts.back() == static_cast<int>(std::max(1u, std::thread::hardware_concurrency())) + 2);
}

TEST_CASE("measure_spread tells work on the caller from work on other threads") {
    auto spin = [](double seconds) {
        const auto t0 = std::chrono::steady_clock::now();
        volatile double x = 1;
        while (std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() < seconds) x = x * 1.0000001;
    };
    const auto serial = wb::testing::measure_spread([&] { spin(0.05); });
    INFO("serial: cpu " << serial.cpu_seconds << " s, caller " << serial.caller_seconds << " s");
    CHECK(serial.off_caller_share() < 0.1);
    const auto other = wb::testing::measure_spread([&] { std::thread t(spin, 0.05); t.join(); });
    INFO("other thread: cpu " << other.cpu_seconds << " s, caller " << other.caller_seconds << " s");
    CHECK(other.off_caller_share() > 0.9);
}
