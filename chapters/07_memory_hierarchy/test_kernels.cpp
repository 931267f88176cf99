// Tests of chapter 07's own dispatched kernels (not exercises): every instruction-set path this CPU
// runs gives the scalar path's answer, at sizes that leave every kind of remainder.
#include <cmath>
#include <cstdlib>
#include <cstdint>
#include <random>
#include <set>
#include <vector>

#include "memory.hpp"
#include "wb/catch.hpp"
#include "wb/isa.hpp"

namespace {

std::vector<double> random_doubles(std::size_t n, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    std::vector<double> x(n);
    for (double& v : x) v = u(rng);
    return x;
}

}  // namespace

TEST_CASE("read_sum: every instruction-set path sums every element", "[ch07][isa]") {
    for (const wb::Isa isa : wb::isas_on_this_cpu()) {
        for (const std::size_t n : {0u, 1u, 7u, 8u, 9u, 31u, 32u, 33u, 63u, 64u, 65u, 1000u, 4097u}) {
            const std::vector<double> x = random_doubles(n, 7 + n);
            long double exact = 0.0L, magnitude = 0.0L;
            for (const double v : x) {
                exact += v;
                magnitude += std::fabs(v);
            }
            // Any order of n additions is within (n - 1) units of rounding of the sum of magnitudes;
            // a lost element (|x| ~ 0.5 on average) is far outside that.
            const double tolerance = static_cast<double>(n) * 1.2e-16 * static_cast<double>(magnitude) + 1e-300;
            INFO("isa " << wb::isa_name(isa) << ", n = " << n);
            CHECK(std::fabs(ch07::demo::read_sum(x, isa) - static_cast<double>(exact)) <= tolerance);
        }
    }
}

TEST_CASE("transpose_simd: every path, with and without streaming stores, is exact", "[ch07][isa]") {
    struct Shape { std::size_t rows, cols; };
    for (const wb::Isa isa : wb::isas_on_this_cpu()) {
        for (const Shape s : {Shape{0, 0}, Shape{1, 1}, Shape{3, 5}, Shape{8, 8}, Shape{31, 33}, Shape{32, 32},
                              Shape{64, 40}, Shape{100, 7}, Shape{129, 257}}) {
            for (const bool stream : {false, true}) {
                const std::size_t n = s.rows * s.cols;
                // 64-byte aligned buffers, so the streaming path is really taken where rows allow it.
                auto* in = static_cast<double*>(std::aligned_alloc(64, (n * sizeof(double) + 63) / 64 * 64 + 64));
                auto* out = static_cast<double*>(std::aligned_alloc(64, (n * sizeof(double) + 63) / 64 * 64 + 64));
                for (std::size_t k = 0; k < n; ++k) {
                    in[k] = static_cast<double>(k) + 0.25;
                    out[k] = -1.0;
                }
                ch07::demo::transpose_simd(in, out, s.rows, s.cols, isa, stream);
                std::size_t wrong = 0;
                for (std::size_t i = 0; i < s.rows; ++i)
                    for (std::size_t j = 0; j < s.cols; ++j)
                        if (out[j * s.rows + i] != in[i * s.cols + j]) ++wrong;
                INFO("isa " << wb::isa_name(isa) << ", " << s.rows << " x " << s.cols << ", stream " << stream);
                CHECK(wrong == 0);
                std::free(in);
                std::free(out);
            }
        }
    }
}

TEST_CASE("build_chase: one cycle through every cache line of the working set", "[ch07]") {
    const std::size_t bytes = 256 * 1024;
    const ch07::demo::Region r(bytes, false);
    const void* start = ch07::demo::build_chase(r, bytes, 42);
    const std::size_t lines = bytes / ch07::demo::kLine;
    std::set<const void*> seen;
    const void* p = start;
    for (std::size_t k = 0; k < lines; ++k) {
        REQUIRE(seen.insert(p).second);  // no line visited twice before the cycle closes
        p = ch07::demo::chase(p, 1);
    }
    CHECK(p == start);  // and it closes after exactly `lines` steps
    CHECK(seen.size() == lines);
}
