// blocking/blocking.cpp: the chapter's matrix multiplies and blurs (see blocking.hpp), and the one-core
// FMA peak they are compared with. Compiled for the x86-64 baseline like the rest of the chapter; the
// peak kernels ask for AVX2 or AVX-512 per function and run only where wb::cpu_has() says so.
#include "blocking.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "wb/isa.hpp"

#if WB_HAVE_EIGEN
#include <Eigen/Core>
#endif
#if WB_HAVE_OPENBLAS
#include <cblas.h>
#endif
#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace ch07::blocking {

//! [matmul_naive]
void matmul_naive(std::span<const double> a, std::span<const double> b, std::span<double> c, int n) {
    const std::size_t N = static_cast<std::size_t>(n);
    for (std::size_t i = 0; i < N; ++i) {
        for (std::size_t j = 0; j < N; ++j) {
            double s = 0.0;
            for (std::size_t p = 0; p < N; ++p) s += a[i * N + p] * b[p * N + j];  // B read down a column
            c[i * N + j] = s;
        }
    }
}
//! [matmul_naive]

//! [matmul_ikj]
void matmul_ikj(std::span<const double> a, std::span<const double> b, std::span<double> c, int n) {
    const std::size_t N = static_cast<std::size_t>(n);
    std::fill(c.begin(), c.end(), 0.0);
    for (std::size_t i = 0; i < N; ++i) {
        double* ci = &c[i * N];
        for (std::size_t p = 0; p < N; ++p) {
            const double aip = a[i * N + p];
            const double* bp = &b[p * N];
            for (std::size_t j = 0; j < N; ++j) ci[j] += aip * bp[j];  // rows of B and C: contiguous
        }
    }
}
//! [matmul_ikj]

//! [matmul_tiled]
void matmul_tiled(std::span<const double> a, std::span<const double> b, std::span<double> c, int n, int tile) {
    const std::size_t N = static_cast<std::size_t>(n), T = static_cast<std::size_t>(std::max(1, tile));
    std::fill(c.begin(), c.end(), 0.0);
    for (std::size_t i0 = 0; i0 < N; i0 += T) {
        for (std::size_t p0 = 0; p0 < N; p0 += T) {
            for (std::size_t j0 = 0; j0 < N; j0 += T) {
                // One tile of C gains one tile of A times one tile of B: 3 T^2 doubles (96 KiB for
                // T = 64) that stay in cache while each is used T times.
                const std::size_t i1 = std::min(N, i0 + T), p1 = std::min(N, p0 + T), j1 = std::min(N, j0 + T);
                for (std::size_t i = i0; i < i1; ++i) {
                    for (std::size_t p = p0; p < p1; ++p) {
                        const double aip = a[i * N + p];
                        for (std::size_t j = j0; j < j1; ++j) c[i * N + j] += aip * b[p * N + j];
                    }
                }
            }
        }
    }
}
//! [matmul_tiled]

bool matmul_eigen(std::span<const double> a, std::span<const double> b, std::span<double> c, int n) {
#if WB_HAVE_EIGEN
    // Built with OpenMP, Eigen would share a large product among all cores: one core, like every row.
    Eigen::setNbThreads(1);
    using Mat = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    Eigen::Map<const Mat> A(a.data(), n, n), B(b.data(), n, n);
    Eigen::Map<Mat> C(c.data(), n, n);
    C.noalias() = A * B;
    return true;
#else
    (void)a, (void)b, (void)c, (void)n;
    return false;
#endif
}

bool matmul_openblas(std::span<const double> a, std::span<const double> b, std::span<double> c, int n) {
#if WB_HAVE_OPENBLAS
    static const bool one_thread = [] {
        openblas_set_num_threads(1);  // one core, like every other row of the comparison
        return true;
    }();
    (void)one_thread;
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0, a.data(), n, b.data(), n, 0.0, c.data(), n);
    return true;
#else
    (void)a, (void)b, (void)c, (void)n;
    return false;
#endif
}

std::string openblas_core() {
#if WB_HAVE_OPENBLAS
    const char* name = openblas_get_corename();
    return name != nullptr ? name : "?";
#else
    return "";
#endif
}

