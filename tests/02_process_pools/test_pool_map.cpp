// Tests of exercise 02.4: map() in chunks over a pool. Results must equal the serial ones exactly,
// for every chunk size and number of workers, and a failed chunk must be reported by its items and
// leave the pool clean and usable.
#include <signal.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "ch02/mandelbrot.hpp"
#include "ch02/pool_map.hpp"
#include "process_checks.hpp"

using namespace ch02;
using ch02_test::contains;

namespace {

struct Functions {
    FunctionTable table;
    MapFn<int, long> square;
    MapFn<int, std::string> spell;
    MapFn<int, int> crash_at_42;
    MapFn<int, int> throw_at_7;
    MapFn<int, std::vector<std::uint32_t>> rows;
};

// A small view: the test must be quick, yet keep rows of very different cost.
View small_view() {
    View v;
    v.width = 96;
    v.height = 40;
    v.max_iter = 300;
    return v;
}

Functions make_functions() {
    Functions f;
    f.square = f.table.add_map<int, long>("square", [](int x) { return long{x} * x; });
    f.spell = f.table.add_map<int, std::string>(
        "spell", [](int x) { return std::string(static_cast<std::size_t>(x % 5), 'a' + x % 26); });
    f.crash_at_42 = f.table.add_map<int, int>("crash_at_42", [](int x) {
        if (x == 42) ::raise(SIGSEGV);
        return x;
    });
    f.throw_at_7 = f.table.add_map<int, int>("throw_at_7", [](int x) {
        if (x == 7) throw std::runtime_error("seven is not allowed");
        return x;
    });
    f.rows = add_mandelbrot_rows(f.table, small_view());
    return f;
}

std::vector<int> iota(int n) {
    std::vector<int> v(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) v[static_cast<std::size_t>(i)] = i;
    return v;
}

PoolOptions with_workers(int n) {
    PoolOptions o;
    o.workers = n;
    return o;
}

}  // namespace

TEST_CASE("auto_chunksize splits into about four chunks per worker, like Python's Pool.map") {
    REQUIRE(auto_chunksize(0, 2) == 1);
    REQUIRE(auto_chunksize(1, 2) == 1);
    REQUIRE(auto_chunksize(8, 2) == 1);
    REQUIRE(auto_chunksize(9, 2) == 2);
    REQUIRE(auto_chunksize(100, 2) == 13);
    REQUIRE(auto_chunksize(100, 4) == 7);
    REQUIRE(auto_chunksize(512, 2) == 64);
    REQUIRE(auto_chunksize(10, 0) == 3);  // no workers is treated as one
}

TEST_CASE("map_chunks cuts [0, n) into chunks in order, and submits every chunk before waiting") {
    // An element-free function: each task's payload is its chunk's bounds, and the worker sends them
    // back, so the test sees exactly which chunks were made, in which order, and what came back where.
    FunctionTable table;
    const FnId span = table.add_raw("span", [](Reader& args, Writer& result) {
        const auto begin = args.get<std::uint64_t>();
        const auto end = args.get<std::uint64_t>();
        args.expect_end();
        result.put(begin);
        result.put(end);
    });
    for (int workers : wb::testing::thread_counts()) {
        INFO("workers: " << workers);
        ch02_test::Leftovers before;
        {
            Pool pool(table, with_workers(workers));
            for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{5}, std::size_t{64}, std::size_t{101}}) {
                for (std::size_t chunk : {std::size_t{0}, std::size_t{1}, std::size_t{3}, std::size_t{64},
                                          std::size_t{1000}}) {
                    INFO("n: " << n << ", chunksize: " << chunk);
                    // Python's rule, written out here so that the test does not trust auto_chunksize.
                    const std::size_t per = 4 * static_cast<std::size_t>(workers);
                    const std::size_t c = chunk != 0 ? chunk : std::max<std::size_t>(1, (n + per - 1) / per);
                    std::vector<std::pair<std::size_t, std::size_t>> made;
                    std::vector<std::size_t> outstanding_then;
                    const ChunkEncoder encode = [&](Writer& w, std::size_t b, std::size_t e) {
                        made.emplace_back(b, e);
                        outstanding_then.push_back(pool.outstanding());
                        w.put<std::uint64_t>(b);
                        w.put<std::uint64_t>(e);
                    };
                    const std::vector<Bytes> out = map_chunks(pool, span, n, chunk, encode);
                    const std::size_t chunks = (n + c - 1) / c;
                    REQUIRE(made.size() == chunks);
                    REQUIRE(out.size() == chunks);
                    for (std::size_t i = 0; i < chunks; ++i) {
                        INFO("chunk " << i);
                        REQUIRE(made[i].first == i * c);
                        REQUIRE(made[i].second == std::min(n, (i + 1) * c));
                        Reader r(out[i]);  // the result of chunk i, in place i
                        REQUIRE(r.get<std::uint64_t>() == made[i].first);
                        REQUIRE(r.get<std::uint64_t>() == made[i].second);
                        r.expect_end();
                    }
                    INFO("while a chunk is encoded, every earlier chunk must be submitted and none collected yet: "
                         "submit them all first, then wait for the results, or the workers take turns");
                    for (std::size_t i = 0; i < chunks; ++i) REQUIRE(outstanding_then[i] == i);
                    REQUIRE(pool.outstanding() == 0);
                }
            }
        }
        before.require_clean();
    }
}

