// variants.hpp: the versions the chapter's exercises are measured against: serial baselines, and the
// flawed starting points (racy, packed, shared generator). Used by the program, the benchmarks and
// the race demos; not part of any exercise.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "wb/sanitizers.hpp"

namespace ch04::variants {

/// True in a ThreadSanitizer build: the program and the benchmarks then skip the racy variants (their
/// races would be reported and fail the run); the race demos run them on purpose.
inline constexpr bool under_tsan = wb::under_tsan;

/// One thread counts `events` events, busy_work(i, work) before each.
std::int64_t count_serial(std::int64_t events, int work);
/// RACY: `threads` threads count in one plain shared integer (read, busy work, write): loses updates.
std::int64_t count_racy(int threads, std::int64_t per_thread, int work);
/// Per-thread atomic counters side by side in one array (8 bytes apart): correct, but falsely shared.
std::vector<std::uint64_t> count_in_packed_slots(int threads, std::int64_t per_thread, int work);

/// One thread, one generator: the loop the Python seed wrote, without prange.
std::uint64_t pi_hits_serial(std::uint64_t samples, std::uint64_t seed);
/// RACY: `threads` threads draw from one unguarded shared generator.
std::uint64_t pi_hits_shared_racy(std::uint64_t samples, std::uint64_t seed, int threads);
/// `threads` threads draw from one shared generator behind a std::mutex: no race, but a bottleneck,
/// and which thread gets which numbers still depends on timing.
std::uint64_t pi_hits_shared_locked(std::uint64_t samples, std::uint64_t seed, int threads);

/// The plain serial sum.
double sum_serial(std::span<const double> x);
/// RACY: an OpenMP loop adding into one shared variable, without a reduction clause.
double omp_sum_racy(std::span<const double> x, int threads);

/// RACY: 04.5 with a relaxed flag, which publishes nothing but itself.
std::vector<double> publish_and_read_relaxed(std::size_t n, int readers);

}  // namespace ch04::variants
