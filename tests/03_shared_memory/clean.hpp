// clean.hpp: what every chapter 03 test checks when it ends: no child process left (running or
// zombie), no descriptor leaked, no /dev/shm segment of this process left behind, no name left in the
// clean-up registry.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

#include "ch03/shm_registry.hpp"
#include "wb/catch.hpp"
#include "wb/testing.hpp"

namespace ch03_test {

/// How names created by this process begin in /dev/shm (tests running at the same time, e.g. the
/// exercise and the solution binary under `ctest -j`, have other pids and so other names).
inline std::string our_prefix() { return "wb03_" + std::to_string(::getpid()) + "_"; }

/// Take one at the start of a test, call require_clean() at its end. Whatever the test's outcome, its
/// destructor removes the /dev/shm names of this process that are still there, so that an unfinished
/// exercise does not fill /dev/shm run after run (require_clean has already failed the test for them).
struct Baseline {
    int fds = wb::testing::open_descriptors();
    Baseline() = default;
    Baseline(const Baseline&) = delete;
    Baseline& operator=(const Baseline&) = delete;
    ~Baseline() {
        for (const auto& name : wb::testing::shm_entries(our_prefix())) ::shm_unlink(("/" + name).c_str());
    }
};

inline void require_clean(const Baseline& before) {
    REQUIRE(wb::testing::zombie_children().empty());
    REQUIRE(wb::testing::child_processes().empty());
    REQUIRE(wb::testing::open_descriptors() == before.fds);
    REQUIRE(wb::testing::shm_entries(our_prefix()).empty());
    // Every name this process registered for the signal handler was unregistered again.
    REQUIRE(ch03::registered_shm_names() == 0);
}

/// True while `p` lies in a mapping of this process (mincore fails with ENOMEM for an unmapped page).
inline bool is_mapped(const void* p) {
    const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    unsigned char resident = 0;
    void* start = reinterpret_cast<void*>(reinterpret_cast<std::uintptr_t>(p) / page * page);
    return ::mincore(start, 1, &resident) == 0;
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
