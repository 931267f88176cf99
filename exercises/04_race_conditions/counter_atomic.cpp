// EXERCISE 04.2 Goal: make the shared counter exact by making it a std::atomic.
//
// Steps:
//   1. Change the type of `counter` to std::atomic<std::int64_t>.
//   2. In the worker, do the busy work, then add one with a single atomic read-modify-write.
//   3. Delete the WB_TODO line at the end and run the test: the count must be exact for every
//      thread count.
// Run `./wb grade 04` to check your work (it also runs this exercise under ThreadSanitizer).
#include <atomic>
#include <thread>
#include <vector>

#include "ch04/counter.hpp"

namespace ch04 {
WB_IMPL_BEGIN

std::int64_t count_with_atomic(int threads, std::int64_t per_thread, int work) {
    // EXERCISE: make the counter atomic.
    // Hint: std::atomic<std::int64_t> counter{0};  and return counter.load() at the end.
    std::int64_t counter = 0;
    auto worker = [&] {
        for (std::int64_t i = 0; i < per_thread; ++i) {
            // EXERCISE: replace the separate read and write by one atomic increment after the work.
            // Hint: counter.fetch_add(1, std::memory_order_relaxed). Relaxed is enough for a count:
            // only the total matters, and joining the threads makes it visible. Note that
            // `counter = counter + 1` on an atomic is still a separate load and store: it loses updates.
            const std::int64_t seen = counter;
            busy_work(static_cast<std::uint64_t>(i), work);
            counter = seen + 1;
        }
    };
    {
        std::vector<std::jthread> pool;
        for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
    }  // each std::jthread joins when the vector is destroyed
    // EXERCISE: delete this line once the counter is atomic.
    // Hint: the test expects exactly threads * per_thread; `./wb grade 04` also wants ThreadSanitizer
    // to find no race here.
    WB_TODO("04.2");
    return counter;
}

WB_IMPL_END
}  // namespace ch04
