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

// EXERCISE: a counter type whose objects, side by side in an array, never share a cache line.

std::vector<std::uint64_t> count_in_own_slots(int threads, std::int64_t per_thread, int work) {
    // EXERCISE: these counters are 8 bytes each, so eight of them fit in one 64-byte line and every
    // increment takes the whole line away from the other threads. Slot t and slot t + 1 must lie on
    // different lines, whatever address the vector's storage starts at.
    std::vector<std::atomic<std::uint64_t>> slots(static_cast<std::size_t>(threads));
    auto worker = [&](int t) {
        std::atomic<std::uint64_t>& mine = slots[static_cast<std::size_t>(t)];
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
    for (const std::atomic<std::uint64_t>& s : slots) counts.push_back(s.load());
    // EXERCISE: delete this line once no two counters share a line.
    WB_TODO("04.4");
    return counts;
}

WB_IMPL_END
}  // namespace ch04
