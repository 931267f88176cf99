// test_device.cpp: every kernel of the chapter on the GPU against the CPU. Without a GPU the binary says
// why and exits 77 before any test runs, which ctest reports as Skipped.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "ch08/block_reduce.hpp"
#include "ch08/device.hpp"
#include "ch08/grid_stride.hpp"
#include "ch08/nbody_tile.hpp"
#include "ch08/pi_streams.hpp"
#include "cpu.hpp"
#include "gpu_kernels.hpp"
#include "wb/catch.hpp"

using namespace ch08;

namespace {
const bool kHaveGpu = [] {
    if (!gpu::device().available) {
        std::printf("SKIPPED: no GPU to run the device tests on: %s\n", gpu::device().why_not.c_str());
        std::fflush(stdout);
        std::_Exit(77);
    }
    return true;
}();

std::vector<float> ramp(std::size_t n) {
    std::vector<float> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<float>(static_cast<int>((i * 7919u) % 17u) - 8);
    return v;
}
}  // namespace

TEST_CASE("device: vector add, with and without pinned memory") {
    REQUIRE(kHaveGpu);
    const std::size_t n = (1 << 20) + 3;
    const auto a = ramp(n), b = ramp(n + 5);
    std::vector<float> want(n), got(n);
    cpu::vector_add(a, std::span<const float>(b).first(n), want);
    gpu::Buffer<float> da{std::span<const float>(a)}, db{std::span<const float>(b).first(n)}, dc(n);
    kernels::vector_add_device(kernels::one_per_element(n), da.data(), db.data(), dc.data(), n);
    gpu::synchronize();
    dc.download(got);
    REQUIRE(got == want);
    gpu::PinnedBuffer<float> pinned(n);
    gpu::OwnStream s;
    dc.download(pinned.span(), s.get());
    s.synchronize();
    for (std::size_t i = 0; i < n; i += 1000) REQUIRE(pinned.data()[i] == want[i]);
}

TEST_CASE("device: full reduction in two launches of the 08.2 kernel is exact") {
    const std::size_t n = 1 << 22;
    const auto x = ramp(n);
    double want = 0;
    for (float v : x) want += v;
    gpu::Buffer<float> dx{std::span<const float>(x)}, dp(1024), dr(1);
    block_sums_device(block_sums_launch(1024, 256), dx.data(), n, dp.data());
    block_sums_device(block_sums_launch(1, 1024), dp.data(), 1024, dr.data());
    std::vector<float> r(1);
    dr.download(r);
    REQUIRE(static_cast<double>(r[0]) == want);
}

TEST_CASE("device: Mandelbrot and convolution equal the CPU's") {
    const Frame f = lopsided_frame(640, 320, 500);
    std::vector<int> want(640 * 320), got(640 * 320);
    cpu::mandelbrot(f, want);
    gpu::Buffer<int> dimg(got.size());
    kernels::mandelbrot_device(kernels::mandelbrot_launch(f), f, dimg.data());
    gpu::synchronize();
    dimg.download(got);
    std::size_t differ = 0;
    for (std::size_t i = 0; i < got.size(); ++i) differ += got[i] != want[i];
    // The GPU may fuse the multiply-adds of the iteration (FMA), which can change an escape time by one at
    // a handful of pixels on the set's boundary.
    REQUIRE(differ <= got.size() / 1000);

    const int w = 500, h = 400, k = 3;
    std::vector<float> img(static_cast<std::size_t>(w * h));
    for (std::size_t i = 0; i < img.size(); ++i) img[i] = static_cast<float>(i % 13) * 0.1f;
    const std::vector<float> wts{0.1f, 0.2f, 0.1f, 0.0f, 0.5f, -0.2f, 0.3f, 0.1f, 0.05f};
    std::vector<float> cw(static_cast<std::size_t>((w - k + 1) * (h - k + 1))), cg(cw.size());
    cpu::conv2d(img, w, h, wts, k, cw);
    gpu::Buffer<float> di{std::span<const float>(img)}, dw{std::span<const float>(wts)}, dout(cw.size());
    kernels::conv2d_device(kernels::conv2d_launch(w, h, k), di.data(), w, h, dw.data(), k, dout.data());
    gpu::synchronize();
    dout.download(cg);
    for (std::size_t i = 0; i < cw.size(); ++i) REQUIRE(std::abs(cg[i] - cw[i]) <= 1e-5f * (1.0f + std::abs(cw[i])));
}

TEST_CASE("device: N-body global and tiled agree with the reference; pi counts equal the CPU's") {
    const std::size_t n = 2000;
    const auto bodies = make_bodies(n, 4);
    const auto ref = accelerations_reference(bodies);
    gpu::Buffer<Body> db{std::span<const Body>(bodies)};
    gpu::Buffer<Vec3> d1(n), d2(n);
    kernels::nbody_global_device(kernels::one_per_element(n, 128), db.data(), n, d1.data());
    nbody_tile_device(nbody_tile_launch(n, 128), db.data(), n, d2.data());
    gpu::synchronize();
    std::vector<Vec3> g1(n), g2(n);
    d1.download(g1);
    d2.download(g2);
    for (std::size_t i = 0; i < n; i += 7) {
        const double tol = 1e-5 * pull_scale(bodies, i);
        REQUIRE(std::abs(g1[i].x - ref[i].x) + std::abs(g1[i].y - ref[i].y) + std::abs(g1[i].z - ref[i].z) <= tol);
        REQUIRE(std::abs(g2[i].x - ref[i].x) + std::abs(g2[i].y - ref[i].y) + std::abs(g2[i].z - ref[i].z) <= tol);
    }
    const unsigned blocks = 128, block = 256;
    gpu::Buffer<std::uint32_t> dh(std::size_t{blocks} * block);
    pi_hits_device({{blocks}, {block}}, 99, 1000, dh.data());
    std::vector<std::uint32_t> h(std::size_t{blocks} * block);
    dh.download(h);
    std::uint64_t total = 0;
    for (auto v : h) total += v;
    REQUIRE(total == cpu::pi_hits(99, std::uint64_t{blocks} * block, 1000));
}

TEST_CASE("device: copies and kernels on four streams give the serial result") {
    const std::size_t n = 1 << 22, chunks = 8, per = n / chunks;
    gpu::PinnedBuffer<float> in(n), out(n);
    for (std::size_t i = 0; i < n; ++i) in.data()[i] = static_cast<float>(i % 100);
    gpu::Buffer<float> din(n), dout(n);
    gpu::OwnStream s[4];
    for (std::size_t c = 0; c < chunks; ++c) {
        const gpu::Stream st = s[c % 4].get();
        gpu::copy_to_device(din.data() + c * per, in.data() + c * per, per * sizeof(float), st);
        kernels::scale_device(kernels::one_per_element(per), din.data() + c * per, dout.data() + c * per, per, 10, st);
        gpu::copy_to_host(out.data() + c * per, dout.data() + c * per, per * sizeof(float), st);
    }
    for (auto& st : s) st.synchronize();
    for (std::size_t i = 0; i < n; i += 4099) {
        float v = in.data()[i];
        for (int r = 0; r < 10; ++r) v = v * 0.999f + 0.001f;
        REQUIRE(std::abs(out.data()[i] - v) <= 1e-5f * (1.0f + std::abs(v)));
    }
}
