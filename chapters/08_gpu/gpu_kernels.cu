// gpu_kernels.cu: the chapter's own kernels, each one struct run by emu::run on the host or by
// gpu::launch on a GPU.
#include "gpu_kernels.hpp"

namespace ch08::kernels {

namespace {

//! [vector_add_kernel]
// The seed's cuda.jit vector add: i = cuda.grid(1); if i < n: c[i] = a[i] + b[i].
struct VectorAdd {
    const float* a;
    const float* b;
    float* c;
    std::size_t n;
    template <class Thread>
    WB_HD void operator()(const Thread& t) const {
        const std::size_t i = std::size_t{t.blockIdx.x} * t.blockDim.x + t.threadIdx.x;
        if (i < n) vector_add_element(a, b, c, i);
    }
};
//! [vector_add_kernel]

struct Scale {
    const float* in;
    float* out;
    std::size_t n;
    int rounds;
    template <class Thread>
    WB_HD void operator()(const Thread& t) const {
        const std::size_t i = std::size_t{t.blockIdx.x} * t.blockDim.x + t.threadIdx.x;
        if (i >= n) return;
        float v = in[i];
        for (int r = 0; r < rounds; ++r) v = v * 0.999f + 0.001f;
        out[i] = v;
    }
};

//! [mandelbrot_kernel]
// One thread per pixel on a 2D grid: x runs along a row, so the 32 threads of a warp take 32 neighbouring
// pixels, whose escape times are similar (the warp's lanes mostly branch alike), and store to 32
// consecutive ints (one coalesced store).
struct Mandelbrot {
    Frame f;
    int* out;
    template <class Thread>
    WB_HD void operator()(const Thread& t) const {
        const unsigned col = t.blockIdx.x * t.blockDim.x + t.threadIdx.x;
        const unsigned row = t.blockIdx.y * t.blockDim.y + t.threadIdx.y;
        if (col >= static_cast<unsigned>(f.width) || row >= static_cast<unsigned>(f.height)) return;
        out[std::size_t{row} * static_cast<std::size_t>(f.width) + col] =
            mandelbrot_pixel(f, static_cast<int>(col), static_cast<int>(row));
    }
};
//! [mandelbrot_kernel]

struct Conv2d {
    const float* img;
    int width, height;
    const float* w;
    int k;
    float* out;
    template <class Thread>
    WB_HD void operator()(const Thread& t) const {
        const int c = static_cast<int>(t.blockIdx.x * t.blockDim.x + t.threadIdx.x);
        const int r = static_cast<int>(t.blockIdx.y * t.blockDim.y + t.threadIdx.y);
        const int ow = width - k + 1, oh = height - k + 1;
        if (c >= ow || r >= oh) return;
        out[static_cast<std::size_t>(r) * static_cast<std::size_t>(ow) + static_cast<std::size_t>(c)] =
            conv2d_pixel(img, width, w, k, r, c);
    }
};

struct NbodyGlobal {
    const Body* b;
    std::size_t n;
    Vec3* acc;
    template <class Thread>
    WB_HD void operator()(const Thread& t) const {
        const std::size_t i = std::size_t{t.blockIdx.x} * t.blockDim.x + t.threadIdx.x;
        if (i >= n) return;
        const Body me = b[i];
        Vec3 a{0.0f, 0.0f, 0.0f};
        for (std::size_t j = 0; j < n; ++j) add_pull(a, me, b[j]);
        acc[i] = a;
    }
};

}  // namespace

Launch one_per_element(std::size_t n, unsigned block) {
    return {Dim3{static_cast<unsigned>(ceil_div(n == 0 ? 1 : n, block))}, Dim3{block}};
}

emu::Report vector_add_emulated(const Launch& l, const float* a, const float* b, float* c, std::size_t n,
                                const emu::Options& o) {
    return emu::run(l, o, VectorAdd{a, b, c, n});
}
void vector_add_device(const Launch& l, const float* a, const float* b, float* c, std::size_t n, gpu::Stream s) {
    gpu::launch(l, VectorAdd{a, b, c, n}, s);
}

void scale_device(const Launch& l, const float* in, float* out, std::size_t n, int rounds, gpu::Stream s) {
    gpu::launch(l, Scale{in, out, n, rounds}, s);
}
emu::Report scale_emulated(const Launch& l, const float* in, float* out, std::size_t n, int rounds,
                           const emu::Options& o) {
    return emu::run(l, o, Scale{in, out, n, rounds});
}

Launch mandelbrot_launch(const Frame& f, Dim3 block) {
    return {Dim3{static_cast<unsigned>(ceil_div(static_cast<std::size_t>(f.width), block.x)),
                 static_cast<unsigned>(ceil_div(static_cast<std::size_t>(f.height), block.y))},
            block};
}
emu::Report mandelbrot_emulated(const Launch& l, const Frame& f, int* out, const emu::Options& o) {
    return emu::run(l, o, Mandelbrot{f, out});
}
void mandelbrot_device(const Launch& l, const Frame& f, int* out, gpu::Stream s) { gpu::launch(l, Mandelbrot{f, out}, s); }

Launch conv2d_launch(int width, int height, int k, Dim3 block) {
    const auto ow = static_cast<std::size_t>(width - k + 1), oh = static_cast<std::size_t>(height - k + 1);
    return {Dim3{static_cast<unsigned>(ceil_div(ow, block.x)), static_cast<unsigned>(ceil_div(oh, block.y))}, block};
}
emu::Report conv2d_emulated(const Launch& l, const float* img, int width, int height, const float* w, int k,
                            float* out, const emu::Options& o) {
    return emu::run(l, o, Conv2d{img, width, height, w, k, out});
}
void conv2d_device(const Launch& l, const float* img, int width, int height, const float* w, int k, float* out,
                   gpu::Stream s) {
    gpu::launch(l, Conv2d{img, width, height, w, k, out}, s);
}

emu::Report nbody_global_emulated(const Launch& l, const Body* b, std::size_t n, Vec3* acc, const emu::Options& o) {
    return emu::run(l, o, NbodyGlobal{b, n, acc});
}
void nbody_global_device(const Launch& l, const Body* b, std::size_t n, Vec3* acc, gpu::Stream s) {
    gpu::launch(l, NbodyGlobal{b, n, acc}, s);
}

}  // namespace ch08::kernels
