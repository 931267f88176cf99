// EXERCISE 04.3 Goal: make the count exact with no shared counter at all: each thread counts in a
// local variable and the partial counts are added up after the threads have finished.
//
// Steps:
//   1. Make a std::vector with one partial count per thread (the worker gets its index t).
//   2. In the worker, count into a local variable and store it in partial[t] once, after the loop.
//   3. After the threads are joined, return the sum of the partial counts.
//   4. Delete the WB_TODO line and run the test: the count must be exact for every thread count.
// Run `./wb grade 04` to check your work (it also runs this exercise under ThreadSanitizer).
#include <numeric>
#include <thread>
#include <vector>

#include "ch04/counter.hpp"

namespace ch04 {
WB_IMPL_BEGIN

std::int64_t count_with_partial_sums(int threads, std::int64_t per_thread, int work) {
    // EXERCISE: replace the shared counter by one partial count per thread.
    // Hint: std::vector<std::int64_t> partial(static_cast<std::size_t>(threads), 0);
    std::int64_t counter = 0;
    auto worker = [&](int t) {
        // EXERCISE: count this thread's events in a local variable, then write it to partial[t] once,
        // after the loop.
        // Hint: a local variable lives in a register and no other thread can touch it; writing
        // partial[t] inside the loop would work too, but can make the threads fight over one cache line.
        for (std::int64_t i = 0; i < per_thread; ++i) {
            const std::int64_t seen = counter;
            busy_work(static_cast<std::uint64_t>(i), work);
            counter = seen + 1;
        }
    };
    {
        std::vector<std::jthread> pool;
        for (int t = 0; t < threads; ++t) pool.emplace_back(worker, t);
    }  // each std::jthread joins when the vector is destroyed: its write to partial[t] is now visible
    // EXERCISE: return the sum of the partial counts, and delete the WB_TODO line.
    // Hint: std::accumulate(partial.begin(), partial.end(), std::int64_t{0}) from <numeric>.
    WB_TODO("04.3");
    return counter;
}

WB_IMPL_END
}  // namespace ch04
