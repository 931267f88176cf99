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
