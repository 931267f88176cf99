// Tests of exercise 05.2: the thread pool runs every job, on its own threads, concurrently, and
// submit / wait_all / unfinished / the destructor keep their promises.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "ch05/thread_pool.hpp"
#include "wb/catch.hpp"
#include "wb/testing.hpp"
#include "thread_watch.hpp"

namespace {
// Ends the test program with `message` if the scope is still running after `seconds`: a pool that
// deadlocks (a job that submits while the worker holds the mutex, a wake-up that never comes) then fails
// in seconds with a diagnosis instead of running into the test's timeout.
class Deadline {
public:
    Deadline(double seconds, std::string message)
        : message_(std::move(message)), watchdog_([this, seconds] {
              std::unique_lock lock(mutex_);
              if (!done_cv_.wait_for(lock, std::chrono::duration<double>(seconds), [this] { return done_; })) {
                  std::fprintf(stderr, "\nFAILED (no progress for %.0f s): %s\n", seconds, message_.c_str());
                  std::fflush(stderr);
                  std::_Exit(1);
              }
          }) {}
    ~Deadline() {
        {
            std::lock_guard lock(mutex_);
            done_ = true;
        }
        done_cv_.notify_one();
        watchdog_.join();
    }
    Deadline(const Deadline&) = delete;
    Deadline& operator=(const Deadline&) = delete;

private:
    std::string message_;
    std::mutex mutex_;
    std::condition_variable done_cv_;
    bool done_ = false;
    std::thread watchdog_;  // declared last: it starts once the members above exist
};

// Sets a flag when it goes out of scope: a blocked job is released even when a REQUIRE fails first, so
// that the pool's destructor can join its workers and the test ends instead of hanging.
struct Release {
    std::atomic<bool>& flag;
    ~Release() { flag.store(true); }
};

// Waits (sleeping) until pred() holds or `seconds` have passed; returns pred().
template <class Pred>
bool wait_until(Pred pred, double seconds) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (!pred() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    return pred();
}
}  // namespace

TEST_CASE("05.2 every submitted job runs exactly once and its future becomes ready") {
    const Deadline deadline(20, "not every future became ready: is every queued job taken and run, and are sleeping workers woken by submit?");
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
    const Deadline deadline(20, "wait_all() did not return: does the last job to finish wake it, and does it wait with a predicate?");
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
    const Deadline deadline(10, "a job that submits another job never got on: is a job run while the worker holds the pool's mutex? submit then waits for that mutex forever");
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
    const Deadline deadline(40, "the pool stopped making progress while t jobs waited for each other");
    std::atomic<bool> gave_up{false};  // once one job has waited in vain, the others stop waiting too
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
                // Wait (at most 10 s, so that a pool that runs jobs one at a time fails instead of
                // hanging) until all `threads` jobs are running at once.
                started.fetch_add(1);
                if (!gave_up.load() && !wait_until([&] { return started.load() >= threads; }, 10.0))
                    gave_up.store(true);
                if (started.load() >= threads) met.fetch_add(1);
            });
        pool.wait_all();
        INFO(met.load() << " of " << threads << " jobs saw all " << threads
                        << " running at once: is a job run while the pool's mutex is held?");
        REQUIRE(met.load() == threads);
        REQUIRE(static_cast<int>(ids.size()) == threads);
        REQUIRE(ids.count(std::this_thread::get_id()) == 0);
    }
}

