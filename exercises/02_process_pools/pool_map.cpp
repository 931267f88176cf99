// EXERCISE 02.4 Goal: map a function over many items with a pool, in chunks, results in input order.
//
// Steps:
//   1. auto_chunksize: ceil(n / (4 * workers)), at least 1 (what Python's Pool.map does).
//   2. map_chunks: choose the chunk size (0 means auto_chunksize(n, pool.size())).
//   3. For each chunk [begin, end): write its payload with encode(writer, begin, end) and submit it
//      with pool.submit_raw(fn, writer.take()). Submit every chunk before waiting for any, or the
//      workers would take turns instead of working together.
//   4. Collect the outcomes in chunk order with pool.wait(id).
//   5. A failed chunk: discard every chunk not yet collected (pool.discard), then throw TaskError
//      naming the items, "items [40, 50): " followed by the outcome's error. Do the same clean-up if
//      wait() itself throws, then let that exception go on.
// Run `./wb grade 02` to check your work.
#include "ch02/pool_map.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

namespace ch02 {
WB_IMPL_BEGIN

std::size_t auto_chunksize(std::size_t n, std::size_t workers) {
    // EXERCISE: ceil(n / (4 * workers)), at least 1 (treat 0 workers as 1).
    // Hint: for positive integers, ceil(a / b) is (a + b - 1) / b.
    WB_TODO("02.4");
}

std::vector<Bytes> map_chunks(Pool& pool, FnId fn, std::size_t n, std::size_t chunksize, const ChunkEncoder& encode) {
    // EXERCISE: submit one task per chunk [begin, end) of at most `chunksize` items (0: auto), its
    // payload written by encode(writer, begin, end); then collect the outcomes in order with
    // pool.wait(id). On a failed chunk, throw TaskError(id, "items [begin, end): " + outcome.error).
    // Hint: submit everything first, then wait. Whatever way you leave this function (a failed chunk,
    // an exception from wait), pool.discard(id) every chunk not collected yet: a small struct whose
    // destructor does it covers all the ways at once, and discard ignores ids already collected.
    WB_TODO("02.4");
}

WB_IMPL_END
}  // namespace ch02
