// loops.cpp: the variants compared by ch05_program and ch05_bench.
#if defined(__clang__)
// std::execution::par_unseq asks the compiler to vectorize the loop inside the parallel-algorithm
// headers; the kernel's libm calls prevent it, and clang says so (-Wpass-failed). The loop then simply
// runs unvectorized, as with par; nothing to fix, so the warning is silenced for this file.
#pragma clang diagnostic ignored "-Wpass-failed"
#endif
#include "loops.hpp"

#include <algorithm>
#include <cmath>
#include <future>
#include <numeric>
#include <stdexcept>

#include "ch05/chunked.hpp"

#ifndef WB_HAVE_PARALLEL_STL
#define WB_HAVE_PARALLEL_STL 0
#endif
// Under ThreadSanitizer the parallel algorithms are left out: TBB's header templates get instrumented
// in this file while libtbb itself is not, and TSan then reports races inside TBB that are not there.
#if defined(__SANITIZE_THREAD__)
#define WB_CH05_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define WB_CH05_TSAN 1
#endif
#endif
#if WB_HAVE_PARALLEL_STL && !defined(WB_CH05_TSAN)
#define WB_CH05_PAR_STL 1
#include <execution>
#else
#define WB_CH05_PAR_STL 0
#endif

namespace ch05::demo {

void evaluate_serial(std::span<const double> x, std::span<const double> y, std::span<double> out) {
    for (std::size_t i = 0; i < x.size(); ++i) out[i] = kernel(x[i], y[i]);
}

//! [pool_loop]
void evaluate_pool(ThreadPool& pool, std::span<const double> x, std::span<const double> y, std::span<double> out,
                   int chunks) {
    std::vector<std::future<void>> done;
    done.reserve(static_cast<std::size_t>(chunks));
    for (int k = 0; k < chunks; ++k)
        done.push_back(pool.submit([=] {
            const Range r = chunk_range(x.size(), chunks, k);
            for (std::size_t i = r.begin; i < r.end; ++i) out[i] = kernel(x[i], y[i]);
        }));
    for (auto& d : done) d.get();  // rethrows a job's exception, if any
}
//! [pool_loop]

//! [omp_loop]
void evaluate_omp(std::span<const double> x, std::span<const double> y, std::span<double> out, int threads) {
    const auto n = static_cast<std::ptrdiff_t>(x.size());
#pragma omp parallel for schedule(static) num_threads(threads)
    for (std::ptrdiff_t i = 0; i < n; ++i) out[i] = kernel(x[i], y[i]);
}
//! [omp_loop]

bool have_parallel_stl() { return WB_CH05_PAR_STL != 0; }

std::string parallel_stl_status() {
#if WB_CH05_PAR_STL
    return "available (libstdc++ on TBB)";
#elif defined(WB_CH05_TSAN)
    return "left out of ThreadSanitizer builds (uninstrumented TBB gives false race reports)";
#else
    return "not available in this build (TBB was not found at configure time)";
#endif
}

bool evaluate_std(const std::string& policy, std::span<const double> x, std::span<const double> y,
                  std::span<double> out) {
#if WB_CH05_PAR_STL
    //! [par_stl]
    auto f = [](double a, double b) { return kernel(a, b); };
    if (policy == "seq")
        std::transform(std::execution::seq, x.begin(), x.end(), y.begin(), out.begin(), f);
    else if (policy == "par")
        std::transform(std::execution::par, x.begin(), x.end(), y.begin(), out.begin(), f);
    else if (policy == "par_unseq")
        std::transform(std::execution::par_unseq, x.begin(), x.end(), y.begin(), out.begin(), f);
    //! [par_stl]
    else
        throw std::invalid_argument("evaluate_std: unknown policy " + policy);
    return true;
#else
    (void)policy, (void)x, (void)y, (void)out;
    return false;
#endif
}

//! [busy_time]
ThreadLoad mandelbrot_scheduled(const Frame& f, std::span<int> out, int threads, LoopSchedule s) {
    ThreadLoad load{std::vector<double>(static_cast<std::size_t>(threads), 0.0),
                    std::vector<int>(static_cast<std::size_t>(threads), 0)};
    omp_set_schedule(s.kind, s.chunk);  // what schedule(runtime) below will use
#pragma omp parallel num_threads(threads)
    {
        const auto me = static_cast<std::size_t>(omp_get_thread_num());
        const double start = omp_get_wtime();
        int rows = 0;
        // nowait: a thread that runs out of rows records its time at once instead of waiting at the
        // loop's closing barrier for the slowest thread.
#pragma omp for schedule(runtime) nowait
        for (int row = 0; row < f.height; ++row) {
            mandelbrot_row(f, row, out);
            ++rows;
        }
        load.busy_seconds[me] = omp_get_wtime() - start;
        load.rows[me] = rows;
    }
    return load;
}
//! [busy_time]

void mandelbrot_serial(const Frame& f, std::span<int> out) {
    for (int row = 0; row < f.height; ++row) mandelbrot_row(f, row, out);
}

double sum_serial(std::span<const double> x) {
    double s = 0.0;
    for (double v : x) s += v;
    return s;
}

//! [sum_omp]
double sum_omp(std::span<const double> x, int threads) {
    const double* p = x.data();
    const auto n = static_cast<std::ptrdiff_t>(x.size());
    double s = 0.0;
#pragma omp parallel for schedule(static) num_threads(threads) reduction(+ : s)
    for (std::ptrdiff_t i = 0; i < n; ++i) s += p[i];
    return s;
}
//! [sum_omp]

//! [compensated]
double sum_compensated(std::span<const double> x) {
    // Neumaier's variant of Kahan summation: c collects the low-order bits that each addition to s
    // rounds away, whichever of the two operands is larger.
    double s = 0.0, c = 0.0;
    for (double v : x) {
        const double t = s + v;
        c += std::abs(s) >= std::abs(v) ? (s - t) + v : (v - t) + s;
        s = t;
    }
    return s + c;
}
//! [compensated]

double sum_std_reduce(std::span<const double> x, bool& ok) {
#if WB_CH05_PAR_STL
    ok = true;
    return std::reduce(std::execution::par, x.begin(), x.end(), 0.0);
#else
    (void)x;
    ok = false;
    return 0.0;
#endif
}

}  // namespace ch05::demo
