// ch08_bench: GPUs against all CPU cores. Families (variant names say where the kernel ran):
//   vector_add/{cpu_all_cores,offload,cuda_kernel,cuda_with_transfers,cuda_pinned_transfers}/n:N
//   copy_compute/{cuda_one_stream,cuda_streams}/n:N         copies and a kernel, serial or overlapped on 4 streams
//   memory/cuda_copy/n:N                                    device-to-device copy: the GPU's memory bandwidth
//   reduction/{cpu_all_cores,offload,cuda_shuffle}/n:N      the sum of n floats (exercise 08.2's kernel, twice)
//   pi/{cpu_all_cores,cuda_streams}/points:N                Monte Carlo pi (exercise 08.4's streams)
//   mandelbrot/{cpu_all_cores,offload,cuda}                 chapter 05's lopsided frame, 1280 x 640, 1000 iterations
//   conv2d/{cpu_all_cores,offload,cuda}/side:N              the seed's 3x3 "valid" convolution
//   nbody/{cpu_all_cores,cuda_global,cuda_tiled}/n:N        softened gravity, all pairs (exercise 08.3: tiled)
// CPU and offload rows use wall time (UseRealTime); CUDA rows use the GPU's own clock, CUDA events around
// the timed work, reported as manual time (UseManualTime + SetIterationTime). The offload rows' label says
// where the loop ran. Without a GPU the CUDA rows are not registered: one row, gpu/cuda, says why.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "ch08/block_reduce.hpp"
#include "ch08/device.hpp"
#include "ch08/nbody_tile.hpp"
#include "ch08/pi_streams.hpp"
#include "cpu.hpp"
#include "gpu_kernels.hpp"
#include "loops_offload.hpp"
#include "wb/bench.hpp"

using namespace ch08;

