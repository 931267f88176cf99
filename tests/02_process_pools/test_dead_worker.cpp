// Tests of exercise 02.2: reaping children and describing how they ended, with real processes that
// exit, crash, and get killed.
#include <signal.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <system_error>

#include "ch02/dead_worker.hpp"
#include "process_checks.hpp"

using namespace std::chrono_literals;
using ch02_test::Child;
using ch02_test::contains;

namespace {

[[noreturn]] void sleep_forever() {
    for (;;) ::pause();
}

}  // namespace

TEST_CASE("a normal exit is reported with its exit status") {
    ch02_test::Leftovers before;
    for (int code : {0, 3, 255}) {
        Child child([code] { ::_exit(code); });
        const int status = ch02::reap(child.pid(), 10s);
        REQUIRE(WIFEXITED(status));
        REQUIRE(WEXITSTATUS(status) == code);
        REQUIRE(ch02::describe_exit(status) == "exited with status " + std::to_string(code));
    }
    before.require_clean();
}

TEST_CASE("a crash is reported with the signal's number, name and description") {
    ch02_test::Leftovers before;
    SECTION("SIGSEGV, raised by the child") {
        Child child([] { ::raise(SIGSEGV); });
        const int status = ch02::reap(child.pid(), 10s);
        REQUIRE(WIFSIGNALED(status));
        REQUIRE(WTERMSIG(status) == SIGSEGV);
        const std::string text = ch02::describe_exit(status);
        REQUIRE_THAT(text, contains("killed by signal 11 (SIGSEGV: Segmentation fault)"));
    }
    SECTION("SIGABRT, from abort()") {
        Child child([] { std::abort(); });
        const std::string text = ch02::describe_exit(ch02::reap(child.pid(), 10s));
        REQUIRE_THAT(text, contains("killed by signal 6 (SIGABRT: Aborted)"));
    }
    SECTION("SIGKILL, sent from outside") {
        Child child([] { sleep_forever(); });
        REQUIRE(::kill(child.pid(), SIGKILL) == 0);
        const std::string text = ch02::describe_exit(ch02::reap(child.pid(), 10s));
        REQUIRE(text == "killed by signal 9 (SIGKILL: Killed)");  // SIGKILL never dumps core
    }
    SECTION("SIGTERM, sent from outside") {
        Child child([] { sleep_forever(); });
        REQUIRE(::kill(child.pid(), SIGTERM) == 0);
        const std::string text = ch02::describe_exit(ch02::reap(child.pid(), 10s));
        REQUIRE(text == "killed by signal 15 (SIGTERM: Terminated)");
    }
    before.require_clean();
}

TEST_CASE("reap kills a child that outlives the grace period") {
    ch02_test::Leftovers before;
    {
        Child child([] { sleep_forever(); });
        const int status = ch02::reap(child.pid(), 50ms);
        REQUIRE(WIFSIGNALED(status));
        REQUIRE(WTERMSIG(status) == SIGKILL);
    }
    before.require_clean();
}

TEST_CASE("reap waits for a child that ends within the grace period") {
    ch02_test::Leftovers before;
    {
        Child child([] {
            ::usleep(100'000);
            ::_exit(5);
        });
        const int status = ch02::reap(child.pid(), 30s);
        REQUIRE(WIFEXITED(status));
        REQUIRE(WEXITSTATUS(status) == 5);
    }
    before.require_clean();
}

namespace {
volatile sig_atomic_t g_alarms = 0;
extern "C" void on_alarm(int) { g_alarms = g_alarms + 1; }
}  // namespace

TEST_CASE("reap carries on when signals interrupt its wait (EINTR)") {
    ch02_test::Leftovers before;
    // A SIGALRM every 2 ms, with a handler installed without SA_RESTART: blocking calls in this
    // process fail with EINTR again and again while the child runs. (Interval timers are not inherited
    // across fork, so the child is not disturbed.)
    struct sigaction sa {};
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    struct sigaction old {};
    REQUIRE(::sigaction(SIGALRM, &sa, &old) == 0);
    g_alarms = 0;
    int status = -1;
    {
        Child child([] {
            ::usleep(200'000);
            ::_exit(7);
        });
        itimerval every_2ms{{0, 2000}, {0, 2000}};
        ::setitimer(ITIMER_REAL, &every_2ms, nullptr);
        try {
            status = ch02::reap(child.pid(), 30s);
        } catch (...) {
            itimerval off{};
            ::setitimer(ITIMER_REAL, &off, nullptr);
            ::sigaction(SIGALRM, &old, nullptr);
            throw;
        }
        itimerval off{};
        ::setitimer(ITIMER_REAL, &off, nullptr);
    }
    ::sigaction(SIGALRM, &old, nullptr);
    REQUIRE(g_alarms > 0);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 7);
    before.require_clean();
}

TEST_CASE("reap refuses a process that is not a child") {
    ch02_test::Leftovers before;
    pid_t gone = -1;
    {
        Child child([] {});
        gone = child.pid();
        child.wait();  // reaped here: its pid no longer names a child of ours
    }
    REQUIRE_THROWS_AS(ch02::reap(gone, 0ms), std::system_error);
    before.require_clean();
}

TEST_CASE("describe_exit mentions a core dump when there was one") {
    // Build the status as the kernel does, since this test must not write core files: the signal in
    // the low 7 bits, bit 7 set for "core dumped".
    const int status = SIGSEGV | 0x80;
    REQUIRE(WIFSIGNALED(status));
    REQUIRE(WCOREDUMP(status));
    REQUIRE(ch02::describe_exit(status) == "killed by signal 11 (SIGSEGV: Segmentation fault), core dumped");
}
