// EXERCISE 05.1 Goal: split a loop into equal chunks by hand and run each chunk on its own std::thread.
//
// Steps:
//   1. chunk_range: give piece k of `parts` pieces of [0, n), sizes differing by at most one.
//   2. evaluate_chunked: start threads - 1 std::threads on pieces 1 .. threads-1, compute piece 0 on the
//      calling thread, then join them all.
// Run `./wb grade 05` to check your work.
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
    // EXERCISE: return piece k: n / parts elements each, and one more for the first n % parts pieces.
    // Hint: piece k starts at k * (n / parts) + min(k, n % parts); convert parts and k to std::size_t first.
    WB_TODO("05.1");
}

void evaluate_chunked(std::span<const double> x, std::span<const double> y, std::span<double> out, int threads) {
    if (x.size() != y.size() || x.size() != out.size())
        throw std::invalid_argument("evaluate_chunked: x, y and out differ in size");
    if (threads < 1) throw std::invalid_argument("evaluate_chunked: threads < 1");
    const std::size_t n = x.size();
    // EXERCISE: a lambda work(k) that runs out[i] = kernel(x[i], y[i]) over chunk_range(n, threads, k);
    // start std::threads for k = 1 .. threads-1, run work(0) yourself, and join every thread.
    // Hint: capture the spans by value (they are views); std::vector<std::jthread> joins on destruction.
    WB_TODO("05.1");
}

WB_IMPL_END
}  // namespace ch05
