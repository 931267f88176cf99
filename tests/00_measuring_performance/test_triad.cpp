// Tests of exercise 00.3 (triad), at every thread count from 1 to two more than the cores. Whether the
// threads really share the work is measured as CPU time spent on threads other than the caller
// (wb::testing::measure_spread), never as a speedup: CPU time only counts while a thread runs, so a
// busy machine does not change the verdict. Whether two threads write the same element is left to
// the race check (ThreadSanitizer), which sees it even when the values come out right.
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

TEST_CASE("the other OpenMP threads do their share of the work") {
    // 2^21 elements (16 MiB per array), 16 calls: about 0.8 GB moved, tens of milliseconds of CPU time
    // even on a fast machine, as measure_spread needs.
    const std::size_t n = std::size_t{1} << 21;
    std::vector<double> a(n, 0.0), b(n, 1.5), c(n, 0.5);
    for (int threads : wb::testing::thread_counts()) {
        if (threads < 2) continue;
        ThreadCount tc(threads);
        INFO("threads = " << threads);
        ch00::triad(a, b, c, 2.0);  // untimed: starts the threads, touches every page
        const auto spread = wb::testing::measure_spread([&] {
            for (int r = 0; r < 16; ++r) ch00::triad(a, b, c, 2.0);
        });
        INFO("CPU time " << spread.cpu_seconds << " s, of which on the calling thread " << spread.caller_seconds
                         << " s: share off the caller " << spread.off_caller_share());
        // T threads with equal blocks put about (T-1)/T of the CPU time off the caller (more while idle
        // threads spin); a loop that runs on the caller alone puts none there. The bound, a third of
        // the even share, leaves room for uneven blocks and a busy machine, and is far from 0.
        REQUIRE(spread.off_caller_share() > (threads - 1.0) / threads / 3.0);
        std::size_t wrong = 0;
        for (double v : a) wrong += v != 2.5;  // 1.5 + 2 * 0.5, exact
        REQUIRE(wrong == 0);
    }
}

TEST_CASE("triad is a pure element-wise update: calling it twice gives the same result") {
    const std::size_t n = 4099;
    std::vector<double> a(n, 0.0), b(n, 1.5), c(n, 0.5);
    ch00::triad(a, b, c, 2.0);
    const std::vector<double> first = a;
    ch00::triad(a, b, c, 2.0);
    REQUIRE(a == first);
    std::size_t wrong = 0;
    for (double v : a) wrong += v != 2.5;  // 1.5 + 2 * 0.5, exact
    REQUIRE(wrong == 0);
}

TEST_CASE("triad refuses arrays of different sizes") {
    std::vector<double> a(10), b(10), c(9);
    REQUIRE_THROWS_AS(ch00::triad(a, b, c, 1.0), std::invalid_argument);
    REQUIRE_THROWS_AS(ch00::triad(a, c, b, 1.0), std::invalid_argument);
}
