// blocking/blocking.hpp: the chapter's own versions of the matrix multiply and the blur, from the naive
// loops to the cache-blocked ones, and the libraries a user would call instead (Eigen, OpenBLAS). The
// program's report and the benchmarks both use them; the exercises' versions are ch07::matmul_blocked
// and ch07::blur_separable.
#pragma once

#include <cstddef>
#include <random>
#include <span>
#include <string>
#include <vector>

namespace ch07::blocking {

// ---- the benchmarks' inputs (chapter 10's module hands the same arrays to the Python rows) -----------

/// A and B of the matrix-multiply benchmarks: uniform in [-1, 1), from std::mt19937_64 seeded 7.
inline void fill_matmul_inputs(std::span<double> a, std::span<double> b) {
    std::mt19937_64 gen(7);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    for (auto& x : a) x = u(gen);
    for (auto& x : b) x = u(gen);
}

/// The blur benchmarks' image: uniform in [0, 1), from std::mt19937_64 seeded 3.
inline void fill_blur_image(std::span<float> img) {
    std::mt19937_64 gen(3);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    for (auto& x : img) x = u(gen);
}

// ---- matrix multiply: C = A B, all n x n, row-major -------------------------------------------------

/// The textbook triple loop, i, j, k: the innermost loop walks down a column of B, n doubles apart.
void matmul_naive(std::span<const double> a, std::span<const double> b, std::span<double> c, int n);

/// The same sums with the two inner loops swapped (i, k, j): the innermost loop runs along a row of B
/// and a row of C, contiguous, and vectorizes.
void matmul_ikj(std::span<const double> a, std::span<const double> b, std::span<double> c, int n);

/// i, k, j in tiles of `tile` x `tile` x `tile`, so that the rows of B a tile uses stay in cache while
/// they are reused; plain C++, vectorized by the compiler for the x86-64 baseline only.
void matmul_tiled(std::span<const double> a, std::span<const double> b, std::span<double> c, int n, int tile = 64);

/// Eigen 3's product (C.noalias() = A * B) on row-major maps of the same arrays, on one thread. False
/// when the workbook was built without Eigen (WB_HAVE_EIGEN == 0).
bool matmul_eigen(std::span<const double> a, std::span<const double> b, std::span<double> c, int n);

/// OpenBLAS's cblas_dgemm on one thread. False when built without OpenBLAS.
bool matmul_openblas(std::span<const double> a, std::span<const double> b, std::span<double> c, int n);

/// The kernel family OpenBLAS picked for this CPU at start-up ("SkylakeX", "Haswell", "Zen", or
/// "Prescott", its generic SSE3 fallback for a CPU model it does not know); "" without OpenBLAS.
/// OPENBLAS_CORETYPE in the environment overrides its choice.
std::string openblas_core();

/// Why a library row is missing ("" when it is there): which Debian package to install.
std::string eigen_missing();
std::string openblas_missing();

/// The largest |x - y| / max(1, |y|) over two results of the same product.
double max_rel_diff(std::span<const double> x, std::span<const double> y);

/// Floating-point operations of one n x n x n product: n^3 multiplies and n^3 additions.
inline double matmul_flops(int n) { return 2.0 * double(n) * double(n) * double(n); }

/// The core's FMA peak in FLOP/s, measured for about `seconds` with independent FMA chains in the
/// widest vectors this CPU runs (the same kind of measurement as chapter 00's): what "share of peak"
/// is measured against. Also returns the path it used in `isa_name`.
double fma_peak_flops(double seconds, std::string& isa_name);

// ---- blur of a width x height float image, clamp-to-edge ---------------------------------------------

/// The direct 2D convolution: k_row x k_col multiply-adds per pixel with the weights h[i] v[j], edge
/// pixels repeated outside the image. Same result as ch07::blur_separable up to rounding.
void blur_direct(std::span<const float> in, std::span<float> out, int width, int height,
                 std::span<const float> row_taps, std::span<const float> col_taps);

/// The separable blur with the row pass kept in cache: each output row needs 2 rv + 1 rows of the row
/// pass, so only those are kept, in a ring buffer of 2 rv + 1 rows that each new row overwrites the
/// oldest of. The intermediate image never goes out to memory and back: the data moved per pixel is
/// one read and one write, as for the direct blur, against two of each for the two-pass version.
void blur_separable_blocked(std::span<const float> in, std::span<float> out, int width, int height,
                            std::span<const float> row_taps, std::span<const float> col_taps);

/// Multiply-adds per pixel: k^2 for the direct blur, 2k for the separable one (k taps each way).
inline double blur_direct_flops_per_pixel(int k) { return 2.0 * k * k; }
inline double blur_separable_flops_per_pixel(int k) { return 2.0 * 2.0 * k; }

}  // namespace ch07::blocking
