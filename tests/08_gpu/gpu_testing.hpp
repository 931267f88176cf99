// gpu_testing.hpp: what the tests of chapter 08 share: arrays with a guard zone after their end (a kernel
// that writes past n changes it, so the test sees the out-of-range write in every build, not only under
// AddressSanitizer), the emulator's thread orders, and the note a test prints when it has no GPU.
#pragma once

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "ch08/device.hpp"
#include "ch08/emu.hpp"

namespace ch08::testing {

/// n elements followed by kGuard elements set to a marker value the kernels never write.
template <class T>
class Guarded {
public:
    static constexpr std::size_t kGuard = 64;
    Guarded(std::size_t n, T fill, T marker) : n_(n), marker_(marker), v_(n + kGuard, marker) {
        for (std::size_t i = 0; i < n; ++i) v_[i] = fill;
    }
    T* data() { return v_.data(); }
    const T* data() const { return v_.data(); }
    T& operator[](std::size_t i) { return v_[i]; }
    const T& operator[](std::size_t i) const { return v_[i]; }
    std::size_t size() const { return n_; }
    /// True when no element after the n-th has changed.
    bool guard_intact() const {
        for (std::size_t i = n_; i < v_.size(); ++i)
            if (std::memcmp(&v_[i], &marker_, sizeof(T)) != 0) return false;
        return true;
    }

private:
    std::size_t n_;
    T marker_;
    std::vector<T> v_;
};

inline const char* order_name(emu::Order o) {
    switch (o) {
        case emu::Order::ascending: return "ascending";
        case emu::Order::descending: return "descending";
        default: return "shuffled";
    }
}

/// The thread orders every emulated test runs: ascending, descending, and three shuffles.
inline std::vector<emu::Options> orders(bool barriers = false) {
    std::vector<emu::Options> v{{emu::Order::ascending, 1, barriers}, {emu::Order::descending, 1, barriers}};
    for (std::uint64_t seed : {11u, 12u, 13u}) v.push_back({emu::Order::shuffled, seed, barriers});
    return v;
}

/// True when a GPU is there to run on; otherwise prints (once per call site) why the GPU part is not run.
inline bool have_gpu(const char* what) {
    if (gpu::device().available) return true;
    std::printf("GPU part of \"%s\" not run: %s\n", what, gpu::device().why_not.c_str());
    return false;
}

}  // namespace ch08::testing
