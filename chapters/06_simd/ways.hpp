// ways.hpp: the same kernels written the several ways this chapter compares: plain loops, `#pragma omp
// simd`, std::experimental::simd, intrinsics (the exercises' reference solutions) and Google Highway.
// Not exercises: the program and the benchmarks call these.
#pragma once

#include <cstddef>
#include <span>
#include <string>

#include "ch06/kernels.hpp"
#include "wb/isa.hpp"

namespace ch06::ways {

// ---- sums ---------------------------------------------------------------------------------------------
/// One accumulator in index order: one chain of dependent additions (chapter 05's serial sum).
double sum_serial(std::span<const double> x);
double sumsq_serial(std::span<const double> x);
/// `#pragma omp simd reduction(+:s)`, compiled for `isa` (scalar: the x86-64 baseline, SSE2).
double sum_omp_simd(std::span<const double> x, wb::Isa isa);
double sumsq_omp_simd(std::span<const double> x, wb::Isa isa);
/// std::experimental::simd, native width of `isa`'s file.
double sum_stdx(std::span<const double> x, wb::Isa isa);
double sumsq_stdx(std::span<const double> x, wb::Isa isa);
/// Intrinsics, four vector accumulators (sum only; the sum of squares is exercise 06.2).
double sum_intrinsics(std::span<const double> x, wb::Isa isa);
/// Google Highway, its own dispatch. Returns false in `ok` when this build has no Highway.
double sum_highway(std::span<const double> x, bool& ok);
double sumsq_highway(std::span<const double> x, bool& ok);

// ---- moving average ------------------------------------------------------------------------------------
/// The O(n w) loop: every window summed from scratch (vectorized across the window by omp simd).
void moving_naive(std::span<const double> x, std::size_t w, std::span<double> out);
/// The O(n) running sum, added to and subtracted from, no compensation.
void moving_sliding(std::span<const double> x, std::size_t w, std::span<double> out);
/// The cumulative-sum trick: out[i] = (P[i+w] - P[i]) / w with P the running total.
void moving_cumsum(std::span<const double> x, std::size_t w, std::span<double> out);

// ---- Mandelbrot ----------------------------------------------------------------------------------------
/// The iteration written for omp simd: blocks of 16 pixels iterated together, a live flag per pixel.
void mandelbrot_omp_simd(const Frame& f, std::span<int> out, wb::Isa isa);
/// std::experimental::simd with where() masks.
void mandelbrot_stdx(const Frame& f, std::span<int> out, wb::Isa isa);
/// Google Highway; false in `ok` without Highway.
void mandelbrot_highway(const Frame& f, std::span<int> out, bool& ok);

// ---- N-body --------------------------------------------------------------------------------------------
/// omp simd over blocks of bodies i, a correctly rounded sqrt and a division.
void nbody_omp_simd(const Bodies& b, Accel& a, wb::Isa isa, int threads);
/// std::experimental::simd, sqrt and division.
void nbody_stdx(const Bodies& b, Accel& a, wb::Isa isa, int threads);
/// Google Highway, sqrt and division; false in `ok` without Highway.
void nbody_highway(const Bodies& b, Accel& a, int threads, bool& ok);

/// The instruction set Highway dispatches to on this CPU ("AVX3", "AVX2", ...), or why there is none.
std::string highway_target();

}  // namespace ch06::ways
