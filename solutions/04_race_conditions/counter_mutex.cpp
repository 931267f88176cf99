// EXERCISE 04.1 Goal: make the shared counter exact by guarding it with a std::mutex.
//
// Steps:
//   1. Declare a std::mutex next to the counter, outside the worker lambda.
//   2. In the worker, do the busy work first, then increment the counter while holding the mutex.
//   3. Delete the WB_TODO line at the end and run the test: the count must be exact for every
//      thread count.
// Run `./wb grade 04` to check your work (it also runs this exercise under ThreadSanitizer).
#include <mutex>
#include <thread>
#include <vector>

#include "ch04/counter.hpp"

namespace ch04 {
WB_IMPL_BEGIN

std::int64_t count_with_mutex(int threads, std::int64_t per_thread, int work) {
    std::int64_t counter = 0;
    std::mutex counter_mutex;
    auto worker = [&] {
        for (std::int64_t i = 0; i < per_thread; ++i) {
            //! [mutex]
            busy_work(static_cast<std::uint64_t>(i), work);  // outside the lock: runs in parallel
            const std::lock_guard<std::mutex> lock(counter_mutex);
            ++counter;  // one thread at a time
            //! [mutex]
        }
    };
    {
        std::vector<std::jthread> pool;
        for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
    }  // each std::jthread joins when the vector is destroyed
    return counter;
}

WB_IMPL_END
}  // namespace ch04
