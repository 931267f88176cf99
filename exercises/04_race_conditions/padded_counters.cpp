// EXERCISE 04.4 Goal: give every thread's counter a cache line of its own, so that threads counting
// side by side stop slowing each other down (false sharing).
//
// Steps:
//   1. Define a struct Slot holding one std::atomic<std::uint64_t>, aligned to cache_line_bytes
//      (alignas pads the struct up to a whole line, so slot t and slot t+1 never share one).
//   2. Keep the slots in a std::vector<Slot> and count in slots[t].value.
//   3. Delete the WB_TODO line and run the test; `./wb grade 04` also times your version.
// Run `./wb grade 04` to check your work.
#include "ch04/padded_counters.hpp"

#include <atomic>
#include <thread>
#include <vector>

#include "ch04/counter.hpp"

namespace ch04 {
WB_IMPL_BEGIN

// EXERCISE: define the padded slot type here.
// Hint: struct alignas(cache_line_bytes) Slot { std::atomic<std::uint64_t> value{0}; };  then
// static_assert(sizeof(Slot) == cache_line_bytes) checks the padding at compile time.

std::vector<std::uint64_t> count_in_own_slots(int threads, std::int64_t per_thread, int work) {
    // EXERCISE: these slots are 8 bytes each, so eight of them share one 64-byte cache line, and
    // every increment takes the whole line away from the other threads. Use your padded Slot.
    // Hint: std::vector<Slot> slots(...); works: since C++17, new (and std::allocator) honours alignas.
    std::vector<std::atomic<std::uint64_t>> slots(static_cast<std::size_t>(threads));
    auto worker = [&](int t) {
        std::atomic<std::uint64_t>& mine = slots[static_cast<std::size_t>(t)];
        for (std::int64_t i = 0; i < per_thread; ++i) {
            busy_work(static_cast<std::uint64_t>(i), work);
            mine.fetch_add(1, std::memory_order_relaxed);
        }
    };
    {
        std::vector<std::jthread> pool;
        for (int t = 0; t < threads; ++t) pool.emplace_back(worker, t);
    }  // each std::jthread joins when the vector is destroyed
    std::vector<std::uint64_t> counts;
    for (const std::atomic<std::uint64_t>& s : slots) counts.push_back(s.load());
    // EXERCISE: delete this line once every slot has a cache line of its own.
    // Hint: the counts are right already; what changes is the speed (see false_sharing/packed against
    // false_sharing/padded in the benchmarks).
    WB_TODO("04.4");
    return counts;
}

WB_IMPL_END
}  // namespace ch04
