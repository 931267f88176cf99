// EXERCISE 02.4 Goal: map() over the pool in chunks, like Python's Pool.map(f, xs, chunksize): one
// task per chunk, every chunk in flight before the first result is awaited, the results in input
// order, and a failed chunk reported by its items with nothing of the call left in the pool.
//
// What the grade checks: auto_chunksize's values (Python's rule); for chunk sizes 0, 1, 3, 64 and
// more than n, on 1 to (cores + 2) workers, exactly the serial results in input order, and every
// chunk's bounds; while map_chunks encodes a chunk, every earlier chunk is already submitted and none
// collected; a crash or an exception in one chunk throws TaskError naming "items [b, e)" and the
// task's error, and leaves no task outstanding. Speed report: Mandelbrot rows in chunks of 4, at
// least 0.8 of the reference's speed.
// Read first: chapters/02_process_pools/README.md, section "Static or dynamic: the Mandelbrot set";
// the interface is chapters/02_process_pools/include/ch02/pool_map.hpp.
// Stuck? `./wb hint 02.4` shows a hint, one stage per call.
#include "ch02/pool_map.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

namespace ch02 {
WB_IMPL_BEGIN

std::size_t auto_chunksize(std::size_t n, std::size_t workers) {
    // EXERCISE: Python's default chunk size: about four chunks per worker, rounded so that no item is
    // left out, never 0 (0 workers counts as 1).
    WB_TODO("02.4");
}

std::vector<Bytes> map_chunks(Pool& pool, FnId fn, std::size_t n, std::size_t chunksize, const ChunkEncoder& encode) {
    // EXERCISE: chunks [0, c), [c, 2c), ... cover [0, n) exactly (the last may be shorter; c = 0 means
    // auto_chunksize); each chunk is one task whose payload encode() wrote; every chunk is submitted
    // before any is awaited; the result bytes come back in chunk order. A failed chunk throws
    // TaskError whose message is "items [begin, end): " and then the task's error. However this
    // function is left (a failed chunk, an exception from the pool), no chunk of this call stays in
    // the pool.
    WB_TODO("02.4");
}

WB_IMPL_END
}  // namespace ch02
