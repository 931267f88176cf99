// Tests of exercise 05.1: chunk_range covers [0, n) evenly; evaluate_chunked equals the serial loop.
#include <bit>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "ch05/chunked.hpp"
#include "ch05/kernels.hpp"
#include "wb/catch.hpp"
#include "wb/testing.hpp"

namespace {
bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::bit_cast<std::uint64_t>(a[i]) != std::bit_cast<std::uint64_t>(b[i])) return false;
    return true;
}
}  // namespace

TEST_CASE("05.1 chunk_range: pieces are contiguous, cover [0, n) and differ in size by at most one") {
    for (std::size_t n : {0u, 1u, 2u, 5u, 7u, 64u, 100u, 1001u}) {
        for (int parts = 1; parts <= 9; ++parts) {
            INFO("n = " << n << ", parts = " << parts);
            std::size_t expected_begin = 0, smallest = n, largest = 0;
            for (int k = 0; k < parts; ++k) {
                const ch05::Range r = ch05::chunk_range(n, parts, k);
                REQUIRE(r.begin == expected_begin);
                REQUIRE(r.end >= r.begin);
                smallest = std::min(smallest, r.size());
                largest = std::max(largest, r.size());
                // The longer pieces come first.
                if (k > 0) REQUIRE(r.size() <= ch05::chunk_range(n, parts, k - 1).size());
                expected_begin = r.end;
            }
            REQUIRE(expected_begin == n);
            REQUIRE(largest - smallest <= 1);
        }
    }
}

TEST_CASE("05.1 chunk_range: exact pieces of 10 elements in 4 parts") {
    const std::size_t begins[] = {0, 3, 6, 8}, ends[] = {3, 6, 8, 10};
    for (int k = 0; k < 4; ++k) {
        const ch05::Range r = ch05::chunk_range(10, 4, k);
        REQUIRE(r.begin == begins[k]);
        REQUIRE(r.end == ends[k]);
    }
}

TEST_CASE("05.1 chunk_range rejects bad arguments") {
    REQUIRE_THROWS_AS(ch05::chunk_range(10, 0, 0), std::invalid_argument);
    REQUIRE_THROWS_AS(ch05::chunk_range(10, 3, 3), std::invalid_argument);
    REQUIRE_THROWS_AS(ch05::chunk_range(10, 3, -1), std::invalid_argument);
}

TEST_CASE("05.1 evaluate_chunked gives bitwise the serial result for every thread count") {
    // Every element is computed by the same function on the same inputs, whichever thread does it,
    // so the comparison is exact (bit for bit), not within a tolerance.
    for (std::size_t n : {0u, 1u, 3u, 1000u, 12345u}) {
        std::vector<double> x(n), y(n), expected(n);
        ch05::fill_inputs(x, y, 2024 + n);
        for (std::size_t i = 0; i < n; ++i) expected[i] = ch05::kernel(x[i], y[i]);
        for (int threads : wb::testing::thread_counts()) {
            INFO("n = " << n << ", threads = " << threads);
            std::vector<double> out(n, -1.0);
            ch05::evaluate_chunked(x, y, out, threads);
            REQUIRE(same_bits(out, expected));
        }
    }
}

TEST_CASE("05.1 evaluate_chunked with more threads than elements") {
    std::vector<double> x{1.0, 2.0}, y{3.0, 4.0}, out(2, 0.0);
    ch05::evaluate_chunked(x, y, out, 7);
    REQUIRE(out[0] == ch05::kernel(1.0, 3.0));
    REQUIRE(out[1] == ch05::kernel(2.0, 4.0));
}

TEST_CASE("05.1 evaluate_chunked rejects bad arguments") {
    std::vector<double> x(4, 1.0), y(4, 2.0), out(3);
    REQUIRE_THROWS_AS(ch05::evaluate_chunked(x, y, out, 2), std::invalid_argument);
    out.resize(4);
    REQUIRE_THROWS_AS(ch05::evaluate_chunked(x, y, out, 0), std::invalid_argument);
}
