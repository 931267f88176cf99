// Tests of exercise 08.1: the grid-stride saxpy kernel on the launch emulator (and on a GPU if present).
#include <cstdint>
#include <vector>

#include "ch08/grid_stride.hpp"
#include "gpu_testing.hpp"
#include "wb/catch.hpp"

using ch08::Launch;
using ch08::testing::Guarded;

namespace {
constexpr float kA = 3.0f;
constexpr float kMarker = -12345.0f;

// Small integers: a * x + y is exact in float, so "equal" means exactly equal, and an element updated
// twice (y + 2 a x) or not at all (y) differs from the expected value by at least 3.
float x_of(std::size_t i) { return static_cast<float>(i % 7 + 1); }
float y_of(std::size_t i) { return static_cast<float>(i % 1000); }

struct Run {
    std::size_t n;
    Launch launch;
    const char* what;
};

std::vector<Run> runs() {
    return {{1000, {{4}, {256}}, "grid covers n with a partial last block"},
            {1024, {{4}, {256}}, "grid covers n exactly"},
            {1000, {{16}, {128}}, "grid larger than n"},
            {5000, {{3}, {64}}, "grid much smaller than n (each thread strides)"},
            {777, {{2}, {96}}, "block not a multiple of 32, grid smaller than n"},
            {1, {{5}, {32}}, "one element, many threads"}};
}
}  // namespace

TEST_CASE("08.1 saxpy_launch: one thread per element up to max_blocks, never zero blocks") {
    auto grid = [](std::size_t n, unsigned block, unsigned max_blocks) {
        const Launch l = ch08::saxpy_launch(n, block, max_blocks);
        REQUIRE(l.block.x == block);
        REQUIRE(l.block.y == 1);
        REQUIRE(l.grid.y == 1);
        return l.grid.x;
    };
    CHECK(grid(1000, 256, 1024) == 4);
    CHECK(grid(1024, 256, 1024) == 4);
    CHECK(grid(1025, 256, 1024) == 5);
    CHECK(grid(1, 256, 1024) == 1);
    CHECK(grid(0, 256, 1024) == 1);
    CHECK(grid(100, 128, 1024) == 1);
    CHECK(grid(std::size_t{1} << 24, 256, 80) == 80);
    CHECK(grid(std::size_t{1} << 24, 256, 1u << 30) == (1u << 16));
}

TEST_CASE("08.1 saxpy on the emulator: every element updated exactly once, nothing past the end") {
    for (const Run& r : runs()) {
        for (const ch08::emu::Options& o : ch08::testing::orders()) {
            INFO(r.what << ": n = " << r.n << ", grid " << r.launch.grid.x << " x block " << r.launch.block.x
                        << ", order " << ch08::testing::order_name(o.order));
            Guarded<float> x(r.n, 0.0f, 1.0f), y(r.n, 0.0f, kMarker);
            for (std::size_t i = 0; i < r.n; ++i) {
                x[i] = x_of(i);
                y[i] = y_of(i);
            }
            ch08::saxpy_emulated(r.launch, kA, x.data(), y.data(), r.n, o);
            std::size_t wrong = 0, first_wrong = r.n;
            for (std::size_t i = 0; i < r.n; ++i)
                if (y[i] != kA * x_of(i) + y_of(i)) {
                    if (!wrong) first_wrong = i;
                    ++wrong;
                }
            INFO(wrong << " elements wrong, the first at i = " << first_wrong
                       << " (got " << (wrong ? y[first_wrong] : 0.0f) << ")");
            REQUIRE(wrong == 0);
            INFO("a thread wrote past y[n - 1]: the bounds check is missing or off by one");
            REQUIRE(y.guard_intact());
        }
    }
}

TEST_CASE("08.1 saxpy with the launch of saxpy_launch covers large n with a capped grid") {
    const std::size_t n = 100000;
    const Launch l = ch08::saxpy_launch(n, 128, 40);
    Guarded<float> x(n, 2.0f, 1.0f), y(n, 1.0f, kMarker);
    ch08::saxpy_emulated(l, kA, x.data(), y.data(), n, {ch08::emu::Order::shuffled, 5, false});
    for (std::size_t i = 0; i < n; ++i) REQUIRE(y[i] == 7.0f);
    REQUIRE(y.guard_intact());
}

TEST_CASE("08.1 saxpy on the GPU equals the emulator's result") {
    if (!ch08::testing::have_gpu("08.1 saxpy on the GPU")) return;
    for (const Run& r : runs()) {
        INFO(r.what);
        std::vector<float> x(r.n), y(r.n), out(r.n);
        for (std::size_t i = 0; i < r.n; ++i) {
            x[i] = x_of(i);
            y[i] = y_of(i);
        }
        ch08::gpu::Buffer<float> dx{std::span<const float>(x)}, dy{std::span<const float>(y)};
        ch08::saxpy_device(r.launch, kA, dx.data(), dy.data(), r.n);
        ch08::gpu::synchronize();
        dy.download(out);
        for (std::size_t i = 0; i < r.n; ++i) REQUIRE(out[i] == kA * x_of(i) + y_of(i));
    }
}
