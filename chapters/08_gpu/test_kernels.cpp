// test_kernels.cpp: the chapter's own kernels and the launch emulator, on the host, in every build: the
// per-element functions against chapter 05's, each emulated kernel against the all-core CPU loop, the
// offload loops (on the GPU where there is one, else on the host, as they report), and the emulator's
// own rules (refused launches, deadlocks, exceptions).
#include <cmath>
#include <cstdint>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "ch05/kernels.hpp"
#include "ch08/emu.hpp"
#include "ch08/kernels.hpp"
#include "cpu.hpp"
#include "gpu_kernels.hpp"
#include "loops_offload.hpp"
#include "wb/catch.hpp"

using namespace ch08;

namespace {
std::vector<float> ramp(std::size_t n, float scale) {
    std::vector<float> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = scale * static_cast<float>((i * 37) % 101) - 50.0f;
    return v;
}
}  // namespace

TEST_CASE("ch08 escape_time is chapter 05's, pixel for pixel") {
    const ch05::Frame f5 = ch05::lopsided_frame(160, 80, 300);
    const Frame f8 = lopsided_frame(160, 80, 300);
    std::vector<int> img5(ch05::pixels(f5));
    for (int r = 0; r < f5.height; ++r) ch05::mandelbrot_row(f5, r, img5);
    for (int r = 0; r < f8.height; ++r)
        for (int c = 0; c < f8.width; ++c) REQUIRE(mandelbrot_pixel(f8, c, r) == img5[static_cast<std::size_t>(r * f8.width + c)]);
}

TEST_CASE("ch08 emulated kernels equal the all-core CPU loops") {
    SECTION("vector add, n not a multiple of the block") {
        const std::size_t n = 1000;
        const auto a = ramp(n, 1.0f), b = ramp(n, 0.5f);
        std::vector<float> c(n + 8, -1.0f), want(n);
        kernels::vector_add_emulated(kernels::one_per_element(n, 128), a.data(), b.data(), c.data(), n,
                                     {emu::Order::shuffled, 4, false});
        cpu::vector_add(a, b, want);
        for (std::size_t i = 0; i < n; ++i) REQUIRE(c[i] == want[i]);
        for (std::size_t i = n; i < c.size(); ++i) REQUIRE(c[i] == -1.0f);  // the bounds check held
    }
    SECTION("Mandelbrot on a 2D grid with partial blocks") {
        const Frame f = lopsided_frame(100, 37, 200);
        std::vector<int> got(100 * 37, -1), want(100 * 37);
        kernels::mandelbrot_emulated(kernels::mandelbrot_launch(f, {32, 8}), f, got.data(), {emu::Order::descending, 1, false});
        cpu::mandelbrot(f, want);
        REQUIRE(got == want);
    }
    SECTION("the seed's 2D convolution") {
        const int w = 45, h = 30, k = 3;
        const auto img = ramp(static_cast<std::size_t>(w * h), 0.01f);
        const std::vector<float> wts{0.1f, 0.2f, 0.1f, 0.0f, 0.5f, -0.2f, 0.3f, 0.1f, 0.05f};
        std::vector<float> got(static_cast<std::size_t>((w - k + 1) * (h - k + 1)), -1.0f), want(got.size());
        kernels::conv2d_emulated(kernels::conv2d_launch(w, h, k), img.data(), w, h, wts.data(), k, got.data());
        cpu::conv2d(img, w, h, wts, k, want);
        // Nine products summed in the same order; the two builds may fuse multiply-adds differently
        // (FMA contraction), a difference of a rounding or two.
        for (std::size_t i = 0; i < got.size(); ++i) REQUIRE(std::abs(got[i] - want[i]) <= 1e-5f * (1.0f + std::abs(want[i])));
    }
    SECTION("N-body from global memory") {
        const auto bodies = make_bodies(150, 3);
        std::vector<Vec3> got(150), want;
        kernels::nbody_global_emulated(kernels::one_per_element(150, 64), bodies.data(), 150, got.data());
        cpu::nbody(bodies, want);
        const auto ref = accelerations_reference(bodies);
        for (std::size_t i = 0; i < 150; ++i) {
            const double tol = 1e-5 * pull_scale(bodies, i);
            REQUIRE(std::abs(got[i].x - ref[i].x) <= tol);
            REQUIRE(std::abs(want[i].y - ref[i].y) <= tol);
        }
    }
    SECTION("the streams' scale kernel") {
        const std::size_t n = 300;
        const auto in = ramp(n, 1.0f);
        std::vector<float> out(n);
        kernels::scale_emulated(kernels::one_per_element(n, 64), in.data(), out.data(), n, 3);
        float v = in[7];
        for (int r = 0; r < 3; ++r) v = v * 0.999f + 0.001f;
        REQUIRE(std::abs(out[7] - v) <= 1e-6f * std::abs(v));
    }
}

