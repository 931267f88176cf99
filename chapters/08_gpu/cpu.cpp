// cpu.cpp: the all-core CPU loops of cpu.hpp.
#include "cpu.hpp"

#include <stdexcept>

namespace ch08::cpu {

void vector_add(std::span<const float> a, std::span<const float> b, std::span<float> c) {
    const auto n = static_cast<std::ptrdiff_t>(c.size());
#pragma omp parallel for simd schedule(static)
    for (std::ptrdiff_t i = 0; i < n; ++i) vector_add_element(a.data(), b.data(), c.data(), static_cast<std::size_t>(i));
}

double sum(std::span<const float> x) {
    const auto n = static_cast<std::ptrdiff_t>(x.size());
    double s = 0.0;
#pragma omp parallel for simd reduction(+ : s) schedule(static)
    for (std::ptrdiff_t i = 0; i < n; ++i) s += x[static_cast<std::size_t>(i)];
    return s;
}

void mandelbrot(const Frame& f, std::span<int> out) {
    if (out.size() != static_cast<std::size_t>(f.width) * static_cast<std::size_t>(f.height))
        throw std::invalid_argument("cpu::mandelbrot: out has the wrong size");
#pragma omp parallel for schedule(dynamic, 1)
    for (int row = 0; row < f.height; ++row)
        for (int col = 0; col < f.width; ++col)
            out[static_cast<std::size_t>(row) * static_cast<std::size_t>(f.width) + static_cast<std::size_t>(col)] =
                mandelbrot_pixel(f, col, row);
}

void conv2d(std::span<const float> img, int width, int height, std::span<const float> w, int k, std::span<float> out) {
    const int ow = width - k + 1, oh = height - k + 1;
    if (out.size() != static_cast<std::size_t>(ow) * static_cast<std::size_t>(oh))
        throw std::invalid_argument("cpu::conv2d: out has the wrong size");
#pragma omp parallel for schedule(static)
    for (int r = 0; r < oh; ++r)
        for (int c = 0; c < ow; ++c)
            out[static_cast<std::size_t>(r) * static_cast<std::size_t>(ow) + static_cast<std::size_t>(c)] =
                conv2d_pixel(img.data(), width, w.data(), k, r, c);
}

void nbody(const std::vector<Body>& b, std::vector<Vec3>& acc) {
    acc.resize(b.size());
    const auto n = static_cast<std::ptrdiff_t>(b.size());
#pragma omp parallel for schedule(static)
    for (std::ptrdiff_t i = 0; i < n; ++i) {
        Vec3 a{0.0f, 0.0f, 0.0f};
        const Body me = b[static_cast<std::size_t>(i)];
        for (const Body& other : b) add_pull(a, me, other);
        acc[static_cast<std::size_t>(i)] = a;
    }
}

std::uint64_t pi_hits(std::uint64_t seed, std::uint64_t threads, std::uint32_t samples) {
    std::uint64_t total = 0;
    const auto t = static_cast<std::int64_t>(threads);
#pragma omp parallel for reduction(+ : total) schedule(static)
    for (std::int64_t g = 0; g < t; ++g) {
        const CounterRng rng(seed, static_cast<std::uint64_t>(g));
        std::uint64_t in = 0;
        for (std::uint64_t s = 0; s < samples; ++s) in += inside_circle(rng.u31(2 * s), rng.u31(2 * s + 1)) ? 1u : 0u;
        total += in;
    }
    return total;
}

}  // namespace ch08::cpu
