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
    const std::size_t per = 4 * std::max<std::size_t>(workers, 1);
    return std::max<std::size_t>(1, (n + per - 1) / per);
}

std::vector<Bytes> map_chunks(Pool& pool, FnId fn, std::size_t n, std::size_t chunksize, const ChunkEncoder& encode) {
    if (chunksize == 0) chunksize = auto_chunksize(n, pool.size());
    struct Chunk {
        std::size_t begin, end;
        TaskId id;
    };
    std::vector<Chunk> chunks;
    // However this call ends (a failed chunk, an exception), it leaves nothing in the pool: discard()
    // forgets the chunks not collected yet and does nothing for those already collected.
    struct Forget {
        Pool& pool;
        const std::vector<Chunk>& chunks;
        ~Forget() {
            for (const Chunk& c : chunks) pool.discard(c.id);
        }
    } forget{pool, chunks};

    for (std::size_t begin = 0; begin < n;) {
        const std::size_t end = begin + std::min(chunksize, n - begin);  // no overflow for huge chunksize
        Writer w;
        encode(w, begin, end);
        chunks.push_back({begin, end, pool.submit_raw(fn, w.take())});
        begin = end;
    }
    std::vector<Bytes> out;
    out.reserve(chunks.size());
    for (const Chunk& c : chunks) {
        Outcome o = pool.wait(c.id);
        if (!o.ok)
            throw TaskError(c.id, "items [" + std::to_string(c.begin) + ", " + std::to_string(c.end) + "): " + o.error);
        out.push_back(std::move(o.value));
    }
    return out;
}

WB_IMPL_END
}  // namespace ch02
