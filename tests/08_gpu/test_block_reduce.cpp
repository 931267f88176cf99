// Tests of exercise 08.2: block sums through registers, shared memory and warp shuffles, on the launch
// emulator (whose barrier mode runs one thread at a time up to its next barrier, so a missing barrier
// shows as a wrong sum) and on a GPU if present.
#include <cstdint>
#include <vector>

#include "ch08/block_reduce.hpp"
#include "gpu_testing.hpp"
#include "wb/catch.hpp"

using ch08::testing::Guarded;

namespace {
constexpr float kMarker = -7777.0f;

// Integer values from -8 to 8: every partial sum below is an integer far below 2^24, so float adds it
// exactly in any order, and the expected sums can be compared with ==.
std::vector<float> data(std::size_t n) {
    std::vector<float> x(n);
    for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<float>(static_cast<int>((i * 7919u) % 17u) - 8);
    return x;
}

// The sums each block must produce: element i belongs to the thread i % (grid threads).
std::vector<float> expected(const std::vector<float>& x, unsigned blocks, unsigned block) {
    std::vector<double> s(blocks, 0.0);
    const std::size_t threads = std::size_t{blocks} * block;
    for (std::size_t i = 0; i < x.size(); ++i) s[(i % threads) / block] += x[i];
    return std::vector<float>(s.begin(), s.end());
}
}  // namespace

TEST_CASE("08.2 block sums on the emulator: exact for every block size, grid and thread order") {
    struct Case {
        std::size_t n;
        unsigned blocks, block;
    };
    for (const Case c : {Case{1000, 3, 32}, Case{5000, 4, 64}, Case{777, 2, 128}, Case{40, 3, 64},
                         Case{10000, 1, 256}, Case{3000, 7, 64}}) {
        const std::vector<float> x = data(c.n), want = expected(x, c.blocks, c.block);
        for (const ch08::emu::Options& o : ch08::testing::orders(true)) {
            INFO("n = " << c.n << ", " << c.blocks << " blocks of " << c.block << " threads, order "
                        << ch08::testing::order_name(o.order) << " (seed " << o.seed << ")");
            Guarded<float> partial(c.blocks, kMarker, kMarker);
            ch08::block_sums_emulated(ch08::block_sums_launch(c.blocks, c.block), x.data(), x.size(),
                                      partial.data(), o);
            for (unsigned b = 0; b < c.blocks; ++b) {
                INFO("block " << b);
                REQUIRE(partial[b] == want[b]);
            }
            INFO("something was written past partial[blocks - 1]");
            REQUIRE(partial.guard_intact());
        }
    }
}

TEST_CASE("08.2 the kernel synchronizes every thread alike and shuffles with whole warps") {
    // The emulator counts completed barriers; one that some threads skip never completes, and it throws.
    const unsigned blocks = 2, block = 128;
    const std::vector<float> x = data(4096);
    Guarded<float> partial(blocks, kMarker, kMarker);
    const ch08::emu::Report r =
        ch08::block_sums_emulated(ch08::block_sums_launch(blocks, block), x.data(), x.size(), partial.data(),
                                  {ch08::emu::Order::ascending, 1, true});
    REQUIRE(r.threads == blocks * block);
    INFO("barriers completed per block: " << r.block_barriers / blocks);
    REQUIRE(r.block_barriers >= blocks * 2);  // at least: after the stores, and after a tree step
    INFO("shuffles per block: " << r.warp_shuffles / blocks);
    REQUIRE(r.warp_shuffles >= blocks * 5);   // 16, 8, 4, 2, 1 lanes apart
}

TEST_CASE("08.2 block sums on the GPU equal the emulator's") {
    if (!ch08::testing::have_gpu("08.2 block sums on the GPU")) return;
    const unsigned blocks = 40, block = 256;
    const std::vector<float> x = data(1 << 20), want = expected(x, blocks, block);
    ch08::gpu::Buffer<float> dx{std::span<const float>(x)}, dp(blocks);
    ch08::block_sums_device(ch08::block_sums_launch(blocks, block), dx.data(), x.size(), dp.data());
    ch08::gpu::synchronize();
    std::vector<float> got(blocks);
    dp.download(got);
    for (unsigned b = 0; b < blocks; ++b) REQUIRE(got[b] == want[b]);
}