TEST_CASE("05.2 a job counts as unfinished until it has run, and wait_all waits for running jobs") {
    const Deadline deadline(40, "the pool stopped making progress while jobs were blocked");
    for (int threads : wb::testing::thread_counts()) {
        INFO("threads = " << threads);
        std::atomic<bool> release{false};
        std::atomic<int> running{0}, finished{0};
        ch05::ThreadPool pool(threads);
        const Release guard{release};  // destroyed before the pool: the blocked jobs end first
        // One blocking job per worker: each is taken from the queue and then waits, running.
        for (int i = 0; i < threads; ++i)
            pool.submit([&] {
                running.fetch_add(1);
                wait_until([&] { return release.load(); }, 30.0);
                finished.fetch_add(1);
            });
        REQUIRE(wait_until([&] { return running.load() == threads; }, 10.0));
        // The queue is empty now, but every job is still running: all of them are unfinished.
        INFO("unfinished() while " << threads << " jobs were running: " << pool.unfinished()
                                   << ". A job must count until it has run, not until it was taken.");
        REQUIRE(pool.unfinished() == static_cast<std::size_t>(threads));
        std::atomic<bool> waited{false};
        std::thread waiter([&] {
            pool.wait_all();
            waited.store(true);
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        const bool returned_early = waited.load();
        release.store(true);
        waiter.join();
        REQUIRE_FALSE(returned_early);
        REQUIRE(finished.load() == threads);
        REQUIRE(pool.unfinished() == 0);
    }
}

TEST_CASE("05.2 threads are started by the constructor only: submit and wait_all reuse them") {
    const Deadline deadline(20, "the pool stopped making progress");
    if (!watch::watching()) {
        WARN("thread watch compiled out under a sanitizer: the normal build checks this");
        return;
    }
    for (int threads : wb::testing::thread_counts()) {
        INFO("threads = " << threads);
        watch::ThreadWatch w;
        std::atomic<int> ran{0};
        {
            ch05::ThreadPool pool(threads);
            const int after_constructor = watch::started(w.stop());
            INFO("the constructor started " << after_constructor << " threads");
            REQUIRE(after_constructor == threads);
            watch::ThreadWatch during_jobs;
            for (int i = 0; i < 50; ++i) pool.submit([&ran] { ran.fetch_add(1); });
            pool.wait_all();
            const int by_submit = watch::started(during_jobs.stop());
            INFO("submit and wait_all started " << by_submit << " threads: a pool reuses its workers");
            REQUIRE(by_submit == 0);
        }
        REQUIRE(ran.load() == 50);
    }
}

TEST_CASE("05.2 an exception thrown by a job comes out of its future, and the pool keeps working") {
    const Deadline deadline(20, "after a job threw, the pool stopped running jobs");
    ch05::ThreadPool pool(2);
    auto bad = pool.submit([] { throw std::runtime_error("job failed"); });
    REQUIRE_THROWS_AS(bad.get(), std::runtime_error);
    std::atomic<int> ran{0};
    pool.submit([&ran] { ran.fetch_add(1); }).get();
    pool.wait_all();
    REQUIRE(ran.load() == 1);
}

TEST_CASE("05.2 the destructor runs the jobs still queued, then joins its threads") {
    const Deadline deadline(10, "the destructor did not return: does it wake every worker, and does each one return once the queue is empty?");
    std::atomic<int> finished{0};
    {
        ch05::ThreadPool pool(2);
        for (int i = 0; i < 100; ++i) pool.submit([&finished] { finished.fetch_add(1); });
    }
    REQUIRE(finished.load() == 100);
}

TEST_CASE("05.2 jobs still queued when the pool is destroyed are run, not dropped") {
    const Deadline deadline(10, "destroying the pool did not finish");
    // One worker, blocked in a first job while 100 more wait in the queue; the destructor starts (and
    // sets the pool stopping) before the first job is released.
    std::atomic<bool> release{false};
    std::atomic<int> finished{0};
    auto pool = std::make_unique<ch05::ThreadPool>(1);
    std::atomic<bool> running{false};
    pool->submit([&] {
        running.store(true);
        wait_until([&] { return release.load(); }, 30.0);
    });
    for (int i = 0; i < 100; ++i) pool->submit([&finished] { finished.fetch_add(1); });
    REQUIRE(wait_until([&] { return running.load(); }, 10.0));
    std::thread destroyer([&pool] { pool.reset(); });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    release.store(true);
    destroyer.join();
    INFO("jobs run of the 100 queued behind the blocked one: " << finished.load());
    REQUIRE(finished.load() == 100);
}

TEST_CASE("05.2 a pool of one thread works, and a pool needs at least one") {
    const Deadline deadline(20, "a pool of one thread stopped making progress");
    ch05::ThreadPool one(1);
    REQUIRE(one.size() == 1);
    std::thread::id ran_on;
    one.submit([&ran_on] { ran_on = std::this_thread::get_id(); }).get();
    REQUIRE(ran_on != std::this_thread::get_id());
    REQUIRE_THROWS_AS(ch05::ThreadPool(0), std::invalid_argument);
    REQUIRE_THROWS_AS(ch05::ThreadPool(-1), std::invalid_argument);
}
