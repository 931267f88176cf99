// ch10/observe.hpp: what the tests of chapter 10's exercises observe (given code).
//
// Overlap: how many Python threads were inside a piece of C++ at the same time. While the interpreter
// lock is held, a second thread cannot even enter the module, so the count stays at 1.
// CountingAllocator: the bytes a std::vector still holds, so a test can see that the memory behind a
// returned NumPy array is freed exactly when NumPy frees the array, neither before nor never.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <thread>
#include <vector>

namespace ch10 {

// [overlap]
/// Counts the threads inside the scope of an Overlap::Scope. A scope entered while `linger` is set waits
/// (up to that long, without the interpreter lock if its caller released it) for a second thread to enter:
/// two threads that can run at the same time are then seen together inside, whatever the scheduler does.
struct Overlap {
    static inline std::atomic<int> inside{0};
    static inline std::atomic<int> most{0};
    static inline std::atomic<int> linger_ms{0};
    struct Scope {
        Scope() {
            const int now = inside.fetch_add(1) + 1;
            int seen = most.load();
            while (now > seen && !most.compare_exchange_weak(seen, now)) {
            }
            const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(linger_ms.load());
            while (most.load() < 2 && std::chrono::steady_clock::now() < until) std::this_thread::yield();
        }
        ~Scope() { inside.fetch_sub(1); }
        Scope(const Scope&) = delete;
        Scope& operator=(const Scope&) = delete;
    };
    static void reset(int linger) {
        most = 0;
        linger_ms = linger;
    }
};
// [overlap]

/// Bytes currently allocated through CountingAllocator (all types together).
inline std::atomic<long long>& live_bytes() {
    static std::atomic<long long> bytes{0};
    return bytes;
}

/// std::allocator that adds what it allocates to live_bytes() and subtracts what it frees.
template <class T>
struct CountingAllocator {
    using value_type = T;
    CountingAllocator() = default;
    template <class U>
    CountingAllocator(const CountingAllocator<U>&) {}
    T* allocate(std::size_t n) {
        live_bytes() += static_cast<long long>(n * sizeof(T));
        return std::allocator<T>().allocate(n);
    }
    void deallocate(T* p, std::size_t n) {
        live_bytes() -= static_cast<long long>(n * sizeof(T));
        std::allocator<T>().deallocate(p, n);
    }
    template <class U>
    bool operator==(const CountingAllocator<U>&) const { return true; }
};

/// A vector of doubles whose memory live_bytes() counts.
using CountedVector = std::vector<double, CountingAllocator<double>>;

}  // namespace ch10
