// Tests of exercise 01.3: run_process_workers.
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <thread>

#include "ch01/posix.hpp"
#include "ch01/process_workers.hpp"
#include "checks.hpp"
#include "wb/catch.hpp"
#include "wb/testing.hpp"

namespace {

double slice_sum(int i) {
    double s = 0.0;
    for (int k = 1000 * i + 1; k <= 1000 * (i + 1); ++k) s += 1.0 / (static_cast<double>(k) * k);
    return s;
}

int g_counter = 0;  // each child increments its own copy

// What the learner reads when a call hangs.
const std::string kAdvice =
    "run_process_workers did not finish: the parent waits for a pipe that never reaches end of file. "
    "Does the parent close its copy of each pipe's write end right after the fork? While any write end "
    "is open, a child that exits without sending leaves its reader waiting for ever.";

}  // namespace

TEST_CASE("01.3 every child's result comes back through its pipe, in order") {
    const int fds_before = wb::testing::open_descriptors();
    for (int n : wb::testing::thread_counts()) {
        INFO("workers: " << n);
        const auto out = ch01_tests::guarded(kAdvice, [&] { return ch01::run_process_workers(n, slice_sum); });
        REQUIRE(out.size() == static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) {
            INFO("child " << i << " (exit code 99: it came back out of run_process_workers instead of calling _exit)");
            const auto& o = out[static_cast<std::size_t>(i)];
            REQUIRE(o.has_value);
            // Exact comparison: the child runs the same machine code on the same input as this call, and
            // its 8 bytes come through the pipe unchanged.
            REQUIRE(o.value == slice_sum(i));
            REQUIRE(o.exit_code == 0);
            REQUIRE(o.signal == 0);
        }
        ch01_tests::require_nothing_left(fds_before);
    }
}

TEST_CASE("01.3 zero workers give an empty result; a negative count is an error") {
    REQUIRE(ch01_tests::in_parent([&] { return ch01::run_process_workers(0, slice_sum); }).empty());
    REQUIRE_THROWS_AS(ch01_tests::in_parent([&] { return ch01::run_process_workers(-1, slice_sum); }),
                      std::invalid_argument);
}

TEST_CASE("01.3 each child works on its own copy of the parent's memory") {
    const int fds_before = wb::testing::open_descriptors();
    g_counter = 0;
    const auto out = ch01_tests::guarded(
        kAdvice, [&] { return ch01::run_process_workers(4, [](int) { return static_cast<double>(++g_counter); }); });
    REQUIRE(out.size() == 4);
    for (const auto& o : out) REQUIRE(o.value == 1.0);  // each child saw 0 and made it 1 in its copy
    REQUIRE(g_counter == 0);                            // the parent's copy was never touched
    ch01_tests::require_nothing_left(fds_before);
}

TEST_CASE("01.3 a child that fails, exits early or is killed is reported, and reaped") {
    const int fds_before = wb::testing::open_descriptors();
    const auto work = [](int i) -> double {
        if (i == 1) throw std::runtime_error("no result");
        if (i == 2) ::_exit(7);
        if (i == 3) ::raise(SIGKILL);
        return 10.0 * i;
    };
    const auto out = ch01_tests::guarded(kAdvice, [&] { return ch01::run_process_workers(5, work); });
    REQUIRE(out.size() == 5);
    CHECK((out[0].has_value && out[0].value == 0.0 && out[0].exit_code == 0 && out[0].signal == 0));
    CHECK((!out[1].has_value && out[1].exit_code == 1 && out[1].signal == 0));
    CHECK((!out[2].has_value && out[2].exit_code == 7 && out[2].signal == 0));
    CHECK((!out[3].has_value && out[3].exit_code == -1 && out[3].signal == SIGKILL));
    CHECK((out[4].has_value && out[4].value == 40.0 && out[4].exit_code == 0 && out[4].signal == 0));
    ch01_tests::require_nothing_left(fds_before);
}

