// lab.hpp: the comparisons chapter 03's program and benchmarks share (not exercises): the same sum
// done by copying the data through pipes, by threads, and by processes forked for every call; and a
// producer process feeding the ring buffer or a pipe.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "ch03/process.hpp"
#include "ch03/spsc_ring.hpp"

namespace ch03::lab {

/// n doubles of this process's private memory, page-aligned (mmap MAP_PRIVATE | MAP_ANONYMOUS), for
/// the variants that do not share the array. Page-aligned like the shared arrays, so that the
/// comparison is about sharing and not about alignment: a large std::vector starts 16 bytes past a
/// page boundary, which makes half of its 32-byte vector loads straddle two cache lines.
class PrivateArray {
   public:
    explicit PrivateArray(std::size_t n);
    ~PrivateArray();
    PrivateArray(const PrivateArray&) = delete;
    PrivateArray& operator=(const PrivateArray&) = delete;
    std::span<double> span() noexcept { return {data_, n_}; }
    std::span<const double> span() const noexcept { return {data_, n_}; }

   private:
    double* data_ = nullptr;
    std::size_t n_ = 0;
};

/// procs worker processes, each with a pipe for data (parent to child) and one for its result.
/// sum() writes slice i of the array into pipe i (the bytes are copied into the kernel and out
/// again); worker i sums what it reads and sends back its partial sum. The parent only sends.
class PipeSum {
   public:
    explicit PipeSum(int procs);
    ~PipeSum();  ///< closes the data pipes (the workers see end-of-file and exit) and reaps them
    PipeSum(const PipeSum&) = delete;
    PipeSum& operator=(const PipeSum&) = delete;
    double sum(std::span<const double> data);
    int procs() const noexcept { return static_cast<int>(workers_.size()); }

   private:
    void close_all() noexcept;
    struct Worker {
        pid_t pid = -1;
        int data_fd = -1;    // our write end
        int result_fd = -1;  // our read end
    };
    std::vector<Worker> workers_;
};

/// The sum with `threads` OpenMP threads of this process (same slices and kernel as SharedSum).
double threads_sum(std::span<const double> data, int threads);

/// Forks `procs` children for this one call (like a process pool made per call), each sums its
/// slice of `data` and writes its partial sum to shared memory; the parent sums slice 0 itself.
double fork_per_call_sum(std::span<const double> data, int procs);

/// The time one cache line takes to move from one core to another, measured as a ping-pong between
/// two processes on one shared 64-bit counter: the parent writes odd values and waits for the next
/// even one, a child does the opposite, so every write must fetch the line from the other core.
/// Returns nanoseconds per hand-off (one write seen by the other side), the median of `repeats` runs
/// of `handoffs` hand-offs each (or as many as fit in a quarter of a second). On a machine without two
/// free cores it measures the scheduler's turn-taking instead.
double line_handoff_ns(std::uint64_t handoffs, int repeats);

/// A child process pushing the items 0, 1, ..., count - 1 into an SPSC ring of `capacity` slots.
class RingProducer {
   public:
    RingProducer(std::size_t capacity, std::uint64_t count);
    SpscRing& ring() noexcept { return *ring_; }
    /// Waits for the producer; true if it exited normally.
    bool finish() noexcept { return child_.wait_ok(); }

   private:
    SharedMapping memory_;
    SpscRing* ring_;
    Child child_;
};

/// A child process writing the items 0, 1, ..., count - 1 into a pipe, `batch` items per write().
class PipeProducer {
   public:
    PipeProducer(std::size_t batch, std::uint64_t count);
    ~PipeProducer();
    /// Reads exactly n items (blocking); false on end-of-file or error.
    bool read_items(std::uint64_t* out, std::size_t n) noexcept;
    bool finish() noexcept;

   private:
    int fd_ = -1;
    Child child_;
};

}  // namespace ch03::lab
