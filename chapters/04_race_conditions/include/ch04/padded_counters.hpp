// ch04/padded_counters.hpp: exercise 04.4, per-thread counters that do not share a cache line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "wb/exercise.hpp"

namespace ch04 {

/// The size of a cache line, the unit in which cores pass memory to each other: 64 bytes on x86-64
/// and on most ARM cores. C++17 names the false-sharing distance
/// std::hardware_destructive_interference_size, but its value depends on -mtune, g++ warns when a
/// header uses it (the value could differ between translation units), and clang 14 with libstdc++
/// does not provide it, so the workbook fixes the number here.
inline constexpr std::size_t cache_line_bytes = 64;

WB_IMPL_BEGIN

/// 04.4: `threads` threads each run `per_thread` rounds of busy_work(i, work); thread t counts its
/// rounds in its own std::atomic<std::uint64_t> slot (atomic, so that a monitor thread could read the
/// progress at any time), incremented once per round. No two slots may share a cache line. Returns
/// the final value of every slot, slot t for thread t; each must be per_thread.
std::vector<std::uint64_t> count_in_own_slots(int threads, std::int64_t per_thread, int work);

WB_IMPL_END

}  // namespace ch04
