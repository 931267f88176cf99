// EXERCISE 04.5 Goal: publish a block of data to other threads through an atomic flag, with the
// memory orders that make the data visible together with the flag.
//
// Steps:
//   1. In the producer, raise the flag with a release store: every write before it is published
//      with it.
//   2. In the readers, wait for the flag with acquire loads: once one sees the flag raised, it sees
//      every write the producer made before raising it.
//   3. Delete the WB_TODO line and run the test.
// Run `./wb grade 04` to check your work: ThreadSanitizer reports a data race on the block as long as
// the flag is relaxed, even where the test passes (x86 forgives much that ARM does not).
#include "ch04/publish_flag.hpp"

#include <atomic>
#include <thread>
#include <vector>

namespace ch04 {
WB_IMPL_BEGIN

std::vector<double> publish_and_read(std::size_t n, int readers) {
    std::vector<double> block(n);  // allocated before the threads start, so every thread sees it
    std::vector<double> sums(static_cast<std::size_t>(readers), 0.0);
    std::atomic<bool> ready{false};

    //! [publish]
    auto producer = [&] {
        for (std::size_t i = 0; i < n; ++i) block[i] = published_value(i);
        ready.store(true, std::memory_order_release);  // publishes every write above with the flag
    };
    auto reader = [&](int r) {
        while (!ready.load(std::memory_order_acquire))  // once true, the writes before it are visible
            std::this_thread::yield();
        double sum = 0.0;
        for (double v : block) sum += v;
        sums[static_cast<std::size_t>(r)] = sum;
    };
    //! [publish]

    {
        std::vector<std::jthread> pool;
        for (int r = 0; r < readers; ++r) pool.emplace_back(reader, r);  // readers first: they wait
        pool.emplace_back(producer);
    }  // each std::jthread joins when the vector is destroyed
    return sums;
}

WB_IMPL_END
}  // namespace ch04
