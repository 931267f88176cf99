// Tests of exercise 03.3: a team of processes summing one array in shared memory.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <vector>

#include "ch03/shared_sum.hpp"
#include "clean.hpp"
#include "wb/catch.hpp"

using ch03::SharedSum;
using namespace ch03_test;

namespace {
// Integer values: every partial sum is an integer far below 2^53, so it is exact in double and the
// result is the same in any order of addition. The tests can then demand equality.
double fill_integers(std::span<double> a, std::uint64_t seed) {
    std::int64_t exact = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto v = static_cast<std::int64_t>((i * 2654435761u + seed) % 2001) - 1000;
        a[i] = static_cast<double>(v);
        exact += v;
    }
    return static_cast<double>(exact);
}
}  // namespace

TEST_CASE("slice: contiguous cover of [0, n), boundaries on cache lines") {
    for (std::size_t n : {0ul, 1ul, 7ul, 8ul, 9ul, 100ul, 12345ul}) {
        for (int procs = 1; procs <= 9; ++procs) {
            std::size_t expect_begin = 0;
            for (int i = 0; i < procs; ++i) {
                const auto [b, e] = SharedSum::slice(n, procs, i);
                REQUIRE(b == expect_begin);
                REQUIRE(e >= b);
                REQUIRE((e == n || e % 8 == 0));
                expect_begin = e;
            }
            REQUIRE(expect_begin == n);
        }
    }
}

TEST_CASE("sum_kernel is exact on integer data of every small length") {
    std::vector<double> a(200);
    for (std::size_t n = 0; n <= a.size(); ++n) {
        const double exact = fill_integers(std::span<double>(a.data(), n), n);
        REQUIRE(ch03::sum_kernel(a.data(), n) == exact);
    }
}

TEST_CASE("SharedSum: exact sums for every process count and awkward sizes") {
    Baseline before;
    for (int procs : wb::testing::thread_counts()) {
        for (std::size_t n : {0ul, 1ul, 7ul, 8ul, 1000ul, 12345ul, (1ul << 20) + 3}) {
            INFO("procs " << procs << ", n " << n);
            SharedSum team(n, procs);
            REQUIRE(team.size() == n);
            REQUIRE(team.procs() == procs);
            REQUIRE(static_cast<int>(team.workers().size()) == procs - 1);
            const double exact = fill_integers(team.data(), n + static_cast<std::size_t>(procs));
            REQUIRE(team.sum() == exact);
            REQUIRE(team.sum() == exact);  // the workers are reused
        }
    }
    require_clean(before);
}

TEST_CASE("SharedSum: the workers see every change the parent makes, without copying") {
    Baseline before;
    {
        SharedSum team(100000, 3);
        auto a = team.data();
        std::fill(a.begin(), a.end(), 1.0);
        REQUIRE(team.sum() == 100000.0);
        a[99999] = 1001.0;  // in the last worker's slice
        REQUIRE(team.sum() == 101000.0);
        std::fill(a.begin(), a.end(), -2.0);
        REQUIRE(team.sum() == -200000.0);
    }
    require_clean(before);
}

TEST_CASE("SharedSum: random data agrees with a careful serial sum") {
    Baseline before;
    std::mt19937_64 rng(20240303);
    std::uniform_real_distribution<double> dist(0.0, 1.0);
    const std::size_t n = 1'000'003;
    for (int procs : {1, 2, 3}) {
        SharedSum team(n, procs);
        long double reference = 0.0L;
        for (double& x : team.data()) {
            x = dist(rng);
            reference += x;
        }
        // Positive terms: any order of summation is within n * eps ~ 1e-10 relative of the exact sum
        // (the bound is loose; blocked sums land far closer). 1e-10 can only fail on a real error.
        REQUIRE_THAT(team.sum(), Catch::Matchers::WithinRel(static_cast<double>(reference), 1e-10));
    }
    require_clean(before);
}

TEST_CASE("SharedSum: the workers are separate processes, children of this one") {
    Baseline before;
    {
        SharedSum team(1000, 4);
        const auto kids = wb::testing::child_processes();
        REQUIRE(kids.size() == 3);
        for (pid_t w : team.workers()) {
            REQUIRE(w != ::getpid());
            REQUIRE(std::find(kids.begin(), kids.end(), w) != kids.end());
        }
    }
    require_clean(before);
}

TEST_CASE("SharedSum: a killed worker makes sum() throw instead of hang, and is reaped") {
    Baseline before;
    {
        SharedSum team(1 << 16, 3);
        std::fill(team.data().begin(), team.data().end(), 1.0);
        REQUIRE(team.sum() == 65536.0);
        const pid_t victim = team.workers()[0];
        ::kill(victim, SIGKILL);           // a worker holding the shared mapping dies
        for (int i = 0; i < 10000; ++i) {  // until it is a zombie (dead, not yet reaped): at most 10 s
            const auto z = wb::testing::zombie_children();
            if (std::find(z.begin(), z.end(), victim) != z.end()) break;
            ::usleep(1000);
        }
        REQUIRE_THROWS_AS(team.sum(), std::runtime_error);
        REQUIRE_THROWS_AS(team.sum(), std::runtime_error);  // and stays broken, still without hanging
    }
    require_clean(before);
}

TEST_CASE("SharedSum rejects a bad process count") {
    Baseline before;
    REQUIRE_THROWS_AS(SharedSum(10, 0), std::invalid_argument);
    REQUIRE_THROWS_AS(SharedSum(10, SharedSum::max_procs + 1), std::invalid_argument);
    require_clean(before);
}
