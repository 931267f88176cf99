// clean.hpp: what every chapter 03 test checks when it ends: no child process left (running or
// zombie), no descriptor leaked, no /dev/shm segment of this process left behind.
#pragma once

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "wb/catch.hpp"
#include "wb/testing.hpp"

namespace ch03_test {

/// How names created by this process begin in /dev/shm (tests running at the same time, e.g. the
/// exercise and the solution binary under `ctest -j`, have other pids and so other names).
inline std::string our_prefix() { return "wb03_" + std::to_string(::getpid()) + "_"; }

/// Take one at the start of a test, call require_clean() at its end.
struct Baseline {
    int fds = wb::testing::open_descriptors();
};

inline void require_clean(const Baseline& before) {
    REQUIRE(wb::testing::zombie_children().empty());
    REQUIRE(wb::testing::child_processes().empty());
    REQUIRE(wb::testing::open_descriptors() == before.fds);
    REQUIRE(wb::testing::shm_entries(our_prefix()).empty());
}

/// Polls `flag` until it is nonzero (returns it) or `seconds` pass (returns 0). A child sets it to 1
/// when ready, or to -1 when it failed, so a parent never waits for a child that has given up.
inline int wait_for_flag(const std::atomic<int>& flag, double seconds = 30.0) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (std::chrono::steady_clock::now() < until) {
        if (int v = flag.load(std::memory_order_acquire)) return v;
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    return 0;
}

/// True if /dev/shm lists `name` (given as "/wb03_..." or "wb03_...").
inline bool shm_exists(std::string name) {
    if (!name.empty() && name[0] == '/') name.erase(0, 1);
    for (const auto& n : wb::testing::shm_entries(name))
        if (n == name) return true;
    return false;
}

}  // namespace ch03_test
