// Tests of exercise 05.1: chunk_range covers [0, n) evenly; evaluate_chunked equals the serial loop, and
// the work really is shared: threads - 1 helpers, all started before anyone waits, the caller taking a
// piece of its own.
#include <algorithm>
#include <bit>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "ch05/chunked.hpp"
#include "ch05/kernels.hpp"
#include "wb/catch.hpp"
#include "wb/testing.hpp"
#include "thread_watch.hpp"

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

TEST_CASE("05.1 evaluate_chunked on one thread is the serial loop") {
    std::vector<double> x(1000), y(1000), out(1000, -1.0);
    ch05::fill_inputs(x, y, 5);
    ch05::evaluate_chunked(x, y, out, 1);
    for (std::size_t i = 0; i < x.size(); ++i) REQUIRE(out[i] == ch05::kernel(x[i], y[i]));
}

TEST_CASE("05.1 evaluate_chunked with more threads than elements") {
    std::vector<double> x{1.0, 2.0}, y{3.0, 4.0}, out(2, 0.0);
    ch05::evaluate_chunked(x, y, out, 7);
    REQUIRE(out[0] == ch05::kernel(1.0, 3.0));
    REQUIRE(out[1] == ch05::kernel(2.0, 4.0));
}

TEST_CASE("05.1 who does the work: threads - 1 helpers started together, the caller taking its share") {
    // Each piece is 2^17 elements (several milliseconds of arithmetic), so the CPU time of starting a
    // thread is small beside it. Two observables, neither a wall-clock ratio:
    //  - wb::testing::measure_spread: the share of the call's CPU time spent on threads other than the
    //    caller is (threads - 1) / threads when the pieces are equal and the caller computes one (0 for a
    //    serial loop, 1 when the caller only waits). Tolerance 0.2: thread start-up and the tail of the
    //    scheduler's accounting, far from the 0.5 that separates the mistakes.
    //  - the thread watch (normal builds): how many threads the call started, whether one was joined
    //    before the last was started, and how much the caller had computed by then.
    const std::size_t piece = std::size_t{1} << 17;
    const int most = wb::testing::thread_counts().back();
    std::vector<double> x(piece * static_cast<std::size_t>(most)), y(x.size()), out(x.size());
    ch05::fill_inputs(x, y, 77);
    for (int threads : wb::testing::thread_counts()) {
        INFO("threads = " << threads);
        const std::size_t n = piece * static_cast<std::size_t>(threads);
        std::span<const double> xs(x.data(), n), ys(y.data(), n);
        std::span<double> outs(out.data(), n);
        watch::ThreadWatch w;
        const auto spread = wb::testing::measure_spread([&] { ch05::evaluate_chunked(xs, ys, outs, threads); });
        const std::vector<watch::Event> log = w.stop();
        for (std::size_t i = 0; i < n; i += 4099) REQUIRE(out[i] == ch05::kernel(x[i], y[i]));

        const double expected = static_cast<double>(threads - 1) / threads;
        INFO("CPU time: " << spread.cpu_seconds << " s in all, " << spread.caller_seconds
                          << " s on the calling thread; share on other threads " << spread.off_caller_share()
                          << ", expected about " << expected
                          << " (0: the caller did everything; 1: the caller only waited)");
        REQUIRE(spread.off_caller_share() > expected - 0.2);
        REQUIRE(spread.off_caller_share() < expected + 0.2);
        if (!watch::watching()) continue;

        const int started = watch::started(log);
        {
            INFO("threads started by the call: " << started << " (the caller computes a piece itself, so "
                                                 << threads - 1 << " helpers are enough)");
            REQUIRE(started == threads - 1);
        }
        double caller_cpu_at_last_start = 0.0;
        bool joined_before_last_start = false, seen_join = false;
        for (const auto& e : log) {
            if (e.what == 'j') seen_join = true;
            if (e.what == 's') {
                joined_before_last_start = joined_before_last_start || seen_join;
                if (e.by_watcher) caller_cpu_at_last_start = e.cpu_before;
            }
        }
        {
            INFO("a helper was joined before the last one was started: the pieces ran one after the other");
            REQUIRE_FALSE(joined_before_last_start);
        }
        INFO("the caller had used " << caller_cpu_at_last_start << " s of CPU when it started the last helper, of "
                                    << spread.caller_seconds
                                    << " s in all: it computed its own piece before the helpers could start");
        REQUIRE(caller_cpu_at_last_start < 0.5 * spread.caller_seconds);
    }
}

TEST_CASE("05.1 evaluate_chunked rejects bad arguments") {
    std::vector<double> x(4, 1.0), y(4, 2.0), out(3);
    REQUIRE_THROWS_AS(ch05::evaluate_chunked(x, y, out, 2), std::invalid_argument);
    out.resize(4);
    REQUIRE_THROWS_AS(ch05::evaluate_chunked(x, y, out, 0), std::invalid_argument);
    REQUIRE_THROWS_AS(ch05::evaluate_chunked(x, y, out, -2), std::invalid_argument);
}