TEST_CASE("01.3 the children run at the same time") {
    // Two counters in memory that stays shared after fork() (MAP_SHARED; ordinary memory is copied):
    // each child counts itself in, then waits (at most 3 s) until all n have arrived. All n arrive only
    // if all n are alive at once: a parent that reads and reaps child i before it forks child i+1
    // leaves child 0 waiting alone. Whoever gives up tells the others, so a wrong version fails after
    // 3 s, not after 3 s per child.
    static_assert(std::atomic<int>::is_always_lock_free, "a lock-free atomic works across processes");
    void* const mem = ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    REQUIRE(mem != MAP_FAILED);
    auto* const arrived = new (mem) std::atomic<int>(0);
    auto* const gave_up = new (static_cast<char*>(mem) + 64) std::atomic<int>(0);
    const int fds_before = wb::testing::open_descriptors();
    for (int n : wb::testing::thread_counts()) {
        INFO("workers: " << n);
        arrived->store(0);
        gave_up->store(0);
        const auto work = [&](int) {
            arrived->fetch_add(1);
            const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
            while (arrived->load() < n && gave_up->load() == 0 && std::chrono::steady_clock::now() < deadline)
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            if (arrived->load() >= n) return 1.0;
            gave_up->store(1);
            return 0.0;
        };
        const auto out = ch01_tests::guarded(kAdvice, [&] { return ch01::run_process_workers(n, work); });
        REQUIRE(out.size() == static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) {
            INFO("child " << i << " waited in vain for the others: does the parent read a child's result before "
                 "it has forked every child?");
            REQUIRE(out[static_cast<std::size_t>(i)].value == 1.0);
            REQUIRE(out[static_cast<std::size_t>(i)].exit_code == 0);
        }
        ch01_tests::require_nothing_left(fds_before);
    }
    ::munmap(mem, 4096);
}

TEST_CASE("01.3 a child ends with _exit, so the parent's buffered output is written once") {
    // The parent has a line waiting in a stdio buffer (not yet written) when it forks: every child
    // gets a copy of that buffer. _exit() ends a child without flushing it; exit() would flush the
    // copy, run the parent's atexit handlers and destructors of static objects, and the line would
    // come out once per child as well. A pipe collects what is written, to be counted after.
    const int fds_before = wb::testing::open_descriptors();
    int ends[2];
    REQUIRE(::pipe2(ends, O_CLOEXEC) == 0);
    ch01::Fd read_end(ends[0]);
    // Owns ends[1] from here: fclose() flushes and closes it, also when the test stops early (before
    // read_end closes, which is declared first: a flush into a pipe without reader would be SIGPIPE).
    const auto close_file = [](std::FILE* f) { std::fclose(f); };
    std::unique_ptr<std::FILE, decltype(close_file)> out(::fdopen(ends[1], "w"), close_file);
    REQUIRE(out != nullptr);
    REQUIRE(std::setvbuf(out.get(), nullptr, _IOFBF, 4096) == 0);
    const std::string line = "written by the parent, before it forked\n";
    REQUIRE(std::fputs(line.c_str(), out.get()) >= 0);  // stays in the buffer: nothing written yet

    const auto results = ch01_tests::guarded(kAdvice, [&] { return ch01::run_process_workers(3, slice_sum); });
    REQUIRE(results.size() == 3);
    REQUIRE(std::fclose(out.release()) == 0);  // the parent's flush: the line, once

    std::string got;
    char buf[4096];
    for (ssize_t n; (n = ::read(read_end.get(), buf, sizeof buf)) > 0;) got.append(buf, static_cast<std::size_t>(n));
    read_end.reset();
    INFO("the line came out " << got.size() / line.size() << " times: do the children end with exit() or return "
         "instead of _exit()?");
    REQUIRE(got == line);
    for (const auto& r : results) REQUIRE(r.exit_code == 0);
    ch01_tests::require_nothing_left(fds_before);
}
