// Tests of exercise 07.5: the blocked matrix multiply, on every path this CPU runs.
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include "ch07/matmul.hpp"
#include "wb/catch.hpp"
#include "wb/isa.hpp"

namespace {

struct Case {
    int m, n, k;
};

std::vector<double> random_matrix(std::size_t count, std::uint64_t seed) {
    std::vector<double> v(count);
    std::mt19937_64 gen(seed);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    for (auto& x : v) x = u(gen);
    return v;
}

std::uint64_t calls(wb::Isa isa) { return ch07::microkernel_calls[static_cast<int>(isa)].load(); }

// Multiplies with every path and compares each entry with the naive triple loop, summed in long double
// (64-bit mantissa on x86-64: its own error is far below the bound). The bound: any order of a k-term
// dot product, with or without FMAs, errs by at most about k * eps * sum_p |a_ip b_pj| (the classic
// gamma_k bound); k + 2 leaves room for the final additions into C. A tile or block that is skipped, or
// a C that was not cleared, is off by O(1) or by the garbage, many orders above the bound.
void check(const Case& t, std::uint64_t seed) {
    INFO("m = " << t.m << ", n = " << t.n << ", k = " << t.k);
    const auto m = static_cast<std::size_t>(t.m), n = static_cast<std::size_t>(t.n), k = static_cast<std::size_t>(t.k);
    const std::vector<double> a = random_matrix(m * k, seed), b = random_matrix(k * n, seed + 1);
    std::vector<double> ref(m * n), bound(m * n);
    for (std::size_t i = 0; i < m; ++i) {
        for (std::size_t j = 0; j < n; ++j) {
            long double s = 0, abs_s = 0;
            for (std::size_t p = 0; p < k; ++p) {
                s += static_cast<long double>(a[i * k + p]) * b[p * n + j];
                abs_s += std::abs(static_cast<long double>(a[i * k + p]) * b[p * n + j]);
            }
            ref[i * n + j] = static_cast<double>(s);
            bound[i * n + j] = static_cast<double>(k + 2) * std::numeric_limits<double>::epsilon() * static_cast<double>(abs_s);
        }
    }
    for (wb::Isa isa : wb::isas_on_this_cpu()) {
        INFO("path " << wb::isa_name(isa));
        std::vector<double> c(m * n, 7.25);  // garbage: the result must not depend on it
        const std::uint64_t before[3] = {calls(wb::Isa::scalar), calls(wb::Isa::avx2), calls(wb::Isa::avx512)};
        ch07::matmul_blocked(a, b, c, t.m, t.n, t.k, isa);
        std::size_t bad = 0, first_bad = 0;
        for (std::size_t i = 0; i < m * n; ++i) {
            if (!(std::abs(c[i] - ref[i]) <= bound[i])) {
                if (bad++ == 0) first_bad = i;
            }
        }
        INFO(bad << " wrong entries; the first at row " << (bad ? first_bad / n : 0) << ", column "
                  << (bad ? first_bad % n : 0) << ": got " << (bad ? c[first_bad] : 0.0) << ", expected "
                  << (bad ? ref[first_bad] : 0.0));
        REQUIRE(bad == 0);
        // Which kernel did the work: the one of the path asked for, and no other (when there was work).
        if (t.m > 0 && t.n > 0 && t.k > 0) {
            for (wb::Isa other : wb::all_isas) {
                const std::uint64_t ran = calls(other) - before[static_cast<int>(other)];
                INFO("micro-kernel of path " << wb::isa_name(other) << " ran " << ran << " times");
                if (other == isa) {
                    REQUIRE(ran > 0);
                } else {
                    REQUIRE(ran == 0);
                }
            }
        }
    }
}

}  // namespace

TEST_CASE("07.5 tiny and odd sizes, none a multiple of any tile") {
    std::uint64_t seed = 1;
    for (const Case& t : {Case{1, 1, 1}, Case{1, 1, 5}, Case{2, 3, 4}, Case{5, 7, 3}, Case{13, 17, 19},
                          Case{1, 33, 9}, Case{31, 1, 9}, Case{12, 16, 8}, Case{6, 8, 8}, Case{25, 41, 37}}) {
        check(t, seed++);
    }
}

TEST_CASE("07.5 sizes past one cache block in m, n and k") {
    // k past 256 and m past 192 (the reference's blocks, and larger than most choices) with ragged ends;
    // n past 2048 with few rows and a short k to keep the naive reference quick.
    std::uint64_t seed = 100;
    for (const Case& t : {Case{197, 45, 301}, Case{70, 130, 520}, Case{403, 23, 17}, Case{3, 2061, 5},
                          Case{64, 64, 64}}) {
        check(t, seed++);
    }
}

TEST_CASE("07.5 k = 0 gives a zero C; empty m or n is allowed") {
    for (wb::Isa isa : wb::isas_on_this_cpu()) {
        INFO("path " << wb::isa_name(isa));
        std::vector<double> a, b, c(12, 3.0);
        ch07::matmul_blocked(a, b, c, 3, 4, 0, isa);
        for (double x : c) REQUIRE(x == 0.0);
        std::vector<double> a2, b2(5 * 4), c2;  // A is 0 x 5, C is 0 x 4
        REQUIRE_NOTHROW(ch07::matmul_blocked(a2, b2, c2, 0, 4, 5, isa));
    }
}

TEST_CASE("07.5 wrong sizes and missing paths throw std::invalid_argument") {
    std::vector<double> a(6), b(12), c(8), c_short(7);  // A 2 x 3, B 3 x 4, C 2 x 4
    REQUIRE_NOTHROW(ch07::matmul_blocked(a, b, c, 2, 4, 3, wb::Isa::scalar));
    REQUIRE_THROWS_AS(ch07::matmul_blocked(a, b, c_short, 2, 4, 3, wb::Isa::scalar), std::invalid_argument);
    REQUIRE_THROWS_AS(ch07::matmul_blocked(a, b, c, 2, 3, 4, wb::Isa::scalar), std::invalid_argument);
    REQUIRE_THROWS_AS(ch07::matmul_blocked(a, b, c, -2, -4, 3, wb::Isa::scalar), std::invalid_argument);
    for (wb::Isa isa : wb::all_isas) {
        if (!wb::cpu_has(isa)) {
            INFO("path " << wb::isa_name(isa) << ", which this CPU lacks");
            REQUIRE_THROWS_AS(ch07::matmul_blocked(a, b, c, 2, 4, 3, isa), std::invalid_argument);
        }
    }
}
