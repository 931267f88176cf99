// Tests of exercise 08.4: Monte Carlo pi with a counter-based stream per thread, on the launch emulator
// (and on a GPU if present). The host reproduces every thread's count exactly from its stream.
#include <cmath>
#include <cstdint>
#include <numbers>
#include <set>
#include <vector>

#include "ch08/pi_streams.hpp"
#include "gpu_testing.hpp"
#include "wb/catch.hpp"

using ch08::testing::Guarded;

namespace {
constexpr std::uint32_t kMarker = 0xDEADBEEFu;

// The count of stream g, computed here independently of the kernel.
std::uint32_t host_hits(std::uint64_t seed, std::uint64_t g, std::uint32_t samples) {
    const ch08::CounterRng rng(seed, g);
    std::uint32_t in = 0;
    for (std::uint64_t s = 0; s < samples; ++s) in += ch08::inside_circle(rng.u31(2 * s), rng.u31(2 * s + 1));
    return in;
}
}  // namespace

TEST_CASE("08.4 every thread's count is that of its own stream, in every order") {
    struct Case {
        unsigned blocks, block;
        std::uint32_t samples;
        std::uint64_t seed;
    };
    for (const Case c : {Case{4, 64, 100, 1}, Case{3, 96, 37, 2}, Case{1, 32, 1000, 3}, Case{16, 32, 8, 4}}) {
        const std::size_t threads = std::size_t{c.blocks} * c.block;
        for (const ch08::emu::Options& o : ch08::testing::orders()) {
            INFO(c.blocks << " blocks of " << c.block << ", " << c.samples << " samples per thread, seed " << c.seed
                          << ", order " << ch08::testing::order_name(o.order));
            Guarded<std::uint32_t> hits(threads, kMarker, kMarker);
            ch08::pi_hits_emulated({{c.blocks}, {c.block}}, c.seed, c.samples, hits.data(), o);
            for (std::size_t g = 0; g < threads; ++g) {
                INFO("thread " << g << " (block " << g / c.block << ", thread " << g % c.block << ")");
                REQUIRE(hits[g] == host_hits(c.seed, g, c.samples));
            }
            REQUIRE(hits.guard_intact());
        }
    }
}

TEST_CASE("08.4 the threads' samples are independent: distinct counts and an unbiased estimate of pi") {
    const unsigned blocks = 8, block = 128;
    const std::uint32_t samples = 200;
    const std::size_t threads = std::size_t{blocks} * block;
    std::vector<std::uint32_t> hits(threads);
    ch08::pi_hits_emulated({{blocks}, {block}}, 2024, samples, hits.data(), {ch08::emu::Order::shuffled, 3, false});
    // Threads with the same stream report the same count; 1024 independent Binomial(200, 0.785) counts
    // take about 30 different values, each shared by many threads, so the check is on whole blocks: two
    // blocks with identical count sequences share their streams.
    std::set<std::vector<std::uint32_t>> per_block;
    for (unsigned b = 0; b < blocks; ++b)
        per_block.insert(std::vector<std::uint32_t>(hits.begin() + b * block, hits.begin() + (b + 1) * block));
    REQUIRE(per_block.size() == blocks);
    std::uint64_t total = 0;
    for (auto h : hits) total += h;
    const double n = static_cast<double>(threads) * samples, p = static_cast<double>(total) / n;
    const double se = 4.0 * std::sqrt(std::numbers::pi / 4 * (1 - std::numbers::pi / 4) / n);
    INFO("pi estimate " << 4 * p << " from " << n << " points (standard error " << se << ")");
    REQUIRE(std::abs(4 * p - std::numbers::pi) < 5 * se);
}

TEST_CASE("08.4 the GPU's counts equal the host's, thread for thread") {
    if (!ch08::testing::have_gpu("08.4 Monte Carlo pi on the GPU")) return;
    const unsigned blocks = 64, block = 256;
    const std::uint32_t samples = 500;
    const std::size_t threads = std::size_t{blocks} * block;
    ch08::gpu::Buffer<std::uint32_t> dh(threads);
    ch08::pi_hits_device({{blocks}, {block}}, 77, samples, dh.data());
    ch08::gpu::synchronize();
    std::vector<std::uint32_t> got(threads);
    dh.download(got);
    for (std::size_t g = 0; g < threads; g += 97) REQUIRE(got[g] == host_hits(77, g, samples));
}
