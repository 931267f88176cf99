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
    // EXERCISE: return piece k of `parts`: the pieces in order cover [0, n) with no gap and no overlap,
    // their sizes differ by at most one, and the longer ones come first.
    WB_TODO("05.1");
}

void evaluate_chunked(std::span<const double> x, std::span<const double> y, std::span<double> out, int threads) {
    if (x.size() != y.size() || x.size() != out.size())
        throw std::invalid_argument("evaluate_chunked: x, y and out differ in size");
    if (threads < 1) throw std::invalid_argument("evaluate_chunked: threads < 1");
    const std::size_t n = x.size();
    // EXERCISE: out[i] = kernel(x[i], y[i]) for every i, each piece chunk_range(n, threads, k) computed by
    // one thread: threads - 1 helper std::threads on the pieces 1 .. threads-1, started before the caller
    // computes piece 0 itself, and every helper joined before the function returns (also when something
    // throws on the way).
    WB_TODO("05.1");
}

WB_IMPL_END
}  // namespace ch05