TEST_CASE("ch08 counter-based streams: exact circle test, distinct streams, the CPU count is the streams' sum") {
    REQUIRE(inside_circle(0, 0));
    REQUIRE_FALSE(inside_circle(0x7fffffffu, 0x7fffffffu));  // 2 (2^31 - 1)^2 > 2^62
    REQUIRE(inside_circle(0x7fffffffu, 0));  // (2^31 - 1)^2 < 2^62
    std::set<std::uint64_t> firsts;
    for (std::uint64_t s = 0; s < 1000; ++s) firsts.insert(CounterRng(5, s).bits(0));
    REQUIRE(firsts.size() == 1000);
    std::uint64_t total = 0;
    for (std::uint64_t g = 0; g < 64; ++g) {
        const CounterRng rng(9, g);
        for (std::uint64_t s = 0; s < 50; ++s) total += inside_circle(rng.u31(2 * s), rng.u31(2 * s + 1));
    }
    REQUIRE(cpu::pi_hits(9, 64, 50) == total);
}

TEST_CASE("ch08 offload loops give the CPU's results and say where they ran") {
    const std::size_t n = 5000;
    const auto a = ramp(n, 1.0f), b = ramp(n, 2.0f);
    std::vector<float> c(n), want(n);
    const offload::Where w = offload::vector_add(a, b, c);
    cpu::vector_add(a, b, want);
    REQUIRE(c == want);
    std::printf("offload vector add ran on the %s (%d devices; %s)\n", w.place(), w.devices,
                offload::compiled_for_gpu() ? "compiled for nvptx" : offload::why_not_compiled().c_str());
    if (w.devices == 0) REQUIRE_FALSE(w.on_device);  // no device: it cannot claim one
    double s = 0;
    offload::sum(a, s);
    REQUIRE(std::abs(s - cpu::sum(a)) <= 1e-9 * n * 100);
    const Frame f = lopsided_frame(64, 32, 100);
    std::vector<int> img(64 * 32), ref(64 * 32);
    offload::mandelbrot(f, img);
    cpu::mandelbrot(f, ref);
    REQUIRE(img == ref);
}

namespace {
struct SkipsBarrier {  // thread 0 returns early: the others wait at a barrier it never reaches
    template <class T>
    void operator()(const T& t) const {
        if (t.threadIdx.x == 0) return;
        t.syncthreads();
    }
};
struct Throws {
    template <class T>
    void operator()(const T& t) const {
        if (t.threadIdx.x == 5) throw std::runtime_error("thrown by thread 5");
        t.syncthreads();
    }
};
struct Stale {  // reads its right neighbour's slot without a barrier: sees the fill pattern in ascending order
    float* out;
    template <class T>
    void operator()(const T& t) const {
        float* s = static_cast<float*>(t.shared());
        s[t.threadIdx.x] = 1.0f;
        out[t.threadIdx.x] = s[(t.threadIdx.x + 1) % t.blockDim.x];
    }
};
}  // namespace

TEST_CASE("ch08 launch emulator: refused launches, deadlocks, exceptions and missing barriers") {
    REQUIRE_THROWS_AS(emu::run({{0}, {32}}, {}, SkipsBarrier{}), std::invalid_argument);
    REQUIRE_THROWS_AS(emu::run({{1}, {2048}}, {}, SkipsBarrier{}), std::invalid_argument);
    REQUIRE_THROWS_AS(emu::run({{1}, {32}, 64 * 1024}, {}, SkipsBarrier{}), std::invalid_argument);
    try {
        emu::run({{2}, {64}}, {emu::Order::ascending, 1, true}, SkipsBarrier{});
        FAIL("no deadlock reported");
    } catch (const std::logic_error& e) {
        REQUIRE(std::string(e.what()).find("deadlock") != std::string::npos);
    }
    REQUIRE_THROWS_WITH(emu::run({{1}, {64}}, {emu::Order::descending, 1, true}, Throws{}), "thrown by thread 5");
    REQUIRE_THROWS_AS(emu::run({{1}, {64}}, {}, Throws{}), std::logic_error);  // syncthreads without barrier mode
    std::vector<float> out(32);
    emu::run({{1}, {32}, 32 * sizeof(float)}, {emu::Order::ascending, 1, false}, Stale{out.data()});
    REQUIRE(out[0] != 1.0f);   // thread 1 had not written its slot yet
    REQUIRE(out[31] == 1.0f);  // thread 0 had
}
