// ch02/pool_map.hpp: exercise 02.4, map() over a pool in chunks, like Python's Pool.map(f, xs, chunksize).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include "ch02/functions.hpp"
#include "ch02/pool.hpp"
#include "ch02/wire.hpp"
#include "wb/exercise.hpp"

namespace ch02 {

/// Writes the arguments of the chunk of items [begin, end) into a task's payload.
using ChunkEncoder = std::function<void(Writer& out, std::size_t begin, std::size_t end)>;

WB_IMPL_BEGIN

/// The chunk size Python's Pool.map picks when none is given: the items split into about four chunks
/// per worker, ceil(n / (4 * workers)), and at least 1.
std::size_t auto_chunksize(std::size_t n, std::size_t workers);

/// Runs function `fn` over items [0, n) in chunks of `chunksize` items (the last may be shorter;
/// 0: auto_chunksize(n, pool.size())). Submits one task per chunk, its payload written by `encode`,
/// all before waiting for any, and returns the result bytes of every chunk in item order.
/// If a chunk fails, discards the chunks not yet collected (the pool stays usable and keeps nothing
/// of this call) and throws TaskError whose message names the chunk's items, "items [40, 50)", and
/// carries the task's own error.
std::vector<Bytes> map_chunks(Pool& pool, FnId fn, std::size_t n, std::size_t chunksize, const ChunkEncoder& encode);

// [map]
/// out[i] = f(inputs[i]), computed by the pool's workers, `chunksize` items per task.
template <class In, class Out>
std::vector<Out> map(Pool& pool, MapFn<In, Out> fn, std::type_identity_t<std::span<const In>> inputs,
                     std::size_t chunksize = 0) {
    const auto encode = [inputs](Writer& w, std::size_t begin, std::size_t end) {
        w.put<std::uint64_t>(end - begin);
        for (std::size_t i = begin; i < end; ++i) w.put(inputs[i]);
    };
    std::vector<Out> out;
    out.reserve(inputs.size());
    for (const Bytes& chunk : map_chunks(pool, fn.id, inputs.size(), chunksize, encode)) {
        Reader r(chunk);
        const auto count = r.get<std::uint64_t>();
        for (std::uint64_t i = 0; i < count; ++i) out.push_back(r.get<Out>());
        r.expect_end();
    }
    if (out.size() != inputs.size()) throw std::runtime_error("map: the chunks returned a wrong number of results");
    return out;
}
// [map]

WB_IMPL_END
}  // namespace ch02
