// Tests of exercise 05.2: the thread pool runs every job, on its own threads, concurrently, and
// submit / wait_all / the destructor keep their promises.
#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "ch05/thread_pool.hpp"
#include "wb/catch.hpp"
#include "wb/testing.hpp"

TEST_CASE("05.2 every submitted job runs exactly once and its future becomes ready") {
    for (int threads : wb::testing::thread_counts()) {
        INFO("threads = " << threads);
        ch05::ThreadPool pool(threads);
        REQUIRE(pool.size() == threads);
        std::vector<int> runs(500, 0);
        std::vector<std::future<void>> done;
        for (std::size_t i = 0; i < runs.size(); ++i) done.push_back(pool.submit([&runs, i] { runs[i] += 1; }));
        for (auto& f : done) f.get();
        for (int r : runs) REQUIRE(r == 1);
    }
}

TEST_CASE("05.2 wait_all returns only when every job has finished") {
    for (int threads : wb::testing::thread_counts()) {
        INFO("threads = " << threads);
        ch05::ThreadPool pool(threads);
        std::atomic<int> finished{0};
        for (int i = 0; i < 200; ++i)
            pool.submit([&finished] {
                std::this_thread::sleep_for(std::chrono::microseconds(50));
                finished.fetch_add(1);
            });
        pool.wait_all();
        REQUIRE(finished.load() == 200);
        REQUIRE(pool.unfinished() == 0);
        pool.wait_all();  // nothing pending: returns at once
        REQUIRE(finished.load() == 200);
    }
}

TEST_CASE("05.2 jobs submitted by jobs are waited for too") {
    ch05::ThreadPool pool(2);
    std::atomic<int> finished{0};
    for (int i = 0; i < 20; ++i)
        pool.submit([&pool, &finished] {
            for (int j = 0; j < 5; ++j) pool.submit([&finished] { finished.fetch_add(1); });
            finished.fetch_add(1);
        });
    pool.wait_all();
    REQUIRE(finished.load() == 20 * 6);
}

TEST_CASE("05.2 a pool of t threads runs t jobs at the same time, on t distinct threads, not the caller's") {
    for (int threads : wb::testing::thread_counts()) {
        INFO("threads = " << threads);
        ch05::ThreadPool pool(threads);
        std::atomic<int> started{0};
        std::atomic<int> met{0};
        std::mutex m;
        std::set<std::thread::id> ids;
        for (int i = 0; i < threads; ++i)
            pool.submit([&] {
                {
                    std::lock_guard lock(m);
                    ids.insert(std::this_thread::get_id());
                }
                // Wait (at most 10 s, so a pool that runs jobs one at a time fails instead of hanging)
                // until all `threads` jobs are running at once.
                started.fetch_add(1);
                const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
                while (started.load() < threads && std::chrono::steady_clock::now() < deadline)
                    std::this_thread::sleep_for(std::chrono::microseconds(100));
                if (started.load() >= threads) met.fetch_add(1);
            });
        pool.wait_all();
        REQUIRE(met.load() == threads);
        REQUIRE(static_cast<int>(ids.size()) == threads);
        REQUIRE(ids.count(std::this_thread::get_id()) == 0);
    }
}

TEST_CASE("05.2 an exception thrown by a job comes out of its future, and the pool keeps working") {
    ch05::ThreadPool pool(2);
    auto bad = pool.submit([] { throw std::runtime_error("job failed"); });
    REQUIRE_THROWS_AS(bad.get(), std::runtime_error);
    std::atomic<int> ran{0};
    pool.submit([&ran] { ran.fetch_add(1); }).get();
    pool.wait_all();
    REQUIRE(ran.load() == 1);
}

TEST_CASE("05.2 the destructor runs the jobs still queued, then joins its threads") {
    std::atomic<int> finished{0};
    {
        ch05::ThreadPool pool(2);
        for (int i = 0; i < 100; ++i) pool.submit([&finished] { finished.fetch_add(1); });
    }
    REQUIRE(finished.load() == 100);
}

TEST_CASE("05.2 a pool needs at least one thread") {
    REQUIRE_THROWS_AS(ch05::ThreadPool(0), std::invalid_argument);
}
