// ch05/chunked.hpp: exercise 05.1, a loop split into chunks by hand, one std::thread per chunk.
#pragma once

#include <cstddef>
#include <span>

#include "wb/exercise.hpp"

namespace ch05 {

/// A half-open range of indices [begin, end).
struct Range {
    std::size_t begin = 0, end = 0;
    std::size_t size() const { return end - begin; }
};

WB_IMPL_BEGIN

/// The k-th (0 <= k < parts) of `parts` contiguous pieces of [0, n). The pieces cover [0, n) in order
/// without gaps or overlaps, and their sizes differ by at most one: the first n % parts pieces get the
/// extra element. Pieces are empty when parts > n. Throws std::invalid_argument if parts < 1 or k is
/// out of range.
Range chunk_range(std::size_t n, int parts, int k);

/// out[i] = ch05::kernel(x[i], y[i]) for every i, computed by `threads` threads (threads >= 1), each
/// taking one chunk_range of the indices. The calling thread works on a chunk too. Bitwise the same
/// result as the serial loop. Throws std::invalid_argument if the sizes differ or threads < 1.
void evaluate_chunked(std::span<const double> x, std::span<const double> y, std::span<double> out, int threads);

WB_IMPL_END

}  // namespace ch05
