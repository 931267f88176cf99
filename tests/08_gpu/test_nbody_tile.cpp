// Tests of exercise 08.3: the tiled N-body kernel on the launch emulator (and on a GPU if present).
#include <cmath>
#include <limits>
#include <vector>

#include "ch08/nbody_tile.hpp"
#include "gpu_testing.hpp"
#include "wb/catch.hpp"

using ch08::Body;
using ch08::Vec3;
using ch08::testing::Guarded;

namespace {
// Float sums of up to a few hundred pulls against a double reference: each add errs by at most half an
// ulp of the running sum (6e-8 relative), so the total error stays far below 1e-5 of the sum of the
// pulls' magnitudes; reading a wrong tile, or missing one, moves a body's acceleration by far more.
constexpr double kTol = 1e-5;

// The bodies, followed by NaN "bodies": a kernel that reads past n gets NaN into its sums.
Guarded<Body> guarded_bodies(const std::vector<Body>& b) {
    const float nan = std::numeric_limits<float>::quiet_NaN();
    Guarded<Body> g(b.size(), Body{}, Body{nan, nan, nan, nan});
    for (std::size_t i = 0; i < b.size(); ++i) g[i] = b[i];
    return g;
}

void require_close(const std::vector<Body>& bodies, const Vec3* got) {
    const std::vector<Vec3> want = ch08::accelerations_reference(bodies);
    for (std::size_t i = 0; i < bodies.size(); ++i) {
        const double scale = ch08::pull_scale(bodies, i);
        const double err = std::abs(got[i].x - want[i].x) + std::abs(got[i].y - want[i].y) + std::abs(got[i].z - want[i].z);
        INFO("body " << i << ": got (" << got[i].x << ", " << got[i].y << ", " << got[i].z << "), want (" << want[i].x
                     << ", " << want[i].y << ", " << want[i].z << ")");
        REQUIRE(err <= kTol * scale);  // also false for NaN
    }
}
}  // namespace

TEST_CASE("08.3 tiled N-body on the emulator: every body's acceleration, every tile, every order") {
    const Vec3 marker{-1.0f, -2.0f, -3.0f};
    struct Case {
        std::size_t n;
        unsigned block;
    };
    for (const Case c : {Case{256, 64}, Case{200, 64}, Case{77, 32}, Case{130, 128}, Case{5, 32}}) {
        const std::vector<Body> bodies = ch08::make_bodies(c.n, 8);
        const Guarded<Body> in = guarded_bodies(bodies);
        for (const ch08::emu::Options& o : ch08::testing::orders(true)) {
            INFO("n = " << c.n << ", blocks of " << c.block << ", order " << ch08::testing::order_name(o.order)
                        << " (seed " << o.seed << ")");
            Guarded<Vec3> acc(c.n, Vec3{0, 0, 0}, marker);
            ch08::nbody_tile_emulated(ch08::nbody_tile_launch(c.n, c.block), in.data(), c.n, acc.data(), o);
            require_close(bodies, acc.data());
            INFO("an acceleration was written past acc[n - 1]");
            REQUIRE(acc.guard_intact());
        }
    }
}

TEST_CASE("08.3 the block synchronizes twice per tile") {
    // Fewer barriers than two per tile means a tile is read before it is complete or overwritten while read.
    const std::size_t n = 256;
    const unsigned block = 64;
    const std::vector<Body> bodies = ch08::make_bodies(n, 9);
    std::vector<Vec3> acc(n);
    const auto r = ch08::nbody_tile_emulated(ch08::nbody_tile_launch(n, block), bodies.data(), n, acc.data(),
                                             {ch08::emu::Order::descending, 1, true});
    const std::uint64_t blocks = n / block, tiles = n / block;
    REQUIRE(r.block_barriers >= blocks * tiles * 2);
}

TEST_CASE("08.3 tiled N-body on the GPU agrees with the reference") {
    if (!ch08::testing::have_gpu("08.3 tiled N-body on the GPU")) return;
    const std::size_t n = 1000;
    const std::vector<Body> bodies = ch08::make_bodies(n, 10);
    ch08::gpu::Buffer<Body> db{std::span<const Body>(bodies)};
    ch08::gpu::Buffer<Vec3> da(n);
    ch08::nbody_tile_device(ch08::nbody_tile_launch(n, 128), db.data(), n, da.data());
    ch08::gpu::synchronize();
    std::vector<Vec3> got(n);
    da.download(got);
    require_close(bodies, got.data());
}
