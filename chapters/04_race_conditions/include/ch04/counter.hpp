// ch04/counter.hpp: exercises 04.1-04.3, one shared counter made exact three ways, and the busy work
// that every counter of the chapter counts.
#pragma once

#include <cstdint>

#include "wb/exercise.hpp"

namespace ch04 {

/// The work a thread does before it counts one event: `steps` rounds of integer arithmetic (about a
/// nanosecond each). The empty `asm` statement hides `x` from the optimizer, so the arithmetic can be
/// neither removed nor computed ahead of time. Never inlined, so that every counter variant runs the
/// very same machine code for it (inlined copies can differ in speed just by where they land).
[[gnu::noinline]] inline std::uint64_t busy_work(std::uint64_t x, int steps) {
    for (int i = 0; i < steps; ++i) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        asm volatile("" : "+r"(x));
    }
    return x;
}

WB_IMPL_BEGIN

/// 04.1: `threads` threads each run `per_thread` rounds of busy_work(i, work) and count one event per
/// round in a single shared counter guarded by a std::mutex. Returns the final count, which must be
/// exactly threads * per_thread.
std::int64_t count_with_mutex(int threads, std::int64_t per_thread, int work);

/// 04.2: as count_with_mutex, with the shared counter a std::atomic instead of a mutex.
std::int64_t count_with_atomic(int threads, std::int64_t per_thread, int work);

/// 04.3: as count_with_mutex, with no shared counter while the threads run: each thread counts in a
/// local variable and the partial counts are added up after the threads are joined.
std::int64_t count_with_partial_sums(int threads, std::int64_t per_thread, int work);

WB_IMPL_END

}  // namespace ch04
