// EXERCISE 04.5 Goal: hand a block of data from one producer thread to several readers through an
// atomic flag alone (no mutex, no join between writing and reading), so that a reader that sees the
// flag raised is guaranteed to see the whole block too, on any processor and with any compiler.
//
// What the grade checks: every reader's sum equals the block's, 20 rounds for each number of readers
// from 1 to (cores + 2); and ThreadSanitizer finds no race. TSan is the real judge here: it reports any
// read of the block that the flag does not order after the producer's writes, even in runs where an
// x86 processor happens to give the right sums. There is no speed goal (one hand-off takes
// microseconds).
// Read first: chapters/04_race_conditions/README.md, section "Publishing data through a flag: acquire
// and release".
// Stuck? `./wb hint 04.5` shows a hint, one stage per call.
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

    auto producer = [&] {
        for (std::size_t i = 0; i < n; ++i) block[i] = published_value(i);
        // EXERCISE: raising the flag must also publish every write above, so that a reader that sees
        // the flag raised sees the whole block. As written, this store makes the flag itself atomic and
        // orders nothing else.
        ready.store(true, std::memory_order_relaxed);
    };
    auto reader = [&](int r) {
        // EXERCISE: once this loop has seen the flag raised, every write the producer made before raising
        // it must be visible to this thread. This load is the other end of the producer's store.
        while (!ready.load(std::memory_order_relaxed)) std::this_thread::yield();
        double sum = 0.0;
        for (double v : block) sum += v;
        sums[static_cast<std::size_t>(r)] = sum;
    };

    {
        std::vector<std::jthread> pool;
        for (int r = 0; r < readers; ++r) pool.emplace_back(reader, r);  // readers first: they wait
        pool.emplace_back(producer);
    }  // each std::jthread joins when the vector is destroyed
    // EXERCISE: delete this line once the flag publishes the block.
    WB_TODO("04.5");
    return sums;
}

WB_IMPL_END
}  // namespace ch04
