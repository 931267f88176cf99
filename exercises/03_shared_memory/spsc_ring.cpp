// EXERCISE 03.4 Goal: a lock-free single-producer single-consumer ring buffer that two processes share.
//
// Steps:
//   1. try_push(): the producer's side; write the slot, then publish the new tail.
//   2. try_pop(): the consumer's side; read the slot, then publish the new head.
// Construction, the layout and the blocking push()/pop() (spin, then yield) are given: read the
// header ch03/spsc_ring.hpp first. Run `./wb grade 03` to check your work.
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
    // EXERCISE: if the ring is full (tail - head == capacity()) return false; else write `item` into
    // slot tail & mask_, advance tail by one and return true.
    // Hint: load tail_ relaxed (only the producer writes it) and head_ with acquire; store the new
    // tail with release, after writing the slot: that store is what makes the slot visible to the
    // consumer. Optional speed-up: look at head_ only when head_seen_ (your last look) says full.
    WB_TODO("03.4");
}
//! [push]

//! [pop]
bool SpscRing::try_pop(std::uint64_t& item) {
    // EXERCISE: if the ring is empty (head == tail) return false; else read slot head & mask_ into
    // `item`, advance head by one and return true.
    // Hint: the mirror image of try_push: head_ relaxed, tail_ acquire (it pairs with the producer's
    // release store), and the new head stored with release after reading the slot, so the producer
    // does not overwrite it too early. Optional: use tail_seen_ to avoid touching tail_ every time.
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