TEST_CASE("map gives the serial results in input order, for every chunk size") {
    for (int workers : wb::testing::thread_counts()) {
        INFO("workers: " << workers);
        ch02_test::Leftovers before;
        {
            Functions f = make_functions();
            Pool pool(f.table, with_workers(workers));
            for (int n : {0, 1, 7, 100, 1000}) {
                const std::vector<int> in = iota(n);
                for (std::size_t chunk :
                     {std::size_t{0}, std::size_t{1}, std::size_t{3}, std::size_t{64}, std::size_t{5000}}) {
                    INFO("n: " << n << ", chunksize: " << chunk);
                    const std::vector<long> out = map(pool, f.square, in, chunk);
                    REQUIRE(out.size() == in.size());
                    for (int i = 0; i < n; ++i) REQUIRE(out[static_cast<std::size_t>(i)] == long{i} * i);
                }
            }
            REQUIRE(pool.outstanding() == 0);
        }
        before.require_clean();
    }
}

TEST_CASE("map carries strings and other non-trivial results") {
    ch02_test::Leftovers before;
    {
        Functions f = make_functions();
        Pool pool(f.table, with_workers(2));
        const std::vector<int> in = iota(300);
        const std::vector<std::string> out = map(pool, f.spell, in, 16);
        for (int x : in)
            REQUIRE(out[static_cast<std::size_t>(x)] == std::string(static_cast<std::size_t>(x % 5), 'a' + x % 26));
    }
    before.require_clean();
}

TEST_CASE("the Mandelbrot image from the pool is bitwise the serial one") {
    const View v = small_view();
    const Image serial = mandelbrot_serial(v);
    for (int workers : wb::testing::thread_counts()) {
        INFO("workers: " << workers);
        ch02_test::Leftovers before;
        {
            Functions f = make_functions();
            Pool pool(f.table, with_workers(workers));
            for (std::size_t chunk : {std::size_t{1}, std::size_t{3}, std::size_t{40}, std::size_t{0}}) {
                INFO("chunk: " << chunk);
                REQUIRE(mandelbrot_pool(pool, f.rows, v, chunk) == serial);  // iteration counts: exact
            }
        }
        before.require_clean();
    }
}

TEST_CASE("a crash in one chunk names its items and the signal; the pool stays clean and usable") {
    for (int workers : wb::testing::thread_counts()) {
        INFO("workers: " << workers);
        ch02_test::Leftovers before;
        {
            Functions f = make_functions();
            Pool pool(f.table, with_workers(workers));
            const std::vector<int> in = iota(100);
            REQUIRE_THROWS_WITH(map(pool, f.crash_at_42, in, 10), contains("items [40, 50): task") &&
                                                                      contains("(crash_at_42) failed") &&
                                                                      contains("SIGSEGV"));
            REQUIRE(pool.outstanding() == 0);  // the other chunks were discarded
            REQUIRE(map(pool, f.square, in, 10) == map(pool, f.square, in, 1));
            REQUIRE(map(pool, f.square, in, 10)[99] == 99L * 99);
            REQUIRE(pool.pids().size() == static_cast<std::size_t>(workers));
            REQUIRE(wb::testing::zombie_children().empty());
        }
        before.require_clean();
    }
}

TEST_CASE("an exception in one chunk names its items and the message") {
    for (int workers : wb::testing::thread_counts()) {
        INFO("workers: " << workers);
        ch02_test::Leftovers before;
        {
            Functions f = make_functions();
            Pool pool(f.table, with_workers(workers));
            const std::vector<int> in = iota(30);
            REQUIRE_THROWS_AS(map(pool, f.throw_at_7, in, 5), TaskError);
            REQUIRE_THROWS_WITH(map(pool, f.throw_at_7, in, 5),
                                contains("items [5, 10): task") && contains("seven is not allowed"));
            REQUIRE(pool.outstanding() == 0);
            REQUIRE(pool.stats().crashes == 0);
            REQUIRE(map(pool, f.throw_at_7, iota(7), 2).size() == 7);
        }
        before.require_clean();
    }
}
