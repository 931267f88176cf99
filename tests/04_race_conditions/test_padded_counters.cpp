// Tests of exercise 04.4: per-thread counters on cache lines of their own. Padding changes where the
// counters lie, not what they count: a probe in ch04::count_in records the address of every counter
// counted in, and the test checks that no two threads' counters share a line. `ch04_perf` (run by
// ./wb grade) times the result.
#include <algorithm>
#include <cstdint>
#include <iterator>
#include <mutex>
#include <set>
#include <vector>

#include "ch04/padded_counters.hpp"
#include "checks.hpp"
#include "wb/catch.hpp"

namespace {

/// While alive, records the address of every counter that ch04::count_in counts in.
class WatchSlots final : public ch04::SlotProbe {
public:
    WatchSlots() { ch04::slot_probe.probe.store(this); }
    ~WatchSlots() override { ch04::slot_probe.probe.store(nullptr); }
    WatchSlots(const WatchSlots&) = delete;
    WatchSlots& operator=(const WatchSlots&) = delete;
    void saw(const void* counter) override {
        const std::lock_guard<std::mutex> lock(mutex_);
        addresses_.insert(reinterpret_cast<std::uintptr_t>(counter));
    }
    std::set<std::uintptr_t> addresses() {
        const std::lock_guard<std::mutex> lock(mutex_);
        return addresses_;
    }

private:
    std::mutex mutex_;
    std::set<std::uintptr_t> addresses_;
};

}  // namespace

TEST_CASE("04.4 every thread's slot holds exactly its own count", "[ch04]") {
    constexpr std::int64_t per_thread = 50000;
    for (int threads : ch04_tests::thread_counts_largest_first()) {
        for (int work : {0, 30}) {
            INFO(threads << " threads, " << work << " work steps");
            const std::vector<std::uint64_t> expected(static_cast<std::size_t>(threads), per_thread);
            REQUIRE(ch04::count_in_own_slots(threads, per_thread, work) == expected);
        }
    }
}

TEST_CASE("04.4 no two threads' counters share a cache line", "[ch04]") {
    for (int threads : ch04_tests::thread_counts_largest_first()) {
        for (int round = 0; round < 5; ++round) {  // fresh allocations: the check holds wherever they land
            WatchSlots watch;
            REQUIRE(ch04::count_in_own_slots(threads, 100, 0) ==
                    std::vector<std::uint64_t>(static_cast<std::size_t>(threads), 100));
            const std::set<std::uintptr_t> addresses = watch.addresses();
            INFO(threads << " threads, round " << round << ": counted in " << addresses.size()
                         << " distinct counters through ch04::count_in (one per thread expected)");
            REQUIRE(addresses.size() == static_cast<std::size_t>(threads));
            std::set<std::uintptr_t> lines;
            std::uintptr_t closest = UINTPTR_MAX;
            for (auto it = addresses.begin(); it != addresses.end(); ++it) {
                lines.insert(*it / ch04::cache_line_bytes);
                if (it != addresses.begin()) closest = std::min(closest, *it - *std::prev(it));
            }
            INFO("the closest two counters are " << closest << " bytes apart; they use " << lines.size()
                                                 << " cache lines of " << ch04::cache_line_bytes
                                                 << " bytes (one per thread expected)");
            REQUIRE(lines.size() == static_cast<std::size_t>(threads));
        }
    }
}

TEST_CASE("04.4 no events leave every slot at zero", "[ch04]") {
    REQUIRE(ch04::count_in_own_slots(3, 0, 30) == std::vector<std::uint64_t>(3, 0));
}
