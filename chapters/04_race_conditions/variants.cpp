// variants.cpp: serial baselines and the flawed versions the exercises start from (see variants.hpp).
// The racy functions here contain data races on purpose; they are undefined behaviour in C++ and are
// only ever run to show what goes wrong.
#include "variants.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <numeric>
#include <thread>
#include <utility>

#include "ch04/counter.hpp"
#include "ch04/padded_counters.hpp"
#include "ch04/pi_streams.hpp"
#include "ch04/publish_flag.hpp"

namespace ch04::variants {
namespace {

/// Starts `threads` copies of fn(t) and joins them.
template <class Fn>
void run_threads(int threads, Fn fn) {
    std::vector<std::jthread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back(fn, t);
}

/// The points of a Monte Carlo run inside the quarter circle, drawing from `draw()`.
template <class Draw>
std::uint64_t count_inside(std::uint64_t points, Draw draw) {
    std::uint64_t hits = 0;
    for (std::uint64_t k = 0; k < points; ++k) {
        const auto [x, y] = draw();
        hits += (x * x + y * y < 1.0) ? 1 : 0;
    }
    return hits;
}

/// Thread t's share of `total` items when they are split as evenly as possible.
std::uint64_t share(std::uint64_t total, int threads, int t) {
    const auto n = static_cast<std::uint64_t>(threads);
    const auto i = static_cast<std::uint64_t>(t);
    return total / n + (i < total % n ? 1 : 0);
}

}  // namespace

std::int64_t count_serial(std::int64_t events, int work) {
    std::int64_t counter = 0;
    for (std::int64_t i = 0; i < events; ++i) {
        busy_work(static_cast<std::uint64_t>(i), work);
        ++counter;
    }
    return counter;
}

std::int64_t count_racy(int threads, std::int64_t per_thread, int work) {
    //! [racy]
    volatile std::int64_t counter = 0;  // volatile: every read and write below really happens
    run_threads(threads, [&](int) {
        for (std::int64_t i = 0; i < per_thread; ++i) {
            const std::int64_t seen = counter;               // 1. read the shared value
            busy_work(static_cast<std::uint64_t>(i), work);  // 2. work: other threads run meanwhile
            counter = seen + 1;                              // 3. write back: overwrites their updates
        }
    });
    //! [racy]
    return counter;
}

std::vector<std::uint64_t> count_in_packed_slots(int threads, std::int64_t per_thread, int work) {
    //! [packed]
    std::vector<std::atomic<std::uint64_t>> slots(static_cast<std::size_t>(threads));  // 8 bytes apart
    //! [packed]
    run_threads(threads, [&](int t) {
        std::atomic<std::uint64_t>& mine = slots[static_cast<std::size_t>(t)];
        for (std::int64_t i = 0; i < per_thread; ++i) {
            busy_work(static_cast<std::uint64_t>(i), work);
            count_in(mine);
        }
    });
    std::vector<std::uint64_t> counts;
    for (const auto& s : slots) counts.push_back(s.load());
    return counts;
}

std::uint64_t pi_hits_serial(std::uint64_t samples, std::uint64_t seed) {
    SplitMix64 rng{seed};
    return count_inside(samples, [&] { return std::pair{rng.uniform(), rng.uniform()}; });
}

std::uint64_t pi_hits_shared_racy(std::uint64_t samples, std::uint64_t seed, int threads) {
    SplitMix64 rng{seed};  // shared by every thread, unguarded
    std::vector<std::uint64_t> partial(static_cast<std::size_t>(threads));
    run_threads(threads, [&](int t) {
        partial[static_cast<std::size_t>(t)] = count_inside(share(samples, threads, t), [&] {
            return std::pair{rng.uniform(), rng.uniform()};
        });
    });
    return std::accumulate(partial.begin(), partial.end(), std::uint64_t{0});
}

std::uint64_t pi_hits_shared_locked(std::uint64_t samples, std::uint64_t seed, int threads) {
    SplitMix64 rng{seed};
    std::mutex rng_mutex;
    std::vector<std::uint64_t> partial(static_cast<std::size_t>(threads));
    run_threads(threads, [&](int t) {
        partial[static_cast<std::size_t>(t)] = count_inside(share(samples, threads, t), [&] {
            //! [locked_draw]
            const std::lock_guard<std::mutex> lock(rng_mutex);  // every draw of every thread queues here
            return std::pair{rng.uniform(), rng.uniform()};
            //! [locked_draw]
        });
    });
    return std::accumulate(partial.begin(), partial.end(), std::uint64_t{0});
}

double sum_serial(std::span<const double> x) {
    double total = 0.0;
    for (double v : x) total += v;
    return total;
}

double omp_sum_racy(std::span<const double> x, int threads) {
    const double* p = x.data();
    const auto n = static_cast<std::ptrdiff_t>(x.size());
    double total = 0.0;
    //! [omp_racy]
#pragma omp parallel for num_threads(threads)
    for (std::ptrdiff_t i = 0; i < n; ++i) total += p[i];  // `total` is shared: a race
    //! [omp_racy]
    return total;
}

std::vector<double> publish_and_read_relaxed(std::size_t n, int readers) {
    std::vector<double> block(n);
    std::vector<double> sums(static_cast<std::size_t>(readers), 0.0);
    std::atomic<bool> ready{false};
    run_threads(readers + 1, [&](int t) {
        //! [relaxed_flag]
        if (t == readers) {  // the producer
            for (std::size_t i = 0; i < n; ++i) block[i] = published_value(i);
            ready.store(true, std::memory_order_relaxed);  // publishes the flag, not the block
            return;
        }
        while (!ready.load(std::memory_order_relaxed)) std::this_thread::yield();  // a reader
        double sum = 0.0;
        for (double v : block) sum += v;  // may read the block before the producer's writes arrive
        //! [relaxed_flag]
        sums[static_cast<std::size_t>(t)] = sum;
    });
    return sums;
}

}  // namespace ch04::variants
