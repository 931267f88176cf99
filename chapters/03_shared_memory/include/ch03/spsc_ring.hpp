// ch03/spsc_ring.hpp: exercise 03.4, a single-producer single-consumer queue in shared memory.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "wb/exercise.hpp"

namespace ch03 {
WB_IMPL_BEGIN

/// A bounded FIFO of 64-bit items between exactly one producer process and one consumer process,
/// without locks and without system calls: the two only read and write shared memory.
///
/// head and tail count items forever (they never wrap in practice: 2^64 items); the slot of item k is
/// k & (capacity - 1), which is why the capacity is a power of two. The producer alone writes tail,
/// the consumer alone writes head, each in its own cache line. Items in the ring are
/// tail - head. The two sides run at the same time, in two processes (or two threads), and share only
/// these counters and the slots: a consumer that sees a tail counting item k must also see item k's
/// contents in its slot, and a producer that sees a head past item k may reuse item k's slot only
/// because the consumer has finished reading it (the lesson's section "A ring buffer between two
/// processes" says what makes that true).
///
///     void* mem = mapping.data();                          // shared, bytes_needed(1024) bytes
///     SpscRing* ring = SpscRing::create_in(mem, 1024);   // before fork
///     // producer: ring->push(x);   consumer: std::uint64_t x = ring->pop();
class SpscRing {
   public:
    /// Bytes of shared memory a ring of `capacity` items needs (header plus slots).
    static std::size_t bytes_needed(std::size_t capacity) noexcept;
    /// Builds an empty ring in `memory` (64-byte aligned, at least bytes_needed(capacity) bytes,
    /// shared by both processes) and returns it. Throws std::invalid_argument unless capacity is a
    /// power of two (1, 2, 4, ...).
    static SpscRing* create_in(void* memory, std::size_t capacity);

    /// Producer only: appends `item` and returns true, or returns false if the ring is full.
    bool try_push(std::uint64_t item);
    /// Consumer only: takes the oldest item into `item` and returns true, or returns false if empty.
    bool try_pop(std::uint64_t& item);
    /// Producer only: try_push until it succeeds (spins, then yields the CPU while the ring is full).
    void push(std::uint64_t item);
    /// Consumer only: try_pop until it succeeds (spins, then yields the CPU while the ring is empty).
    std::uint64_t pop();

    std::size_t capacity() const noexcept { return static_cast<std::size_t>(mask_ + 1); }

   private:
    explicit SpscRing(std::size_t capacity) noexcept : mask_(capacity - 1) {}
    std::uint64_t* slots() noexcept;  ///< the slots follow this header in the same memory

    // Consumer's line: head (the next item to read) and the consumer's last look at tail.
    alignas(64) std::atomic<std::uint64_t> head_{0};
    [[maybe_unused]] std::uint64_t tail_seen_ = 0;  // (optional: a version without it is correct too)
    // Producer's line: tail (the next slot to write) and the producer's last look at head.
    alignas(64) std::atomic<std::uint64_t> tail_{0};
    [[maybe_unused]] std::uint64_t head_seen_ = 0;
    // Read-only after construction.
    alignas(64) std::uint64_t mask_;
};

WB_IMPL_END
}  // namespace ch03
