// wb_kernels: the workbook's reference kernels of chapters 02 to 07, callable from Python.
//
// Built by CMake (pybind11_add_module, against Debian's /usr/bin/python3) into build/<preset>/python/.
// Three rules, the subject of chapter 10:
//   * arrays cross without a copy: in, a view of NumPy's buffer (ch10::view_1d, which refuses a wrong
//     dtype, a strided or a read-only array with a Python exception); out, a NumPy array that owns the
//     C++ vector it was computed in (ch10::to_numpy);
//   * the interpreter lock is released around the work, so Python threads calling in run in parallel;
//   * a C++ exception arrives as a Python exception (std::invalid_argument as ValueError).
// The Python runner (python/wbpy) uses these functions to check every Python kernel against the C++
// result and to give it the C++ benchmark's very inputs; chapter 10's benchmark times them from Python
// against the same kernels called from C++.
#include <omp.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "ch02/mandelbrot.hpp"
#include "ch04/pi_streams.hpp"
#include "ch05/kernels.hpp"
#include "ch06/kernels.hpp"
#include "ch06/mandelbrot.hpp"
#include "ch06/moving_mean.hpp"
#include "ch06/nbody.hpp"
#include "ch07/aos_to_soa.hpp"
#include "ch07/blur.hpp"
#include "ch07/matmul.hpp"
#include "blocking/blocking.hpp"
#include "ch10/arrays.hpp"
#include "flags/accuracy.hpp"
#include "memory.hpp"
#include "ways.hpp"
#include "wb/isa.hpp"

namespace py = pybind11;

