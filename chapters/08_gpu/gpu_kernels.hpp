// gpu_kernels.hpp: the chapter's own kernels (not exercises), each runnable on the launch emulator and,
// where there is a GPU, on it (device pointers, queued on a stream). The program, the benchmarks and the
// tests use them; the exercises' kernels (ch08/*.hpp) complete the set.
#pragma once

#include <cstddef>

#include "ch08/device.hpp"
#include "ch08/emu.hpp"
#include "ch08/kernels.hpp"
#include "ch08/launch.hpp"

namespace ch08::kernels {

/// One thread per element, as the seed's Numba kernel: blocks of `block` threads, ceil(n / block) blocks.
Launch one_per_element(std::size_t n, unsigned block = 256);

/// c[i] = a[i] + b[i], one thread per element with a bounds check (launch: one_per_element).
emu::Report vector_add_emulated(const Launch& l, const float* a, const float* b, float* c, std::size_t n,
                                const emu::Options& o = {});
void vector_add_device(const Launch& l, const float* a, const float* b, float* c, std::size_t n, gpu::Stream s = {});

/// out[i] = k * in[i] repeated `rounds` times on the value (a kernel whose cost can be dialled, for the
/// overlap of copies and compute on streams).
void scale_device(const Launch& l, const float* in, float* out, std::size_t n, int rounds, gpu::Stream s = {});
emu::Report scale_emulated(const Launch& l, const float* in, float* out, std::size_t n, int rounds,
                           const emu::Options& o = {});

/// The escape time of every pixel of f into out (row-major), one thread per pixel on a 2D grid of
/// `block` (x along a row); pixels outside the frame are skipped.
Launch mandelbrot_launch(const Frame& f, Dim3 block = {32, 8});
emu::Report mandelbrot_emulated(const Launch& l, const Frame& f, int* out, const emu::Options& o = {});
void mandelbrot_device(const Launch& l, const Frame& f, int* out, gpu::Stream s = {});

/// The seed's "valid" 2D convolution: out is (height - k + 1) x (width - k + 1), one thread per output pixel.
Launch conv2d_launch(int width, int height, int k, Dim3 block = {32, 8});
emu::Report conv2d_emulated(const Launch& l, const float* img, int width, int height, const float* w, int k,
                            float* out, const emu::Options& o = {});
void conv2d_device(const Launch& l, const float* img, int width, int height, const float* w, int k, float* out,
                   gpu::Stream s = {});

/// N-body without tiles: thread i reads all n bodies from global memory (compare with exercise 08.3).
emu::Report nbody_global_emulated(const Launch& l, const Body* b, std::size_t n, Vec3* acc, const emu::Options& o = {});
void nbody_global_device(const Launch& l, const Body* b, std::size_t n, Vec3* acc, gpu::Stream s = {});

}  // namespace ch08::kernels
