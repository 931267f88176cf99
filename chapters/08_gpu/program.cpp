// ch08_program: GPUs with CUDA and OpenMP offload. Lists the GPU (or says why there is none), shows how a
// grid's threads share an array, predicts and then measures (the launch model, the cost of transfers,
// the Monte Carlo error), and times each kernel on all CPU cores, through OpenMP offload (saying where
// it ran) and with CUDA where there is a GPU.
#include <omp.h>

#include <bit>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <numbers>
#include <string>
#include <vector>

#include "ch08/block_reduce.hpp"
#include "ch08/device.hpp"
#include "ch08/emu.hpp"
#include "ch08/grid_stride.hpp"
#include "ch08/nbody_tile.hpp"
#include "ch08/pi_streams.hpp"
#include "cpu.hpp"
#include "gpu_kernels.hpp"
#include "loops_offload.hpp"
#include "wb/cli.hpp"
#include "wb/machine.hpp"
#include "wb/stats.hpp"

using namespace ch08;

namespace {

struct Options {
    bool quick = false;
    int repeats = 5;
};

// Milliseconds of one GPU run timed by CUDA events (median of `repeats`).
double gpu_ms(const std::function<void()>& work, int repeats) {
    gpu::EventTimer timer;
    work();  // warm-up: first launch loads the module
    gpu::synchronize();
    std::vector<double> t;
    for (int r = 0; r < repeats; ++r) {
        timer.start();
        work();
        timer.stop();
        t.push_back(1e3 * timer.seconds());
    }
    return wb::median(t);
}

void device_section() {
    std::printf("\n== 1. The GPU ==\n\n");
    const gpu::DeviceInfo& d = gpu::device();
    if (d.available) {
        std::printf("   %s: compute capability %d.%d, %d multiprocessors, %.1f GiB, %d threads per block at most,\n"
                    "   %zu KiB shared memory per block; %s\n",
                    d.name.c_str(), d.compute_major, d.compute_minor, d.multiprocessors,
                    static_cast<double>(d.global_bytes) / (1 << 30), d.max_threads_per_block,
                    d.shared_bytes_per_block / 1024, d.runtime.c_str());
    } else {
        std::printf("   no GPU: %s\n   The CUDA rows below are skipped; the kernels still run on the launch emulator\n"
                    "   (tests) and the offload loops on the host.\n",
                    d.why_not.c_str());
    }
    std::printf("   CUDA in this build: %s (architectures %s)\n", gpu::built_with_cuda() ? "yes" : "no",
                gpu::built_with_cuda() ? WB_CUDA_ARCHS : "none");
    std::printf("   OpenMP offload: %s; omp_get_num_devices() = %d\n",
                offload::compiled_for_gpu() ? "compiled for nvptx" : ("not compiled: " + offload::why_not_compiled()).c_str(),
                omp_get_num_devices());
}

struct Owner {  // records which (block, thread) of the grid wrote each element
    int* who;
    std::size_t n;
    template <class T>
    void operator()(const T& t) const {
        const std::size_t first = std::size_t{t.blockIdx.x} * t.blockDim.x + t.threadIdx.x;
        for (std::size_t i = first; i < n; i += std::size_t{t.gridDim.x} * t.blockDim.x)
            who[i] = static_cast<int>(t.blockIdx.x * 10 + t.threadIdx.x);
    }
};

void model_section() {
    std::printf("\n== 2. The model: which thread takes which element (grid-stride, on the emulator) ==\n\n");
    const std::size_t n = 20;
    std::vector<int> who(n, -1);
    emu::run({{2}, {4}}, {}, Owner{who.data(), n});
    std::printf("   2 blocks x 4 threads over 20 elements; element i is taken by block.thread:\n   ");
    for (std::size_t i = 0; i < n; ++i) std::printf(" %zu:%d.%d", i, who[i] / 10, who[i] % 10);
    std::printf("\n   (thread g of the grid takes g, g + 8, g + 16: the grid strides by its 8 threads)\n");

    // Prediction 1: the launch of the seed's vector add for n = 1e6 in blocks of 256.
    const std::size_t big = 1000000;
    const unsigned block = 256;
    const std::size_t blocks = ceil_div(big, block);
    std::printf("\n   Predict: vector add of n = %zu, blocks of %u: ceil(n / %u) = %zu blocks, %zu warps, %zu idle threads\n",
                big, block, block, blocks, blocks * block / kWarpSize, blocks * block - big);
    std::vector<float> a(big, 1.0f), b(big, 2.0f), c(big);
    const emu::Report r = kernels::vector_add_emulated(kernels::one_per_element(big, block), a.data(), b.data(), c.data(), big);
    std::printf("   Measure (emulator): %llu threads ran, %llu of them past n\n",
                static_cast<unsigned long long>(r.threads), static_cast<unsigned long long>(r.threads - big));

    // Prediction 2: barriers and shuffles of the block reduction.
    for (unsigned bs : {64u, 256u}) {
        unsigned steps = 0;
        for (unsigned h = bs / 2; h >= kWarpSize; h /= 2) ++steps;
        std::vector<float> x(4096, 1.0f), part(2);
        const emu::Report rr = block_sums_emulated(block_sums_launch(2, bs), x.data(), x.size(), part.data(),
                                                   {emu::Order::ascending, 1, true});
        std::printf("   Predict: block of %u: 1 + log2(%u / 32) = %u barriers and 5 shuffles per block; measure: %llu and %llu\n",
                    bs, bs, 1 + steps, static_cast<unsigned long long>(rr.block_barriers / 2),
                    static_cast<unsigned long long>(rr.warp_shuffles / 2));
    }
}

void pi_section(const Options& o) {
    std::printf("\n== 3. Monte Carlo pi, one stream per thread ==\n\n");
    const std::uint64_t threads = o.quick ? 4096 : 65536;
    const std::uint32_t samples = o.quick ? 64 : 1024;
    const double n = static_cast<double>(threads) * samples, p = std::numbers::pi / 4;
    std::printf("   Predict: %.3g points, standard error of the estimate 4 sqrt(p (1 - p) / N) = %.2e\n", n,
                4 * std::sqrt(p * (1 - p) / n));
    const auto t0 = std::chrono::steady_clock::now();
    const std::uint64_t hits = cpu::pi_hits(2024, threads, samples);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    const double est = 4.0 * static_cast<double>(hits) / n;
    std::printf("   Measure (all CPU cores, %.1f ms): pi ~ %.6f, off by %.2e\n", ms, est, std::abs(est - std::numbers::pi));
    if (gpu::device().available) {
        gpu::Buffer<std::uint32_t> dh(threads);
        const Launch l{{static_cast<unsigned>(threads / 256)}, {256}};
        const double gms = gpu_ms([&] { pi_hits_device(l, 2024, samples, dh.data()); }, o.repeats);
        std::vector<std::uint32_t> h(threads);
        dh.download(h);
        std::uint64_t total = 0;
        for (auto v : h) total += v;
        std::printf("   GPU (%.2f ms): %s count as the CPU, point for point\n", gms, total == hits ? "the same" : "A DIFFERENT");
    }
}

void row(const char* what, double cpu_ms, double off_ms, const char* off_where, double gpu_kernel_ms, double gpu_all_ms) {
    std::printf("   %-28s %10.3f  %10.3f %-5s", what, cpu_ms, off_ms, off_where);
    if (gpu_kernel_ms >= 0)
        std::printf("  %10.3f  %12.3f\n", gpu_kernel_ms, gpu_all_ms);
    else
        std::printf("  %10s  %12s\n", "-", "-");
}

void kernels_section(const Options& o) {
    const bool gpu_ok = gpu::device().available;
    std::printf("\n== 4. The kernels: all CPU cores (%u threads), OpenMP offload (where it ran), CUDA ==\n\n",
                wb::logical_cores());
    std::printf("   %-28s %10s  %16s  %10s  %12s\n", "kernel", "CPU ms", "offload ms", "CUDA ms", "CUDA+copy ms");
    const int rep = o.repeats;

    // Vector add, and the transfer model.
    const std::size_t n = o.quick ? (1 << 18) : (1 << 24);
    std::vector<float> a(n, 1.0f), b(n, 2.0f), c(n);
    const double cpu_va = wb::median_ms([&] { cpu::vector_add(a, b, c); }, rep);
    offload::Where w;
    const double off_va = wb::median_ms([&] { w = offload::vector_add(a, b, c); }, rep);
    double k_va = -1, all_va = -1, h2d_gbs = 0;
    if (gpu_ok) {
        gpu::Buffer<float> da(n), db(n), dc(n);
        da.upload(a);
        db.upload(b);
        const Launch l = kernels::one_per_element(n);
        k_va = gpu_ms([&] { kernels::vector_add_device(l, da.data(), db.data(), dc.data(), n); }, rep);
        all_va = wb::median_ms([&] {
            da.upload(a);
            db.upload(b);
            kernels::vector_add_device(l, da.data(), db.data(), dc.data(), n);
            dc.download(c);
        }, rep);
        const double up = wb::median_ms([&] { da.upload(a); }, rep);
        h2d_gbs = 4.0 * static_cast<double>(n) / up / 1e6;
    }
    row(("vector add, n = 2^" + std::to_string(std::bit_width(n) - 1)).c_str(), cpu_va, off_va, w.place(), k_va, all_va);
    // The CPU's bandwidth from its own vector add (12 bytes per element).
    const double cpu_gbs = 12.0 * static_cast<double>(n) / cpu_va / 1e6;
    if (gpu_ok)
        std::printf("   Predict: with copies, 12 n bytes cross the bus at the %.1f GB/s measured for one upload: %.2f ms\n"
                    "   against the CPU's %.2f ms at its %.1f GB/s; measured %.2f ms (copies from pageable memory)\n",
                    h2d_gbs, 12.0 * static_cast<double>(n) / h2d_gbs / 1e6, cpu_va, cpu_gbs, all_va);
    else {
        const double bus_ms = 12.0 * static_cast<double>(n) / 25e9 * 1e3;
        std::printf("   Predict, for a GPU behind PCIe 4.0 x16 (about 25 GB/s): 12 n bytes take %.2f ms to cross the bus,\n"
                    "   against %.2f ms measured here on all cores (%.1f GB/s): the copies alone take %s the CPU's loop.\n",
                    bus_ms, cpu_va, cpu_gbs, bus_ms > cpu_va ? "longer than" : "less time than");
    }

    // Reduction.
    double s = 0;
    const double cpu_sum = wb::median_ms([&] { s = cpu::sum(a); }, rep);
    const double off_sum = wb::median_ms([&] { w = offload::sum(a, s); }, rep);
    double k_sum = -1, all_sum = -1;
    if (gpu_ok) {
        gpu::Buffer<float> dx(n), dp(1024), dr(1);
        dx.upload(a);
        const auto go = [&] {
            block_sums_device(block_sums_launch(1024, 256), dx.data(), n, dp.data());
            block_sums_device(block_sums_launch(1, 1024), dp.data(), 1024, dr.data());
        };
        k_sum = gpu_ms(go, rep);
        std::vector<float> r(1);
        all_sum = wb::median_ms([&] { dx.upload(a); go(); dr.download(r); }, rep);
    }
    row("sum, the same n", cpu_sum, off_sum, w.place(), k_sum, all_sum);

    // Mandelbrot.
    const Frame f = o.quick ? lopsided_frame(320, 160, 200) : lopsided_frame(1280, 640, 1000);
    std::vector<int> img(static_cast<std::size_t>(f.width) * static_cast<std::size_t>(f.height));
    const double cpu_m = wb::median_ms([&] { cpu::mandelbrot(f, img); }, rep);
    const double off_m = wb::median_ms([&] { w = offload::mandelbrot(f, img); }, rep);
    double k_m = -1, all_m = -1;
    if (gpu_ok) {
        gpu::Buffer<int> dimg(img.size());
        const Launch l = kernels::mandelbrot_launch(f);
        k_m = gpu_ms([&] { kernels::mandelbrot_device(l, f, dimg.data()); }, rep);
        all_m = wb::median_ms([&] { kernels::mandelbrot_device(l, f, dimg.data()); dimg.download(img); }, rep);
    }
    row("Mandelbrot (lopsided frame)", cpu_m, off_m, w.place(), k_m, all_m);

    // Convolution.
    const int cw = o.quick ? 256 : 2048, ch = cw, k = 3;
    std::vector<float> im(static_cast<std::size_t>(cw) * ch, 0.5f), wts(9, 1.0f / 9), out(static_cast<std::size_t>(cw - 2) * (ch - 2));
    const double cpu_c = wb::median_ms([&] { cpu::conv2d(im, cw, ch, wts, k, out); }, rep);
    const double off_c = wb::median_ms([&] { w = offload::conv2d(im, cw, ch, wts, k, out); }, rep);
    double k_c = -1, all_c = -1;
    if (gpu_ok) {
        gpu::Buffer<float> di{std::span<const float>(im)}, dw{std::span<const float>(wts)}, dout(out.size());
        const Launch l = kernels::conv2d_launch(cw, ch, k);
        k_c = gpu_ms([&] { kernels::conv2d_device(l, di.data(), cw, ch, dw.data(), k, dout.data()); }, rep);
        all_c = wb::median_ms([&] {
            di.upload(im);
            kernels::conv2d_device(l, di.data(), cw, ch, dw.data(), k, dout.data());
            dout.download(out);
        }, rep);
    }
    row("2D convolution 3x3", cpu_c, off_c, w.place(), k_c, all_c);

    // N-body (no offload version: the CPU column and the two CUDA kernels).
    const std::size_t nb = o.quick ? 1024 : 16384;
    const auto bodies = make_bodies(nb, 1);
    std::vector<Vec3> acc;
    const double cpu_n = wb::median_ms([&] { cpu::nbody(bodies, acc); }, o.quick ? 1 : 3);
    std::printf("   %-28s %10.3f  %16s", ("N-body, n = " + std::to_string(nb)).c_str(), cpu_n, "-");
    if (gpu_ok) {
        gpu::Buffer<Body> db{std::span<const Body>(bodies)};
        gpu::Buffer<Vec3> da(nb);
        const double g = gpu_ms([&] { kernels::nbody_global_device(kernels::one_per_element(nb, 256), db.data(), nb, da.data()); }, rep);
        const double tl = gpu_ms([&] { nbody_tile_device(nbody_tile_launch(nb, 256), db.data(), nb, da.data()); }, rep);
        std::printf("  %10.3f  (global memory; tiled: %.3f ms)\n", g, tl);
    } else {
        std::printf("  %10s  %12s\n", "-", "-");
    }
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    wb::Cli cli("ch08_program",
                "GPUs: the GPU or why there is none, the launch model on the emulator, predictions beside\n"
                "measurements, and each kernel on all CPU cores, through OpenMP offload and with CUDA.");
    cli.flag("--quick", o.quick, "small sizes, for a smoke run (a few seconds)");
    cli.option("--repeats", o.repeats, "timed runs per measurement (the median is shown)", 1, 100);
    cli.parse(argc, argv);
    if (o.quick) o.repeats = 1;
    std::printf("%s", wb::machine_banner().c_str());
    device_section();
    model_section();
    pi_section(o);
    kernels_section(o);
    return 0;
}
