// ch04/padded_counters.hpp: exercise 04.4, per-thread counters that do not share a cache line, and the
// counting function through which the tests see where the counters are.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "ch04/counter.hpp"
#include "wb/exercise.hpp"

namespace ch04 {

/// The size of a cache line, the unit in which cores pass memory to each other: 64 bytes on x86-64
/// and on most ARM cores. C++17 names the false-sharing distance
/// std::hardware_destructive_interference_size, but its value depends on -mtune, g++ warns when a
/// header uses it (the value could differ between translation units), and clang 14 with libstdc++
/// does not provide it, so the workbook fixes the number here.
inline constexpr std::size_t cache_line_bytes = 64;

/// A test's view of count_in: told the address of every counter counted in.
struct SlotProbe {
    virtual void saw(const void* counter) = 0;
    virtual ~SlotProbe() = default;
};

/// The probe count_in reports to: null except in the tests.
inline ProbeHook<SlotProbe> slot_probe;

// [count_in]
/// Counts one event in `counter`: one relaxed atomic increment (only the final values matter, and
/// joining the threads makes them visible). Exercise 04.4 counts every event through this function,
/// which is how its tests find out where the counters lie in memory.
inline void count_in(std::atomic<std::uint64_t>& counter) {
    if (SlotProbe* const probe = slot_probe.get(); probe != nullptr) [[unlikely]]
        probe->saw(&counter);
    counter.fetch_add(1, std::memory_order_relaxed);
}
// [count_in]

WB_IMPL_BEGIN

/// 04.4: `threads` threads each run `per_thread` rounds of busy_work(i, work); thread t counts its
/// rounds in its own std::atomic<std::uint64_t> counter (atomic, so that a monitor thread could read
/// the progress at any time) with count_in, once per round. No two threads' counters may share a
/// cache line. Returns the final value of every counter, thread t's at index t; each must be per_thread.
std::vector<std::uint64_t> count_in_own_slots(int threads, std::int64_t per_thread, int work);

WB_IMPL_END

}  // namespace ch04
