// wb_kernels: the workbook's reference kernels of chapters 02 to 05, callable from Python.
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
#include <stdexcept>
#include <string>
#include <vector>

#include "ch02/mandelbrot.hpp"
#include "ch04/pi_streams.hpp"
#include "ch05/kernels.hpp"
#include "ch10/arrays.hpp"

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
    m.doc() = "The Parallel C++ Workbook's reference kernels (chapters 02-05), for chapter 10 and the "
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
    m.attr("openmp_threads") = omp_get_num_procs();
}