std::string eigen_missing() {
    return WB_HAVE_EIGEN ? "" : "built without Eigen (Debian: libeigen3-dev)";
}
std::string openblas_missing() {
    return WB_HAVE_OPENBLAS ? "" : "built without OpenBLAS (Debian: libopenblas-dev)";
}

double max_rel_diff(std::span<const double> x, std::span<const double> y) {
    double worst = 0.0;
    for (std::size_t i = 0; i < std::min(x.size(), y.size()); ++i)
        worst = std::max(worst, std::abs(x[i] - y[i]) / std::max(1.0, std::abs(y[i])));
    return worst;
}

// ---- the FMA peak ------------------------------------------------------------------------------------
namespace {

#if defined(__x86_64__)
// 16 (AVX-512) or 12 (AVX2) independent chains x = x * a + b: more than latency x FMA units, so every
// unit starts an FMA every cycle. a and b keep the values near 1.
__attribute__((target("avx512f"))) double peak_avx512(long steps) {
    __m512d x[16];
    for (auto& v : x) v = _mm512_set1_pd(1.0);
    const __m512d a = _mm512_set1_pd(0.999), b = _mm512_set1_pd(0.001);
    for (long s = 0; s < steps; ++s) {
#pragma GCC unroll 16
        for (auto& v : x) v = _mm512_fmadd_pd(v, a, b);
    }
    __m512d t = x[0];
    for (int i = 1; i < 16; ++i) t = _mm512_add_pd(t, x[i]);
    alignas(64) double out[8];
    _mm512_store_pd(out, t);
    return out[0];
}

__attribute__((target("avx2,fma"))) double peak_avx2(long steps) {
    __m256d x[12];
    for (auto& v : x) v = _mm256_set1_pd(1.0);
    const __m256d a = _mm256_set1_pd(0.999), b = _mm256_set1_pd(0.001);
    for (long s = 0; s < steps; ++s) {
#pragma GCC unroll 12
        for (auto& v : x) v = _mm256_fmadd_pd(v, a, b);
    }
    __m256d t = x[0];
    for (int i = 1; i < 12; ++i) t = _mm256_add_pd(t, x[i]);
    alignas(32) double out[4];
    _mm256_store_pd(out, t);
    return out[0];
}
#endif

volatile double peak_sink = 0.0;

}  // namespace

double fma_peak_flops(double seconds, std::string& isa_name) {
    using clock = std::chrono::steady_clock;
#if defined(__x86_64__)
    wb::Isa isa = wb::Isa::scalar;
    for (wb::Isa i : wb::isas_on_this_cpu()) isa = i;
    if (isa != wb::Isa::scalar) {
        const bool wide = isa == wb::Isa::avx512;
        const double flops_per_step = wide ? 16.0 * 8 * 2 : 12.0 * 4 * 2;
        isa_name = wb::isa_name(isa);
        double best = 0.0;
        const auto end = clock::now() + std::chrono::duration<double>(seconds);
        long steps = 1 << 16;
        do {  // best of several short runs: the core's clock and a noisy neighbour vary
            const auto t0 = clock::now();
            peak_sink = wide ? peak_avx512(steps) : peak_avx2(steps);
            const double dt = std::chrono::duration<double>(clock::now() - t0).count();
            best = std::max(best, flops_per_step * double(steps) / dt);
            if (dt < 0.01) steps *= 2;
        } while (clock::now() < end);
        return best;
    }
#endif
    (void)seconds;
    isa_name = "none";
    return 0.0;  // no vector FMA on this CPU: no peak to compare with
}