namespace {

int thread_count(int threads) {
    if (threads < 0) throw std::invalid_argument("threads must be >= 0 (0: every core)");
    return threads == 0 ? omp_get_num_procs() : threads;
}

// ---- chapter 02 -------------------------------------------------------------------------------------
py::array_t<std::uint32_t> ch02_mandelbrot(int width, int height, int max_iter, int threads) {
    if (width <= 0 || height <= 0 || max_iter <= 0)
        throw std::invalid_argument("width, height and max_iter must be positive");
    const int t = thread_count(threads);
    ch02::View v;
    v.width = width;
    v.height = height;
    v.max_iter = max_iter;
    std::vector<std::uint32_t> img(static_cast<std::size_t>(width) * static_cast<std::size_t>(height));
    {
        py::gil_scoped_release release;
#pragma omp parallel for schedule(dynamic, 4) num_threads(t)
        for (int row = 0; row < height; ++row)
            ch02::mandelbrot_row(v, row, img.data() + static_cast<std::size_t>(row) * static_cast<std::size_t>(width));
    }
    return ch10::to_numpy(std::move(img));
}

// ---- chapter 04 -------------------------------------------------------------------------------------
py::array_t<double> splitmix_uniform(std::int64_t n, std::uint64_t seed) {
    if (n < 0) throw std::invalid_argument("n must be >= 0");
    std::vector<double> x(static_cast<std::size_t>(n));
    {
        py::gil_scoped_release release;
        ch04::SplitMix64 rng{seed};
        for (double& v : x) v = rng.uniform();
    }
    return ch10::to_numpy(std::move(x));
}

std::uint64_t pi_hits_serial(std::uint64_t samples, std::uint64_t seed) {
    py::gil_scoped_release release;
    ch04::SplitMix64 rng{seed};
    std::uint64_t hits = 0;
    for (std::uint64_t k = 0; k < samples; ++k) {
        const double x = rng.uniform();
        const double y = rng.uniform();
        hits += (x * x + y * y < 1.0) ? 1 : 0;
    }
    return hits;
}

/// The count that ch04::pi_hits defines: blocks of pi_block_samples, block b drawing from
/// SplitMix64{block_seed(seed, b)}; independent of the thread count.
std::uint64_t pi_hits_blocks(std::uint64_t samples, std::uint64_t seed, int threads) {
    const int t = thread_count(threads);
    py::gil_scoped_release release;
    const auto blocks = static_cast<std::int64_t>((samples + ch04::pi_block_samples - 1) / ch04::pi_block_samples);
    std::uint64_t hits = 0;
#pragma omp parallel for schedule(static, 1) reduction(+ : hits) num_threads(t)
    for (std::int64_t b = 0; b < blocks; ++b) {
        const auto ub = static_cast<std::uint64_t>(b);
        ch04::SplitMix64 rng{ch04::block_seed(seed, ub)};
        const std::uint64_t first = ub * ch04::pi_block_samples;
        const std::uint64_t count = std::min(ch04::pi_block_samples, samples - first);
        for (std::uint64_t k = 0; k < count; ++k) {
            const double x = rng.uniform();
            const double y = rng.uniform();
            hits += (x * x + y * y < 1.0) ? 1 : 0;
        }
    }
    return hits;
}

// [sum]
/// The sum of a float64 array: one accumulator in index order (threads = 1, as chapter 04's
/// sum/serial), or an OpenMP reduction (threads > 1, as sum/omp_reduction).
double sum(const py::array& x, int threads) {
    const std::span<const double> v = ch10::view_1d<const double>(x, "x");  // checks, no copy
    const int t = thread_count(threads);
    py::gil_scoped_release release;  // from here on no Python object is touched
    const double* p = v.data();
    const auto n = static_cast<std::ptrdiff_t>(v.size());
    double total = 0.0;
    if (t == 1) {
        for (std::ptrdiff_t i = 0; i < n; ++i) total += p[i];
    } else {
#pragma omp parallel for reduction(+ : total) num_threads(t)
        for (std::ptrdiff_t i = 0; i < n; ++i) total += p[i];
    }
    return total;
}
// [sum]

// ---- chapter 05 -------------------------------------------------------------------------------------
py::tuple ch05_fill_inputs(std::int64_t n, std::uint64_t seed) {
    if (n < 0) throw std::invalid_argument("n must be >= 0");
    std::vector<double> x(static_cast<std::size_t>(n)), y(static_cast<std::size_t>(n));
    {
        py::gil_scoped_release release;
        ch05::fill_inputs(x, y, seed);
    }
    return py::make_tuple(ch10::to_numpy(std::move(x)), ch10::to_numpy(std::move(y)));
}

/// out[i] = ch05::kernel(x[i], y[i]): in place in `out`, OpenMP static schedule on `threads` threads.
void ch05_evaluate(const py::array& x, const py::array& y, const py::array& out, int threads) {
    const auto vx = ch10::view_1d<const double>(x, "x");
    const auto vy = ch10::view_1d<const double>(y, "y");
    const auto vo = ch10::view_1d<double>(out, "out", true);
    if (vx.size() != vy.size() || vx.size() != vo.size())
        throw std::invalid_argument("x, y and out differ in length");  // -> ValueError
    const int t = thread_count(threads);
    py::gil_scoped_release release;
    const auto n = static_cast<std::ptrdiff_t>(vx.size());
    if (t == 1) {
        for (std::ptrdiff_t i = 0; i < n; ++i) vo[static_cast<std::size_t>(i)] = ch05::kernel(vx[static_cast<std::size_t>(i)], vy[static_cast<std::size_t>(i)]);
    } else {
#pragma omp parallel for schedule(static) num_threads(t)
        for (std::ptrdiff_t i = 0; i < n; ++i) vo[static_cast<std::size_t>(i)] = ch05::kernel(vx[static_cast<std::size_t>(i)], vy[static_cast<std::size_t>(i)]);
    }
}

/// The chapter 05 Mandelbrot frame (lopsided_frame) under an OpenMP schedule: "static", "dynamic" or
/// "guided", chunk 0 for the schedule's default. Escape times, row-major, as int32.
py::array_t<int> ch05_mandelbrot(int width, int height, int max_iter, int threads, const std::string& schedule,
                                 int chunk) {
    if (width <= 0 || height <= 0 || max_iter <= 0)
        throw std::invalid_argument("width, height and max_iter must be positive");
    omp_sched_t kind;
    if (schedule == "static") kind = omp_sched_static;
    else if (schedule == "dynamic") kind = omp_sched_dynamic;
    else if (schedule == "guided") kind = omp_sched_guided;
    else throw std::invalid_argument("schedule must be 'static', 'dynamic' or 'guided', not '" + schedule + "'");
    const int t = thread_count(threads);
    const ch05::Frame f = ch05::lopsided_frame(width, height, max_iter);
    std::vector<int> img(ch05::pixels(f));
    {
        py::gil_scoped_release release;
        omp_set_schedule(kind, chunk);
        std::span<int> out(img);
#pragma omp parallel for schedule(runtime) num_threads(t)
        for (int row = 0; row < height; ++row) ch05::mandelbrot_row(f, row, out);
    }
    return ch10::to_numpy(std::move(img));
}

// ---- chapter 06 -------------------------------------------------------------------------------------
// The chapter's inputs (ch06::uniform: std::mt19937_64), its reference loops and the exercises' vector
// solutions, compiled as chapter 06 compiles them (the library wb_kernels_simd: x86-64 baseline, the
// vector paths dispatched at run time, wb::widest_isa(), which WB_ISA lowers as for the benchmarks).

py::array_t<double> ch06_uniform(std::int64_t n, double lo, double hi, std::uint64_t seed) {
    if (n < 0) throw std::invalid_argument("n must be >= 0");
    std::vector<double> v;
    {
        py::gil_scoped_release release;
        v = ch06::uniform(static_cast<std::size_t>(n), lo, hi, seed);
    }
    return ch10::to_numpy(std::move(v));
}

/// exp of every element, from a long double exp rounded to double (flags/accuracy.hpp): the correctly
/// rounded value but in rare ties, what the flags/exp benchmarks measure their ULPs against.
py::array_t<double> ch06_exp_reference(const py::array& x) {
    const auto v = ch10::view_1d<const double>(x, "x");
    std::vector<double> out(v.size());
    {
        py::gil_scoped_release release;
        for (std::size_t i = 0; i < v.size(); ++i) out[i] = ch06::flags::exp_reference(v[i]);
    }
    return ch10::to_numpy(std::move(out));
}

/// The sums of the sum/ and sumsq/ benchmarks: "serial" (one chain), "omp_simd" or "intrinsics" (sum
/// only) on the widest vector path.
double ch06_sum(const py::array& x, const std::string& way, bool square) {
    const auto v = ch10::view_1d<const double>(x, "x");
    const wb::Isa isa = wb::widest_isa();
    if (way != "serial" && way != "omp_simd" && (way != "intrinsics" || square))
        throw std::invalid_argument("way must be 'serial', 'omp_simd' or (sum only) 'intrinsics', not '" + way + "'");
    py::gil_scoped_release release;
    if (way == "serial") return square ? ch06::ways::sumsq_serial(v) : ch06::ways::sum_serial(v);
    if (way == "omp_simd") return square ? ch06::ways::sumsq_omp_simd(v, isa) : ch06::ways::sum_omp_simd(v, isa);
    return ch06::ways::sum_intrinsics(v, isa);
}

/// out = the moving mean of x over windows of w, by one of the benchmark's algorithms: "naive",
/// "sliding", "cumsum" or "compensated" (exercise 06.3's solution).
void ch06_moving(const py::array& x, std::int64_t w, const py::array& out, const std::string& algo) {
    const auto vx = ch10::view_1d<const double>(x, "x");
    const auto vo = ch10::view_1d<double>(out, "out", true);
    if (w < 1) throw std::invalid_argument("w must be >= 1");
    void (*fn)(std::span<const double>, std::size_t, std::span<double>) =
        algo == "naive" ? ch06::ways::moving_naive : algo == "sliding" ? ch06::ways::moving_sliding
        : algo == "cumsum" ? ch06::ways::moving_cumsum : algo == "compensated" ? ch06::moving_mean : nullptr;
    if (fn == nullptr)
        throw std::invalid_argument("algo must be 'naive', 'sliding', 'cumsum' or 'compensated', not '" + algo + "'");
    py::gil_scoped_release release;
    fn(vx, static_cast<std::size_t>(w), vo);  // std::invalid_argument on a wrong length -> ValueError
}

/// The chapter's frame (ch06::standard_frame), escape counts row-major as int32: "reference" (escape_time
/// per pixel) or "simd" (exercise 06.4's solution on the widest path: equal to the reference, bit for bit).
py::array_t<int> ch06_mandelbrot(int width, int height, int max_iter, const std::string& way) {
    if (width <= 0 || height <= 0 || max_iter <= 0)
        throw std::invalid_argument("width, height and max_iter must be positive");
    if (way != "reference" && way != "simd") throw std::invalid_argument("way must be 'reference' or 'simd'");
    const ch06::Frame f = ch06::standard_frame(width, height, max_iter);
    std::vector<int> img(ch06::pixels(f));
    {
        py::gil_scoped_release release;
        if (way == "reference") ch06::mandelbrot_reference(f, img);
        else ch06::mandelbrot_simd(f, img, wb::widest_isa());
    }
    return ch10::to_numpy(std::move(img));
}

/// The bodies of the nbody benchmarks (ch06::make_bodies): x, y, z, m.
py::tuple ch06_bodies(std::int64_t n, std::uint64_t seed) {
    if (n < 0) throw std::invalid_argument("n must be >= 0");
    ch06::Bodies b;
    {
        py::gil_scoped_release release;
        b = ch06::make_bodies(static_cast<std::size_t>(n), seed);
    }
    return py::make_tuple(ch10::to_numpy(std::move(b.x)), ch10::to_numpy(std::move(b.y)),
                          ch10::to_numpy(std::move(b.z)), ch10::to_numpy(std::move(b.m)));
}

/// Accelerations (ax, ay, az) of the bodies x, y, z, m: "reference" (accelerations_reference, one thread)
/// or "simd" (exercise 06.5's solution on the widest path, `threads` OpenMP threads). The coordinates are
/// copied into a ch06::Bodies first: O(n) against the O(n^2) of the work.
py::tuple ch06_nbody(const py::array& x, const py::array& y, const py::array& z, const py::array& m,
                     const std::string& way, int threads) {
    const auto vx = ch10::view_1d<const double>(x, "x"), vy = ch10::view_1d<const double>(y, "y");
    const auto vz = ch10::view_1d<const double>(z, "z"), vm = ch10::view_1d<const double>(m, "m");
    if (vy.size() != vx.size() || vz.size() != vx.size() || vm.size() != vx.size())
        throw std::invalid_argument("x, y, z and m differ in length");
    if (way != "reference" && way != "simd") throw std::invalid_argument("way must be 'reference' or 'simd'");
    const int t = thread_count(threads);
    ch06::Accel a;
    {
        py::gil_scoped_release release;
        ch06::Bodies b{{vx.begin(), vx.end()}, {vy.begin(), vy.end()}, {vz.begin(), vz.end()}, {vm.begin(), vm.end()}};
        if (way == "reference") ch06::accelerations_reference(b, a);
        else ch06::accelerations(b, a, wb::widest_isa(), t);
    }
    return py::make_tuple(ch10::to_numpy(std::move(a.x)), ch10::to_numpy(std::move(a.y)), ch10::to_numpy(std::move(a.z)));
}

// ---- chapter 07 -------------------------------------------------------------------------------------
/// A and B of the matmul benchmarks (ch07::blocking::fill_matmul_inputs), n x n row-major, flattened.
py::tuple ch07_matmul_inputs(int n) {
    if (n < 0) throw std::invalid_argument("n must be >= 0");
    const auto nn = static_cast<std::size_t>(n) * static_cast<std::size_t>(n);
    std::vector<double> a(nn), b(nn);
    {
        py::gil_scoped_release release;
        ch07::blocking::fill_matmul_inputs(a, b);
    }
    return py::make_tuple(ch10::to_numpy(std::move(a)), ch10::to_numpy(std::move(b)));
}

/// c = a b, n x n row-major flattened, by ch07::matmul_blocked (exercise 07.5's solution) on the widest path.
void ch07_matmul(const py::array& a, const py::array& b, const py::array& c, int n) {
    const auto va = ch10::view_1d<const double>(a, "a"), vb = ch10::view_1d<const double>(b, "b");
    const auto vc = ch10::view_1d<double>(c, "c", true);
    const wb::Isa isa = wb::widest_isa();
    py::gil_scoped_release release;
    ch07::matmul_blocked(va, vb, vc, n, n, n, isa);  // std::invalid_argument on wrong sizes -> ValueError
}

/// The image of the blur benchmarks (ch07::blocking::fill_blur_image), side x side row-major, flattened.
py::array_t<float> ch07_blur_image(int side) {
    if (side < 0) throw std::invalid_argument("side must be >= 0");
    std::vector<float> img(static_cast<std::size_t>(side) * static_cast<std::size_t>(side));
    {
        py::gil_scoped_release release;
        ch07::blocking::fill_blur_image(img);
    }
    return ch10::to_numpy(std::move(img));
}

/// out = the separable blur of in (width x height floats) with `taps` both ways: exercise 07.4's solution.
void ch07_blur(const py::array& in, const py::array& out, int width, int height, const py::array& taps) {
    const auto vi = ch10::view_1d<const float>(in, "in");
    const auto vo = ch10::view_1d<float>(out, "out", true);
    const auto vt = ch10::view_1d<const float>(taps, "taps");
    py::gil_scoped_release release;
    ch07::blur_separable(vi, vo, width, height, vt, vt);  // std::invalid_argument -> ValueError
}

/// The particles of the particles_* benchmarks (ch07::demo::make_particles), after `steps` calls of
/// advance_aos(dt), as an n x 7 array of doubles (x, y, z, vx, vy, vz, mass per row), flattened; and the
/// C++ sum_x_aos of the particles as made.
py::tuple ch07_particles(std::int64_t n, std::uint64_t seed, int steps, double dt) {
    if (n < 0 || steps < 0) throw std::invalid_argument("n and steps must be >= 0");
    std::vector<double> flat;
    double sum_x = 0.0;
    {
        py::gil_scoped_release release;
        std::vector<ch07::Particle> p = ch07::demo::make_particles(static_cast<std::size_t>(n), seed);
        sum_x = ch07::demo::sum_x_aos(p);
        for (int s = 0; s < steps; ++s) ch07::demo::advance_aos(p, dt);
        flat.reserve(p.size() * ch07::kFields);
        for (const ch07::Particle& q : p)
            for (double v : {q.x, q.y, q.z, q.vx, q.vy, q.vz, q.mass}) flat.push_back(v);
    }
    return py::make_tuple(ch10::to_numpy(std::move(flat)), sum_x);
}

// ---- the boundary (chapter 10) ------------------------------------------------------------------------
// [boundary]
/// Nothing: the cost of crossing into C++ and back, with no argument to convert.
void noop() {}

/// x[0] after the checks of view_1d: the cost of crossing with one array argument.
double first(const py::array& x) {
    const auto v = ch10::view_1d<const double>(x, "x");
    if (v.empty()) throw std::out_of_range("x is empty");  // -> IndexError
    return v[0];
}

/// ch05::kernel on one pair of Python floats: the per-element call that loses to NumPy.
double kernel(double x, double y) { return ch05::kernel(x, y); }
// [boundary]

}  // namespace

