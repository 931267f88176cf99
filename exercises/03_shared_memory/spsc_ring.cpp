// EXERCISE 03.4 Goal: a lock-free single-producer single-consumer ring buffer in shared memory: two
// processes (or threads) pass items through it at the same time with no lock and no system call,
// and the consumer never sees an item before it is there, nor the producer overwrite one still
// being read.
//
// What the grade checks: in one process, the ring holds exactly capacity() items and hands them out
// first in first out, over many laps of random bursts; between two processes (a child producing, the
// parent consuming, and the other way round) and between two threads, millions of items arrive each
// exactly once, in order, unchanged, for capacities from 1 to 4096. This exercise is also graded
// under ThreadSanitizer (./wb grade runs the two-thread test there): an ordering that merely happens
// to work on your CPU, but that the C++ memory model does not promise, is reported as a race.
// Read first: chapters/03_shared_memory/README.md, section "A ring buffer between two processes";
// the layout and the given push()/pop() are in chapters/03_shared_memory/include/ch03/spsc_ring.hpp.
// Stuck? `./wb hint 03.4` shows a hint, one stage per call.
#include "ch03/spsc_ring.hpp"

#include <sched.h>

#include <cstdint>
#include <new>
#include <stdexcept>

namespace ch03 {
WB_IMPL_BEGIN
namespace {

/// Given: tells the CPU we are spinning (x86 `pause`): less power, and the other hardware thread of
/// the core (if any) gets the execution units.
inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

/// Given: how long to spin before giving the CPU away. With more processes than cores (or on a
/// busy machine), the other side may not be running at all: spinning then only burns our time slice.
constexpr int kSpinsBeforeYield = 64;

}  // namespace

std::size_t SpscRing::bytes_needed(std::size_t capacity) noexcept {
    return sizeof(SpscRing) + capacity * sizeof(std::uint64_t);
}

SpscRing* SpscRing::create_in(void* memory, std::size_t capacity) {
    if (capacity == 0 || (capacity & (capacity - 1)) != 0)
        throw std::invalid_argument("SpscRing: the capacity must be a power of two");
    if (reinterpret_cast<std::uintptr_t>(memory) % alignof(SpscRing) != 0)
        throw std::invalid_argument("SpscRing: the memory must be 64-byte aligned");
    return new (memory) SpscRing(capacity);
}

std::uint64_t* SpscRing::slots() noexcept {
    return reinterpret_cast<std::uint64_t*>(reinterpret_cast<unsigned char*>(this) + sizeof(SpscRing));
}

//! [push]
bool SpscRing::try_push(std::uint64_t item) {
    // EXERCISE: if the ring already holds capacity() items, return false and change nothing.
    // Otherwise put `item` in the slot of item number tail (slot tail & mask_), make it count as
    // one more item in the ring, and return true. The consumer may be reading at this very moment:
    // once it can see the new tail it must also see the new slot contents, and the slot you overwrite
    // must be one it has finished reading. (Optional: head_seen_ can keep your last look at head_, so
    // that you read the consumer's counter only when the ring looks full.)
    WB_TODO("03.4");
}
//! [push]

//! [pop]
bool SpscRing::try_pop(std::uint64_t& item) {
    // EXERCISE: if the ring holds no item, return false and change nothing. Otherwise take the
    // oldest item (number head, in slot head & mask_) into `item`, make it no longer count as in the
    // ring, and return true. The producer may be writing at this very moment: what you read must be
    // what it wrote for that item, and the producer must not overwrite the slot before you have read
    // it. (Optional: tail_seen_ can keep your last look at tail_.)
    WB_TODO("03.4");
}
//! [pop]

void SpscRing::push(std::uint64_t item) {
    for (int spins = 0; !try_push(item);) {
        if (spins < kSpinsBeforeYield) {
            ++spins;
            cpu_relax();
        } else {
            sched_yield();
        }
    }
}

std::uint64_t SpscRing::pop() {
    std::uint64_t item = 0;
    for (int spins = 0; !try_pop(item);) {
        if (spins < kSpinsBeforeYield) {
            ++spins;
            cpu_relax();
        } else {
            sched_yield();
        }
    }
    return item;
}

WB_IMPL_END
}  // namespace ch03
