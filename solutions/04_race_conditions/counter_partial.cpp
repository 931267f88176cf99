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
    std::vector<std::int64_t> partial(static_cast<std::size_t>(threads), 0);
    auto worker = [&](int t) {
        //! [partial]
        std::int64_t mine = 0;  // private to this thread: no other thread can see it
        for (std::int64_t i = 0; i < per_thread; ++i) {
            busy_work(static_cast<std::uint64_t>(i), work);
            ++mine;
        }
        partial[static_cast<std::size_t>(t)] = mine;  // one write per thread, to its own element
        //! [partial]
    };
    {
        std::vector<std::jthread> pool;
        for (int t = 0; t < threads; ++t) pool.emplace_back(worker, t);
    }  // each std::jthread joins when the vector is destroyed: its write to partial[t] is now visible
    return std::accumulate(partial.begin(), partial.end(), std::int64_t{0});
}

WB_IMPL_END
}  // namespace ch04
