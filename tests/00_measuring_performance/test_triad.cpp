// Tests of exercise 00.3 (triad), at every thread count from 1 to two more than the cores.
#include <omp.h>

#include <cstddef>
#include <span>
#include <stdexcept>
#include <vector>

#include "ch00/triad.hpp"
#include "wb/catch.hpp"
#include "wb/testing.hpp"

namespace {

// b and c hold small multiples of 1/4 and the scalar is 3: b + 3 * c is exact in double, whether or not
// the compiler fuses the multiply and the add. So the results are compared with ==.
double b_at(std::size_t i) { return 0.25 * static_cast<double>(i % 1000); }
double c_at(std::size_t i) { return 0.25 * static_cast<double>(i % 37) - 4.0; }
constexpr double kScalar = 3.0;
constexpr double kSentinel = -12345.0;

// Runs triad on n elements; a has one sentinel element on each side that must survive.
void check_triad(std::size_t n) {
    std::vector<double> a(n + 2, kSentinel), b(n), c(n);
    for (std::size_t i = 0; i < n; ++i) {
        b[i] = b_at(i);
        c[i] = c_at(i);
    }
    ch00::triad(std::span<double>(a).subspan(1, n), b, c, kScalar);
    REQUIRE(a.front() == kSentinel);
    REQUIRE(a.back() == kSentinel);
    std::size_t wrong = 0;
    for (std::size_t i = 0; i < n; ++i)
        if (a[i + 1] != b_at(i) + kScalar * c_at(i)) ++wrong;
    REQUIRE(wrong == 0);
}

// Sets the OpenMP thread count for one test and restores it afterwards.
struct ThreadCount {
    int saved = omp_get_max_threads();
    explicit ThreadCount(int t) { omp_set_num_threads(t); }
    ~ThreadCount() { omp_set_num_threads(saved); }
};

}  // namespace

TEST_CASE("triad computes every element and nothing else, at every thread count") {
    for (int threads : wb::testing::thread_counts()) {
        ThreadCount tc(threads);
        INFO("threads = " << threads);
        // Sizes below, equal to and far above the thread count, and ones that do not divide evenly.
        for (std::size_t n : {0u, 1u, 2u, 3u, 7u, 1000u, 100003u}) {
            INFO("n = " << n);
            check_triad(n);
        }
    }
}

TEST_CASE("triad is a pure element-wise update: calling it twice gives the same result") {
    const std::size_t n = 4099;
    std::vector<double> a(n, 0.0), b(n, 1.5), c(n, 0.5);
    ch00::triad(a, b, c, 2.0);
    const std::vector<double> first = a;
    ch00::triad(a, b, c, 2.0);
    REQUIRE(a == first);
    REQUIRE(a == std::vector<double>(n, 2.5));  // 1.5 + 2 * 0.5, exact
}

TEST_CASE("triad refuses arrays of different sizes") {
    std::vector<double> a(10), b(10), c(9);
    REQUIRE_THROWS_AS(ch00::triad(a, b, c, 1.0), std::invalid_argument);
    REQUIRE_THROWS_AS(ch00::triad(a, c, b, 1.0), std::invalid_argument);
}