// [module]
PYBIND11_MODULE(wb_kernels, m) {
    m.doc() = "The Parallel C++ Workbook's reference kernels (chapters 02-07), for chapter 10 and the "
              "Python benchmarks. Arrays cross without a copy; the GIL is released around the work.";
    m.def("sum", &sum, py::arg("x"), py::arg("threads") = 1,
          "Sum of a contiguous 1-D float64 array (threads=1: in index order; 0: every core).");
    m.def("noop", &noop, "Does nothing: the bare cost of a call.");
    m.def("first", &first, py::arg("x"), "x[0] of a contiguous 1-D float64 array, after the checks.");
    m.def("kernel", &kernel, py::arg("x"), py::arg("y"), "Chapter 05's elementwise kernel on two floats.");
    // ...
// [module]
    m.def("ch02_mandelbrot", &ch02_mandelbrot, py::arg("width") = 1024, py::arg("height") = 512,
          py::arg("max_iter") = 1000, py::arg("threads") = 1,
          "Chapter 02's image (ch02::View, uint32 iteration counts, row-major) on `threads` threads.");
    m.def("splitmix_uniform", &splitmix_uniform, py::arg("n"), py::arg("seed"),
          "n uniform doubles in [0, 1) from ch04::SplitMix64{seed}.");
    m.def("pi_hits_serial", &pi_hits_serial, py::arg("samples"), py::arg("seed"),
          "Chapter 04's pi/serial count: one SplitMix64 stream, x then y per point.");
    m.def("pi_hits_blocks", &pi_hits_blocks, py::arg("samples"), py::arg("seed"), py::arg("threads") = 0,
          "Chapter 04's pi_hits count: one stream per block of 65536 samples.");
    m.def("pi_block_samples", [] { return ch04::pi_block_samples; });
    m.def("ch05_fill_inputs", &ch05_fill_inputs, py::arg("n"), py::arg("seed"),
          "Chapter 05's inputs (x, y), as its benchmarks make them (std::mt19937_64).");
    m.def("ch05_evaluate", &ch05_evaluate, py::arg("x"), py::arg("y"), py::arg("out"), py::arg("threads") = 1,
          "out[i] = kernel(x[i], y[i]) in place (threads=1: serial; 0: every core).");
    m.def("ch05_mandelbrot", &ch05_mandelbrot, py::arg("width") = 320, py::arg("height") = 160,
          py::arg("max_iter") = 500, py::arg("threads") = 0, py::arg("schedule") = "dynamic", py::arg("chunk") = 1,
          "Chapter 05's lopsided frame under an OpenMP schedule; int32 escape times, row-major.");
    m.def("ch06_uniform", &ch06_uniform, py::arg("n"), py::arg("lo"), py::arg("hi"), py::arg("seed"),
          "n doubles uniform in [lo, hi) from ch06::uniform (std::mt19937_64 seeded `seed`).");
    m.def("ch06_exp_range", [] { return py::make_tuple(ch06::flags::kExpLo, ch06::flags::kExpHi); },
          "The interval the flags/exp benchmarks draw their inputs from.");
    m.def("ch06_exp_reference", &ch06_exp_reference, py::arg("x"),
          "exp of each element from a long double exp, rounded: the reference of the ULP counts.");
    m.def("ch06_sum", &ch06_sum, py::arg("x"), py::arg("way") = "serial", py::arg("square") = false,
          "Chapter 06's sum (square: of squares): 'serial', 'omp_simd' or 'intrinsics' (widest path).");
    m.def("ch06_moving", &ch06_moving, py::arg("x"), py::arg("w"), py::arg("out"), py::arg("algo"),
          "out = moving mean of x over w: 'naive', 'sliding', 'cumsum' or 'compensated' (06.3).");
    m.def("ch06_mandelbrot", &ch06_mandelbrot, py::arg("width") = 400, py::arg("height") = 300,
          py::arg("max_iter") = 200, py::arg("way") = "reference",
          "Chapter 06's frame: 'reference' (scalar) or 'simd' (06.4, widest path); int32, row-major.");
    m.def("ch06_bodies", &ch06_bodies, py::arg("n"), py::arg("seed"), "Chapter 06's bodies: (x, y, z, m).");
    m.def("ch06_nbody", &ch06_nbody, py::arg("x"), py::arg("y"), py::arg("z"), py::arg("m"),
          py::arg("way") = "reference", py::arg("threads") = 1,
          "(ax, ay, az): 'reference' (one thread) or 'simd' (06.5, widest path, `threads` threads).");
    m.def("ch07_matmul_inputs", &ch07_matmul_inputs, py::arg("n"), "Chapter 07's matmul A and B, flattened.");
    m.def("ch07_matmul", &ch07_matmul, py::arg("a"), py::arg("b"), py::arg("c"), py::arg("n"),
          "c = a b (n x n, flattened) by ch07::matmul_blocked (07.5) on the widest path, one thread.");
    m.def("ch07_blur_image", &ch07_blur_image, py::arg("side") = 2048, "Chapter 07's blur input, flattened float32.");
    m.def("ch07_gaussian_taps", [](int k) { return ch10::to_numpy(ch07::gaussian_taps(k)); }, py::arg("k"),
          "ch07::gaussian_taps(k): k float32 taps, not normalized.");
    m.def("ch07_blur", &ch07_blur, py::arg("in"), py::arg("out"), py::arg("width"), py::arg("height"),
          py::arg("taps"), "out = separable blur of in (07.4's solution), `taps` along rows and columns.");
    m.def("ch07_particles", &ch07_particles, py::arg("n"), py::arg("seed"), py::arg("steps") = 0,
          py::arg("dt") = 1e-6, "Chapter 07's particles after `steps` advance_aos(dt): (n x 7 flattened, sum_x_aos).");
    m.def("widest_isa", [] { return std::string(wb::isa_name(wb::widest_isa())); },
          "The vector path the ch06/ch07 functions take: the widest this CPU runs, or WB_ISA's.");
    m.attr("openmp_threads") = omp_get_num_procs();
}
