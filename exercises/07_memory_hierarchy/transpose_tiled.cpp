// EXERCISE 07.2 Goal: transpose a matrix tile by tile, so that each cache line of the input and of the
// output is brought in once and used fully, instead of one line of the output per element.
//
// What the grade checks: exact results for square and rectangular matrices, odd sizes, sizes that are
// not multiples of a tile, and empty ones; the cache lines brought in, counted on a simulated 16 KiB
// cache (ch07::CacheSim, through the TracedCell instantiation): at most half a miss per element, where
// the plain two loops take more than one. The speed report compares a 3000 x 3000 transpose of doubles
// with the reference.
// Read first: chapters/07_memory_hierarchy/README.md, section "The tiled transpose".
// Stuck? `./wb hint 07.2` shows a hint, one stage per call.
#include "ch07/transpose.hpp"

#include <algorithm>

namespace ch07 {
WB_IMPL_BEGIN

template <class T>
void transpose_tiled(const T* in, T* out, std::size_t rows, std::size_t cols) {
    // EXERCISE: out[j * rows + i] = in[i * cols + j] for every i < rows and j < cols, visiting the
    // matrices tile by tile (kTile x kTile elements, the tiles at the right and bottom edges smaller), so
    // that the lines of `in` and `out` a tile touches are used fully before they leave the cache.
    WB_TODO("07.2");
}

// The two element types the interface promises (the learner's file keeps these lines as they are).
template void transpose_tiled<double>(const double*, double*, std::size_t, std::size_t);
template void transpose_tiled<TracedCell>(const TracedCell*, TracedCell*, std::size_t, std::size_t);

WB_IMPL_END
}  // namespace ch07