namespace {

constexpr std::int64_t kN = 1 << 24;  // 64 MiB per float array
std::size_t size_of(const benchmark::State& s) {
    const auto n = static_cast<std::size_t>(s.range(0));
    return wb::bench::smoke() ? std::min<std::size_t>(n, 1 << 14) : n;
}

void label_offload(benchmark::State& s, const offload::Where& w) {
    s.SetLabel(std::string("ran on the ") + w.place() + " (" + std::to_string(w.devices) + " devices)");
}

// ---- vector add ----------------------------------------------------------------------------------------
void va_cpu(benchmark::State& s) {
    const std::size_t n = size_of(s);
    std::vector<float> a(n, 1.0f), b(n, 2.0f), c(n);
    for (auto _ : s) {
        cpu::vector_add(a, b, c);
        benchmark::DoNotOptimize(c.data());
    }
    wb::bench::report_bytes(s, 12.0 * n, 12.0 * n);
}
void va_offload(benchmark::State& s) {
    const std::size_t n = size_of(s);
    std::vector<float> a(n, 1.0f), b(n, 2.0f), c(n);
    offload::Where w;
    for (auto _ : s) {
        w = offload::vector_add(a, b, c);
        benchmark::DoNotOptimize(c.data());
    }
    label_offload(s, w);
    wb::bench::report_bytes(s, 12.0 * n, 12.0 * n);
}
// What the copies cost: kernel only, copies from pageable vectors, copies from pinned buffers.
void va_cuda(benchmark::State& s, int how) {
    const std::size_t n = size_of(s);
    std::vector<float> a(n, 1.0f), b(n, 2.0f), c(n);
    gpu::PinnedBuffer<float> pa(n), pb(n), pc(n);
    gpu::Buffer<float> da(n), db(n), dc(n);
    da.upload(a);
    db.upload(b);
    const Launch l = kernels::one_per_element(n);
    gpu::EventTimer t;
    for (auto _ : s) {
        t.start();
        if (how == 1) {
            da.upload(a);
            db.upload(b);
        } else if (how == 2) {
            da.upload(pa.span());
            db.upload(pb.span());
        }
        kernels::vector_add_device(l, da.data(), db.data(), dc.data(), n);
        if (how == 1) dc.download(c);
        if (how == 2) dc.download(pc.span());
        t.stop();
        s.SetIterationTime(t.seconds());
    }
    wb::bench::report_bytes(s, 12.0 * n, 12.0 * n);
}

// ---- copies and compute on streams -------------------------------------------------------------------
void copy_compute(benchmark::State& s, int streams) {
    const std::size_t n = size_of(s), chunks = 8, per = n / chunks;
    gpu::PinnedBuffer<float> in(n), out(n);
    gpu::Buffer<float> din(n), dout(n);
    std::vector<std::unique_ptr<gpu::OwnStream>> st;
    for (int i = 0; i < streams; ++i) st.push_back(std::make_unique<gpu::OwnStream>());
    for (auto _ : s) {
        // Host wall time around the whole pipeline: events on one stream would not see the others.
        gpu::synchronize();
        const auto w0 = std::chrono::steady_clock::now();
        for (std::size_t c = 0; c < chunks; ++c) {
            const gpu::Stream q = st[c % st.size()]->get();
            gpu::copy_to_device(din.data() + c * per, in.data() + c * per, per * sizeof(float), q);
            kernels::scale_device(kernels::one_per_element(per), din.data() + c * per, dout.data() + c * per, per, 200, q);
            gpu::copy_to_host(out.data() + c * per, dout.data() + c * per, per * sizeof(float), q);
        }
        for (auto& q : st) q->synchronize();
        s.SetIterationTime(std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count());
    }
    wb::bench::report_bytes(s, 8.0 * n, 8.0 * n);
}

void mem_copy(benchmark::State& s) {
    const std::size_t n = size_of(s);
    gpu::Buffer<float> a(n), b(n);
    gpu::fill_device(a.data(), 0, n * sizeof(float));
    gpu::EventTimer t;
    for (auto _ : s) {
        t.start();
        gpu::copy_on_device(b.data(), a.data(), n * sizeof(float));
        t.stop();
        s.SetIterationTime(t.seconds());
    }
    wb::bench::report_bytes(s, 8.0 * n, 8.0 * n);  // read once, written once
}

// ---- reduction -----------------------------------------------------------------------------------------
void red_cpu(benchmark::State& s) {
    const std::size_t n = size_of(s);
    std::vector<float> x(n, 1.0f);
    for (auto _ : s) benchmark::DoNotOptimize(cpu::sum(x));
    wb::bench::report_bytes(s, 4.0 * n, 4.0 * n);
}
void red_offload(benchmark::State& s) {
    const std::size_t n = size_of(s);
    std::vector<float> x(n, 1.0f);
    double r = 0;
    offload::Where w;
    for (auto _ : s) {
        w = offload::sum(x, r);
        benchmark::DoNotOptimize(r);
    }
    label_offload(s, w);
    wb::bench::report_bytes(s, 4.0 * n, 4.0 * n);
}
void red_cuda(benchmark::State& s) {
    const std::size_t n = size_of(s);
    const unsigned blocks = static_cast<unsigned>(4 * std::max(1, gpu::device().multiprocessors));
    std::vector<float> x(n, 1.0f);
    gpu::Buffer<float> dx{std::span<const float>(x)}, dp(blocks), dr(1);
    gpu::EventTimer t;
    for (auto _ : s) {
        t.start();
        block_sums_device(block_sums_launch(blocks, 256), dx.data(), n, dp.data());
        block_sums_device(block_sums_launch(1, 1024), dp.data(), blocks, dr.data());
        t.stop();
        s.SetIterationTime(t.seconds());
    }
    wb::bench::report_bytes(s, 4.0 * n, 4.0 * n);
}

// ---- Monte Carlo pi ------------------------------------------------------------------------------------
constexpr std::uint32_t kSamples = 256;
void pi_cpu(benchmark::State& s) {
    const std::uint64_t threads = wb::bench::smoke() ? 256 : static_cast<std::uint64_t>(s.range(0)) / kSamples;
    for (auto _ : s) benchmark::DoNotOptimize(cpu::pi_hits(1, threads, kSamples));
    s.SetItemsProcessed(s.iterations() * static_cast<std::int64_t>(threads * kSamples));
}
void pi_cuda(benchmark::State& s) {
    const std::uint64_t threads = static_cast<std::uint64_t>(s.range(0)) / kSamples;
    gpu::Buffer<std::uint32_t> h(threads);
    const Launch l{{static_cast<unsigned>(threads / 256)}, {256}};
    gpu::EventTimer t;
    for (auto _ : s) {
        t.start();
        pi_hits_device(l, 1, kSamples, h.data());
        t.stop();
        s.SetIterationTime(t.seconds());
    }
    s.SetItemsProcessed(s.iterations() * static_cast<std::int64_t>(threads * kSamples));
}

// ---- Mandelbrot, convolution ---------------------------------------------------------------------------
Frame bench_frame() { return wb::bench::smoke() ? lopsided_frame(64, 32, 100) : lopsided_frame(1280, 640, 1000); }
void mb_cpu(benchmark::State& s) {
    const Frame f = bench_frame();
    std::vector<int> img(static_cast<std::size_t>(f.width) * f.height);
    for (auto _ : s) cpu::mandelbrot(f, img);
    s.SetItemsProcessed(s.iterations() * static_cast<std::int64_t>(img.size()));
}
void mb_offload(benchmark::State& s) {
    const Frame f = bench_frame();
    std::vector<int> img(static_cast<std::size_t>(f.width) * f.height);
    offload::Where w;
    for (auto _ : s) w = offload::mandelbrot(f, img);
    label_offload(s, w);
    s.SetItemsProcessed(s.iterations() * static_cast<std::int64_t>(img.size()));
}
void mb_cuda(benchmark::State& s) {
    const Frame f = bench_frame();
    gpu::Buffer<int> img(static_cast<std::size_t>(f.width) * f.height);
    gpu::EventTimer t;
    for (auto _ : s) {
        t.start();
        kernels::mandelbrot_device(kernels::mandelbrot_launch(f), f, img.data());
        t.stop();
        s.SetIterationTime(t.seconds());
    }
    s.SetItemsProcessed(s.iterations() * static_cast<std::int64_t>(img.size()));
}

int conv_side(const benchmark::State& s) { return wb::bench::smoke() ? 64 : static_cast<int>(s.range(0)); }
void conv_report(benchmark::State& s, int side) {
    const double outs = static_cast<double>(side - 2) * (side - 2);
    s.counters["flops"] = benchmark::Counter(18.0 * outs, benchmark::Counter::kIsIterationInvariantRate);
    wb::bench::report_bytes(s, 8.0 * outs, 8.0 * outs);
}
void cv_cpu(benchmark::State& s) {
    const int side = conv_side(s);
    std::vector<float> im(static_cast<std::size_t>(side) * side, 0.5f), w(9, 0.1f), out(static_cast<std::size_t>(side - 2) * (side - 2));
    for (auto _ : s) cpu::conv2d(im, side, side, w, 3, out);
    conv_report(s, side);
}
void cv_offload(benchmark::State& s) {
    const int side = conv_side(s);
    std::vector<float> im(static_cast<std::size_t>(side) * side, 0.5f), w(9, 0.1f), out(static_cast<std::size_t>(side - 2) * (side - 2));
    offload::Where where;
    for (auto _ : s) where = offload::conv2d(im, side, side, w, 3, out);
    label_offload(s, where);
    conv_report(s, side);
}
void cv_cuda(benchmark::State& s) {
    const int side = conv_side(s);
    std::vector<float> im(static_cast<std::size_t>(side) * side, 0.5f), w(9, 0.1f);
    gpu::Buffer<float> di{std::span<const float>(im)}, dw{std::span<const float>(w)}, dout(static_cast<std::size_t>(side - 2) * (side - 2));
    gpu::EventTimer t;
    for (auto _ : s) {
        t.start();
        kernels::conv2d_device(kernels::conv2d_launch(side, side, 3), di.data(), side, side, dw.data(), 3, dout.data());
        t.stop();
        s.SetIterationTime(t.seconds());
    }
    conv_report(s, side);
}

// ---- N-body --------------------------------------------------------------------------------------------
std::size_t bodies_of(const benchmark::State& s) { return wb::bench::smoke() ? 256 : static_cast<std::size_t>(s.range(0)); }
void nb_report(benchmark::State& s, std::size_t n) {
    s.counters["flops"] = benchmark::Counter(kFlopsPerPull * static_cast<double>(n) * static_cast<double>(n),
                                             benchmark::Counter::kIsIterationInvariantRate);
}
void nb_cpu(benchmark::State& s) {
    const std::size_t n = bodies_of(s);
    const auto b = make_bodies(n, 1);
    std::vector<Vec3> a;
    for (auto _ : s) cpu::nbody(b, a);
    nb_report(s, n);
}
void nb_cuda(benchmark::State& s, bool tiled) {
    const std::size_t n = bodies_of(s);
    const auto b = make_bodies(n, 1);
    gpu::Buffer<Body> db{std::span<const Body>(b)};
    gpu::Buffer<Vec3> da(n);
    gpu::EventTimer t;
    for (auto _ : s) {
        t.start();
        if (tiled)
            nbody_tile_device(nbody_tile_launch(n, 256), db.data(), n, da.data());
        else
            kernels::nbody_global_device(kernels::one_per_element(n, 256), db.data(), n, da.data());
        t.stop();
        s.SetIterationTime(t.seconds());
    }
    nb_report(s, n);
}

void no_gpu(benchmark::State& s) {
    for (auto _ : s) {
    }
    s.SkipWithError(("no GPU, CUDA rows not run: " + gpu::device().why_not).c_str());
}

using B = benchmark::internal::Benchmark;
B* cpu_row(B* b) { return b->UseRealTime()->Unit(benchmark::kMillisecond); }
B* gpu_row(B* b) { return b->UseManualTime()->Unit(benchmark::kMillisecond); }

// Registered at start-up; the CUDA rows only where there is a GPU.
const bool kRegistered = [] {
    const gpu::DeviceInfo& d = gpu::device();
    benchmark::AddCustomContext("wb_gpu", d.available ? d.name + " (" + d.runtime + ")" : "none: " + d.why_not);
    benchmark::AddCustomContext("wb_offload", offload::compiled_for_gpu() ? "nvptx" : "none: " + offload::why_not_compiled());
    cpu_row(benchmark::RegisterBenchmark("vector_add/cpu_all_cores", va_cpu)->ArgNames({"n"})->Arg(kN));
    cpu_row(benchmark::RegisterBenchmark("vector_add/offload", va_offload)->ArgNames({"n"})->Arg(kN));
    cpu_row(benchmark::RegisterBenchmark("reduction/cpu_all_cores", red_cpu)->ArgNames({"n"})->Arg(kN));
    cpu_row(benchmark::RegisterBenchmark("reduction/offload", red_offload)->ArgNames({"n"})->Arg(kN));
    cpu_row(benchmark::RegisterBenchmark("pi/cpu_all_cores", pi_cpu)->ArgNames({"points"})->Arg(1 << 22));
    cpu_row(benchmark::RegisterBenchmark("mandelbrot/cpu_all_cores", mb_cpu));
    cpu_row(benchmark::RegisterBenchmark("mandelbrot/offload", mb_offload));
    cpu_row(benchmark::RegisterBenchmark("conv2d/cpu_all_cores", cv_cpu)->ArgNames({"side"})->Arg(2048));
    cpu_row(benchmark::RegisterBenchmark("conv2d/offload", cv_offload)->ArgNames({"side"})->Arg(2048));
    cpu_row(benchmark::RegisterBenchmark("nbody/cpu_all_cores", nb_cpu)->ArgNames({"n"})->Arg(4096));
    if (!d.available) {
        benchmark::RegisterBenchmark("gpu/cuda", no_gpu)->Iterations(1);
        return true;
    }
    gpu_row(benchmark::RegisterBenchmark("vector_add/cuda_kernel", [](benchmark::State& s) { va_cuda(s, 0); })->ArgNames({"n"})->Arg(kN));
    gpu_row(benchmark::RegisterBenchmark("vector_add/cuda_with_transfers", [](benchmark::State& s) { va_cuda(s, 1); })->ArgNames({"n"})->Arg(kN));
    gpu_row(benchmark::RegisterBenchmark("vector_add/cuda_pinned_transfers", [](benchmark::State& s) { va_cuda(s, 2); })->ArgNames({"n"})->Arg(kN));
    gpu_row(benchmark::RegisterBenchmark("copy_compute/cuda_one_stream", [](benchmark::State& s) { copy_compute(s, 1); })->ArgNames({"n"})->Arg(kN));
    gpu_row(benchmark::RegisterBenchmark("copy_compute/cuda_streams", [](benchmark::State& s) { copy_compute(s, 4); })->ArgNames({"n"})->Arg(kN));
    gpu_row(benchmark::RegisterBenchmark("memory/cuda_copy", mem_copy)->ArgNames({"n"})->Arg(kN)->Arg(1 << 28));
    gpu_row(benchmark::RegisterBenchmark("reduction/cuda_shuffle", red_cuda)->ArgNames({"n"})->Arg(kN)->Arg(1 << 28));
    gpu_row(benchmark::RegisterBenchmark("pi/cuda_streams", pi_cuda)->ArgNames({"points"})->Arg(1 << 22)->Arg(1 << 28));
    gpu_row(benchmark::RegisterBenchmark("mandelbrot/cuda", mb_cuda));
    gpu_row(benchmark::RegisterBenchmark("conv2d/cuda", cv_cuda)->ArgNames({"side"})->Arg(2048));
    gpu_row(benchmark::RegisterBenchmark("nbody/cuda_global", [](benchmark::State& s) { nb_cuda(s, false); })->ArgNames({"n"})->Arg(4096)->Arg(65536));
    gpu_row(benchmark::RegisterBenchmark("nbody/cuda_tiled", [](benchmark::State& s) { nb_cuda(s, true); })->ArgNames({"n"})->Arg(4096)->Arg(65536));
    return true;
}();

}  // namespace
