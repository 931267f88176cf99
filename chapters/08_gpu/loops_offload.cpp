// loops_offload.cpp: the OpenMP target loops of loops_offload.hpp. The per-element functions come from
// ch08/kernels.hpp; functions defined in this translation unit and called in a target region are compiled
// for the device too (OpenMP 5.0's implicit declare target).
#include "loops_offload.hpp"

#include <omp.h>

#include <stdexcept>

#include "cpu.hpp"
#include "wb/sanitizers.hpp"

namespace ch08::offload {

bool compiled_for_gpu() { return WB_HAVE_OFFLOAD != 0; }
std::string why_not_compiled() { return WB_OFFLOAD_WHY_NOT; }

namespace {
// ThreadSanitizer's OpenMP tool (Archer, loaded with clang's libomp) crashes in a target region's host
// fallback (__kmpc_fork_teams): under TSan the loops run as the all-core CPU loops, reported as on the host.
constexpr bool kPlainLoops = wb::under_tsan;
// Used only in the TSan build (the branches above are discarded otherwise).
[[maybe_unused]] Where ran_on_host() { return Where{false, omp_get_num_devices()}; }
}  // namespace

//! [offload_vector_add]
Where vector_add(std::span<const float> a, std::span<const float> b, std::span<float> c) {
    if constexpr (kPlainLoops) return cpu::vector_add(a, b, c), ran_on_host();
    const float* pa = a.data();
    const float* pb = b.data();
    float* pc = c.data();
    const std::size_t n = c.size();
    Where w;
    w.devices = omp_get_num_devices();
    int on_host = 1;
    // Copies a and b to the device, runs the loop on its teams of threads, copies c back; on_host comes
    // back from the iteration 0 thread, wherever that ran.
#pragma omp target teams distribute parallel for map(to : pa[0:n], pb[0:n]) map(from : pc[0:n]) map(tofrom : on_host)
    for (std::size_t i = 0; i < n; ++i) {
        if (i == 0) on_host = omp_is_initial_device();
        vector_add_element(pa, pb, pc, i);
    }
    w.on_device = on_host == 0;
    return w;
}
//! [offload_vector_add]

Where sum(std::span<const float> x, double& result) {
    if constexpr (kPlainLoops) return result = cpu::sum(x), ran_on_host();
    const float* px = x.data();
    const std::size_t n = x.size();
    Where w;
    w.devices = omp_get_num_devices();
    int on_host = 1;
    double s = 0.0;
#pragma omp target teams distribute parallel for map(to : px[0:n]) map(tofrom : on_host) reduction(+ : s)
    for (std::size_t i = 0; i < n; ++i) {
        if (i == 0) on_host = omp_is_initial_device();
        s += px[i];
    }
    result = s;
    w.on_device = on_host == 0;
    return w;
}

Where mandelbrot(const Frame& f, std::span<int> out) {
    const std::size_t pixels = static_cast<std::size_t>(f.width) * static_cast<std::size_t>(f.height);
    if (out.size() != pixels) throw std::invalid_argument("offload::mandelbrot: out has the wrong size");
    if constexpr (kPlainLoops) return cpu::mandelbrot(f, out), ran_on_host();
    int* po = out.data();
    const Frame fr = f;
    Where w;
    w.devices = omp_get_num_devices();
    int on_host = 1;
#pragma omp target teams distribute parallel for map(from : po[0:pixels]) map(tofrom : on_host) schedule(static, 1)
    for (std::size_t p = 0; p < pixels; ++p) {
        if (p == 0) on_host = omp_is_initial_device();
        po[p] = mandelbrot_pixel(fr, static_cast<int>(p % static_cast<std::size_t>(fr.width)),
                                 static_cast<int>(p / static_cast<std::size_t>(fr.width)));
    }
    w.on_device = on_host == 0;
    return w;
}

Where conv2d(std::span<const float> img, int width, int height, std::span<const float> wts, int k, std::span<float> out) {
    const int ow = width - k + 1, oh = height - k + 1;
    const std::size_t outs = static_cast<std::size_t>(ow) * static_cast<std::size_t>(oh);
    if (out.size() != outs) throw std::invalid_argument("offload::conv2d: out has the wrong size");
    if constexpr (kPlainLoops) return cpu::conv2d(img, width, height, wts, k, out), ran_on_host();
    const float* pi = img.data();
    const float* pw = wts.data();
    float* po = out.data();
    const std::size_t ni = img.size(), nw = wts.size();
    Where w;
    w.devices = omp_get_num_devices();
    int on_host = 1;
#pragma omp target teams distribute parallel for map(to : pi[0:ni], pw[0:nw]) map(from : po[0:outs]) map(tofrom : on_host)
    for (std::size_t p = 0; p < outs; ++p) {
        if (p == 0) on_host = omp_is_initial_device();
        po[p] = conv2d_pixel(pi, width, pw, k, static_cast<int>(p / static_cast<std::size_t>(ow)),
                             static_cast<int>(p % static_cast<std::size_t>(ow)));
    }
    w.on_device = on_host == 0;
    return w;
}

}  // namespace ch08::offload
