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
    std::atomic<std::int64_t> counter{0};
    auto worker = [&] {
        for (std::int64_t i = 0; i < per_thread; ++i) {
            //! [atomic]
            busy_work(static_cast<std::uint64_t>(i), work);
            counter.fetch_add(1, std::memory_order_relaxed);  // read, add, write as one indivisible step
            //! [atomic]
        }
    };
    {
        std::vector<std::jthread> pool;
        for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
    }  // each std::jthread joins when the vector is destroyed
    return counter.load();
}

WB_IMPL_END
}  // namespace ch04
