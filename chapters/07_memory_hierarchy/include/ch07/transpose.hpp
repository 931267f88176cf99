// ch07/transpose.hpp: exercise 07.2, the tiled matrix transpose, and the instrumented element type its
// tests count cache lines with.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <unordered_map>

#include "wb/exercise.hpp"

namespace ch07 {

/// Side of the square tiles of the reference tiled transpose, in elements: a 32 x 32 tile of doubles
/// reads 32 x 4 lines and writes as many, 16 KiB in all, which fits in any level-1 data cache.
inline constexpr std::size_t kTile = 32;

// [cache_sim]
/// A fully associative cache with least-recently-used replacement and 64-byte lines, simulated in
/// software: touch(address) counts a miss when the address's line is not among the `lines` most
/// recently touched ones. Deterministic, unlike the hardware's counters (which this VM does not have).
class CacheSim {
public:
    explicit CacheSim(std::size_t lines) : capacity_(lines) {}
    void touch(const void* address) {
        const auto line = reinterpret_cast<std::uintptr_t>(address) / 64;
        ++accesses_;
        if (auto it = where_.find(line); it != where_.end()) {
            order_.splice(order_.begin(), order_, it->second);  // now the most recently used
            return;
        }
        ++misses_;
        order_.push_front(line);
        where_[line] = order_.begin();
        if (order_.size() > capacity_) {
            where_.erase(order_.back());
            order_.pop_back();
        }
    }
    std::size_t misses() const { return misses_; }
    std::size_t accesses() const { return accesses_; }

private:
    std::size_t capacity_;
    std::size_t misses_ = 0, accesses_ = 0;
    std::list<std::uintptr_t> order_;
    std::unordered_map<std::uintptr_t, std::list<std::uintptr_t>::iterator> where_;
};

/// A double that reports every read and write of itself to the CacheSim in `TracedCell::sim` (when
/// set): copying a cell touches the source's line, assigning one touches the source's and the
/// destination's lines. The transpose is instantiated for it so that a test can count the lines it
/// brings in; for speed, it is instantiated for plain double.
struct TracedCell {
    double value = 0.0;
    static inline thread_local CacheSim* sim = nullptr;

    TracedCell() = default;
    explicit TracedCell(double v) : value(v) {}
    TracedCell(const TracedCell& o) : value(o.value) {
        if (sim) sim->touch(&o);
    }
    TracedCell& operator=(const TracedCell& o) {
        if (sim) {
            sim->touch(&o);
            sim->touch(this);
        }
        value = o.value;
        return *this;
    }
    ~TracedCell() = default;
};
static_assert(sizeof(TracedCell) == sizeof(double));
// [cache_sim]

WB_IMPL_BEGIN

/// out = the transpose of in: `in` is rows x cols and `out` cols x rows, both row-major and densely
/// packed (out[j * rows + i] = in[i * cols + j]), any sizes (0 included), not overlapping. Done tile by
/// tile so that the lines of both matrices a tile touches are used fully while they are in the cache.
/// Defined for T = double and T = TracedCell.
template <class T>
void transpose_tiled(const T* in, T* out, std::size_t rows, std::size_t cols);

WB_IMPL_END

}  // namespace ch07