// ---- blur --------------------------------------------------------------------------------------------
namespace {

std::vector<float> normalized(std::span<const float> taps) {
    if (taps.empty() || taps.size() % 2 == 0) throw std::invalid_argument("blur: the taps must have an odd length");
    const double sum = std::accumulate(taps.begin(), taps.end(), 0.0);
    if (sum == 0.0) throw std::invalid_argument("blur: the taps sum to 0");
    std::vector<float> w(taps.size());
    for (std::size_t i = 0; i < taps.size(); ++i) w[i] = static_cast<float>(taps[i] / sum);
    return w;
}

void check_image(std::span<const float> in, std::span<float> out, int width, int height) {
    if (width <= 0 || height <= 0 || in.size() != std::size_t(width) * std::size_t(height) || out.size() != in.size())
        throw std::invalid_argument("blur: the image sizes do not match");
}

// Row `src` (w pixels) filtered with the taps `hx` into `dst`, the edge pixels repeated: the row is
// first copied with r copies of each edge pixel on either side into `padded` (w + 2r floats).
void row_pass(const float* src, float* dst, std::size_t w, const std::vector<float>& hx, std::vector<float>& padded) {
    const std::size_t r = hx.size() / 2;
    std::fill(padded.begin(), padded.begin() + static_cast<std::ptrdiff_t>(r), src[0]);
    std::copy(src, src + w, padded.begin() + static_cast<std::ptrdiff_t>(r));
    std::fill(padded.begin() + static_cast<std::ptrdiff_t>(r + w), padded.end(), src[w - 1]);
    std::fill(dst, dst + w, 0.0f);
    for (std::size_t i = 0; i < hx.size(); ++i) {
        const float wi = hx[i];
        const float* s = padded.data() + i;
        for (std::size_t x = 0; x < w; ++x) dst[x] += wi * s[x];
    }
}

}  // namespace

//! [blur_direct]
void blur_direct(std::span<const float> in, std::span<float> out, int width, int height,
                 std::span<const float> row_taps, std::span<const float> col_taps) {
    check_image(in, out, width, height);
    const std::vector<float> hx = normalized(row_taps), vy = normalized(col_taps);
    const int ry = static_cast<int>(vy.size() / 2);
    const std::size_t w = static_cast<std::size_t>(width), kx = hx.size(), pw = w + kx - 1;
    // Every row padded once with copies of its edge pixels, so the taps along x need no edge test.
    std::vector<float> padded(pw * static_cast<std::size_t>(height));
    for (int y = 0; y < height; ++y) {
        const float* src = &in[std::size_t(y) * w];
        float* p = &padded[std::size_t(y) * pw];
        std::fill(p, p + kx / 2, src[0]);
        std::copy(src, src + w, p + kx / 2);
        std::fill(p + kx / 2 + w, p + pw, src[w - 1]);
    }
    for (int y = 0; y < height; ++y) {
        float* o = &out[std::size_t(y) * w];
        std::fill(o, o + w, 0.0f);
        for (int j = -ry; j <= ry; ++j) {  // k_col rows of the input ...
            const float* p = &padded[std::size_t(std::clamp(y + j, 0, height - 1)) * pw];
            for (std::size_t i = 0; i < kx; ++i) {  // ... times k_row taps each: k^2 per pixel
                const float wij = hx[i] * vy[std::size_t(j + ry)];
                for (std::size_t x = 0; x < w; ++x) o[x] += wij * p[x + i];
            }
        }
    }
}
//! [blur_direct]

void blur_separable_blocked(std::span<const float> in, std::span<float> out, int width, int height,
                            std::span<const float> row_taps, std::span<const float> col_taps) {
    check_image(in, out, width, height);
    const std::vector<float> hx = normalized(row_taps), vy = normalized(col_taps);
    const int ry = static_cast<int>(vy.size() / 2), slots = 2 * ry + 1;
    const std::size_t w = static_cast<std::size_t>(width);
    std::vector<float> ring(w * std::size_t(slots)), padded(w + hx.size() - 1);
    int done = -1;  // the last input row whose row pass is in the ring (row r lives in slot r % slots)
    for (int y = 0; y < height; ++y) {
        for (const int need = std::min(height - 1, y + ry); done < need;) {
            ++done;
            row_pass(&in[std::size_t(done) * w], &ring[std::size_t(done % slots) * w], w, hx, padded);
        }
        float* o = &out[std::size_t(y) * w];
        std::fill(o, o + w, 0.0f);
        for (int j = -ry; j <= ry; ++j) {
            const float vj = vy[std::size_t(j + ry)];
            const float* src = &ring[std::size_t(std::clamp(y + j, 0, height - 1) % slots) * w];
            for (std::size_t x = 0; x < w; ++x) o[x] += vj * src[x];
        }
    }
}

}  // namespace ch07::blocking
