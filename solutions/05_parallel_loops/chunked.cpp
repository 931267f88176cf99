// EXERCISE 05.1 Goal: share one loop among `threads` std::threads by hand, each taking one of `threads`
// equal pieces of the index range, with the calling thread working on a piece instead of waiting idle.
//
// What the grade checks: chunk_range's pieces cover [0, n) in order, without gaps or overlaps, sizes
// differing by at most one (longer pieces first); evaluate_chunked gives the serial result bit for bit
// for 1 to cores+2 threads; the CPU time of a call is spread as `threads` equal pieces, one on the caller;
// the call starts threads - 1 threads, all of them before it waits for any, and before the caller
// computes its own piece; 0 or negative threads throw. Checked under ThreadSanitizer too. The speed
// report times it on all cores against the reference (goal 0.8).
// Read first: chapters/05_parallel_loops/README.md, section "Splitting by hand".
// Stuck? `./wb hint 05.1` shows a hint, one stage per call.
#include "ch05/chunked.hpp"

#include <algorithm>
#include <stdexcept>
#include <thread>
#include <vector>

#include "ch05/kernels.hpp"

namespace ch05 {
WB_IMPL_BEGIN

Range chunk_range(std::size_t n, int parts, int k) {
    if (parts < 1 || k < 0 || k >= parts) throw std::invalid_argument("chunk_range: need 0 <= k < parts");
    const auto p = static_cast<std::size_t>(parts);
    const auto i = static_cast<std::size_t>(k);
    const std::size_t base = n / p, extra = n % p;
    const std::size_t begin = i * base + std::min(i, extra);
    return {begin, begin + base + (i < extra ? 1 : 0)};
}

void evaluate_chunked(std::span<const double> x, std::span<const double> y, std::span<double> out, int threads) {
    if (x.size() != y.size() || x.size() != out.size())
        throw std::invalid_argument("evaluate_chunked: x, y and out differ in size");
    if (threads < 1) throw std::invalid_argument("evaluate_chunked: threads < 1");
    const std::size_t n = x.size();
    auto work = [=](int k) {
        const Range r = chunk_range(n, threads, k);
        for (std::size_t i = r.begin; i < r.end; ++i) out[i] = kernel(x[i], y[i]);
    };
    // std::jthread joins in its destructor, so the threads are joined even if starting one of them throws.
    std::vector<std::jthread> helpers;
    helpers.reserve(static_cast<std::size_t>(threads - 1));
    for (int k = 1; k < threads; ++k) helpers.emplace_back(work, k);
    work(0);
}

WB_IMPL_END
}  // namespace ch05
