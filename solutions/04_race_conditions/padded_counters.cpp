// EXERCISE 04.4 Goal: give every thread's counter a cache line of its own, so that threads counting side
// by side stop slowing each other down (false sharing). The counts are right already; what this
// exercise changes is where the counters lie in memory.
//
// What the grade checks: every counter ends at exactly its thread's count; a probe in ch04::count_in
// records where each thread counts, and no two threads' counters may lie on the same
// cache_line_bytes-sized line, wherever the allocator puts the storage (5 fresh runs per thread
// count); the speed report counts 2^20 events with no busy work on every core and wants at least 0.6
// of the reference speed.
// Read first: chapters/04_race_conditions/README.md, section "False sharing".
// Stuck? `./wb hint 04.4` shows a hint, one stage per call.
#include "ch04/padded_counters.hpp"

#include <atomic>
#include <thread>
#include <vector>

#include "ch04/counter.hpp"

namespace ch04 {
WB_IMPL_BEGIN

struct alignas(cache_line_bytes) Slot {
    std::atomic<std::uint64_t> value{0};
};
static_assert(sizeof(Slot) == cache_line_bytes, "one slot per cache line");

std::vector<std::uint64_t> count_in_own_slots(int threads, std::int64_t per_thread, int work) {
    std::vector<Slot> slots(static_cast<std::size_t>(threads));  // C++17 new honours the alignment
    auto worker = [&](int t) {
        std::atomic<std::uint64_t>& mine = slots[static_cast<std::size_t>(t)].value;
        for (std::int64_t i = 0; i < per_thread; ++i) {
            busy_work(static_cast<std::uint64_t>(i), work);
            count_in(mine);
        }
    };
    {
        std::vector<std::jthread> pool;
        for (int t = 0; t < threads; ++t) pool.emplace_back(worker, t);
    }  // each std::jthread joins when the vector is destroyed
    std::vector<std::uint64_t> counts;
    for (const Slot& s : slots) counts.push_back(s.value.load());
    return counts;
}

WB_IMPL_END
}  // namespace ch04
