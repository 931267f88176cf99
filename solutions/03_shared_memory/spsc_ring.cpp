// Reference solution of exercise 03.4: a single-producer single-consumer queue in shared memory.
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
    const std::uint64_t tail = tail_.load(std::memory_order_relaxed);  // only we write tail
    if (tail - head_seen_ == capacity()) {
        // Full as far as we knew. Look at the consumer's head again (its cache line moves to our
        // core only now, not on every push). Acquire: the consumer has finished reading the slots
        // it freed before we overwrite them.
        head_seen_ = head_.load(std::memory_order_acquire);
        if (tail - head_seen_ == capacity()) return false;
    }
    slots()[tail & mask_] = item;
    // Release: the slot's new contents become visible no later than the new tail.
    tail_.store(tail + 1, std::memory_order_release);
    return true;
}
//! [push]

//! [pop]
bool SpscRing::try_pop(std::uint64_t& item) {
    const std::uint64_t head = head_.load(std::memory_order_relaxed);  // only we write head
    if (head == tail_seen_) {
        // Empty as far as we knew: look at the producer's tail again. Acquire pairs with the
        // producer's release store, so the slots below tail hold what it wrote.
        tail_seen_ = tail_.load(std::memory_order_acquire);
        if (head == tail_seen_) return false;
    }
    item = slots()[head & mask_];
    // Release: we have read the slot before the producer may reuse it.
    head_.store(head + 1, std::memory_order_release);
    return true;
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
