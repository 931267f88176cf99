// cpu.hpp: the all-core CPU versions of the chapter's kernels (OpenMP over every core, as chapters 05 and
// 06 run them), on the same per-element functions of ch08/kernels.hpp. The benchmarks put them beside
// the GPU rows; the tests use them as references.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "ch08/kernels.hpp"

namespace ch08::cpu {

void vector_add(std::span<const float> a, std::span<const float> b, std::span<float> c);
/// The sum of x, accumulated in double (OpenMP reduction).
double sum(std::span<const float> x);
/// Chapter 05's best schedule: rows handed out one at a time (schedule(dynamic, 1)).
void mandelbrot(const Frame& f, std::span<int> out);
void conv2d(std::span<const float> img, int width, int height, std::span<const float> w, int k, std::span<float> out);
void nbody(const std::vector<Body>& b, std::vector<Vec3>& acc);
/// The hits of the streams first .. first + threads - 1, `samples` points each, summed: the same count
/// the GPU's exercise 08.4 kernel finds over a grid of that many threads.
std::uint64_t pi_hits(std::uint64_t seed, std::uint64_t threads, std::uint32_t samples);

}  // namespace ch08::cpu
