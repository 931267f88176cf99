// Tests of exercise 02.2: reaping children and describing how they ended, with real processes that
// exit, crash, and get killed.
#include <signal.h>
#include <sys/prctl.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
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

// After reap() has returned, the child must be gone for good: reaped, so that waitpid no longer
// knows it. (A zombie would still be known; the test's own clean-up would hide it.)
void require_reaped(pid_t pid) {
    errno = 0;
    const pid_t r = ::waitpid(pid, nullptr, WNOHANG);
    INFO("reap() returned, but the child is still a zombie or still running: it must be waited for");
    REQUIRE(r == -1);
    REQUIRE(errno == ECHILD);
}

}  // namespace

TEST_CASE("a normal exit is reported with its exit status") {
    ch02_test::Leftovers before;
    for (int code : {0, 3, 255}) {
        Child child([code] { ::_exit(code); });
        const int status = ch02::reap(child.pid(), 10s);
        require_reaped(child.pid());
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
        require_reaped(child.pid());
        REQUIRE(WIFSIGNALED(status));
        REQUIRE(WTERMSIG(status) == SIGSEGV);
        const std::string text = ch02::describe_exit(status);
        REQUIRE_THAT(text, contains("killed by signal 11 (SIGSEGV: Segmentation fault)"));
    }
    SECTION("SIGABRT, from abort()") {
        Child child([] { std::abort(); });
        const std::string text = ch02::describe_exit(ch02::reap(child.pid(), 10s));
        require_reaped(child.pid());
        REQUIRE_THAT(text, contains("killed by signal 6 (SIGABRT: Aborted)"));
    }
    SECTION("SIGKILL, sent from outside") {
        Child child([] { sleep_forever(); });
        REQUIRE(::kill(child.pid(), SIGKILL) == 0);
        const std::string text = ch02::describe_exit(ch02::reap(child.pid(), 10s));
        require_reaped(child.pid());
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
    for (auto grace : {0ms, 50ms}) {
        INFO("grace: " << grace.count() << " ms");
        // The child would exit by itself with status 0 after 10 s (so that a reap() that only waits
        // fails the test instead of hanging it); with a grace of 50 ms it must be killed long before.
        Child child([] {
            ::sleep(10);
            ::_exit(0);
        });
        const int status = ch02::reap(child.pid(), grace);
        require_reaped(child.pid());
        INFO("status: " << ch02::describe_exit(status));
        INFO("a child still running when the grace period is over must be killed with SIGKILL");
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
        require_reaped(child.pid());
        INFO("status: " << ch02::describe_exit(status));
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
        require_reaped(child.pid());
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

TEST_CASE("reap never signals a process that is not its child") {
    ch02_test::Leftovers before;
    {
        // Our child forks a grandchild, which is a child of our child, not of ours. reap() of the
        // grandchild must fail at once, and the grandchild must live on: it exits by itself when we
        // write to `go`, and our child reports how it ended (exit 0: it exited; 1: it was killed).
        int ids[2], go[2];
        REQUIRE(::pipe(ids) == 0);
        REQUIRE(::pipe(go) == 0);
        Child child([&] {
            const pid_t grandchild = ::fork();
            if (grandchild == 0) {
                ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the test
                char c = 0;
                [[maybe_unused]] const ssize_t got = ::read(go[0], &c, 1);
                ::_exit(0);
            }
            [[maybe_unused]] const ssize_t put = ::write(ids[1], &grandchild, sizeof grandchild);
            int st = 0;
            while (::waitpid(grandchild, &st, 0) < 0 && errno == EINTR) {
            }
            ::_exit(WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1);
        });
        ::close(ids[1]);
        ::close(go[0]);
        pid_t grandchild = -1;
        REQUIRE(::read(ids[0], &grandchild, sizeof grandchild) == sizeof grandchild);
        ::close(ids[0]);
        bool threw = false;
        try {
            ch02::reap(grandchild, 200ms);
        } catch (const std::system_error&) {
            threw = true;
        } catch (...) {
            ::close(go[1]);  // the grandchild exits, and our child with it
            throw;
        }
        REQUIRE(::write(go[1], "x", 1) == 1);
        ::close(go[1]);
        const int status = child.wait();
        REQUIRE(threw);
        INFO("reap() sent a signal to a pid that is not its child: that pid may belong to anyone");
        REQUIRE(WIFEXITED(status));
        REQUIRE(WEXITSTATUS(status) == 0);
    }
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
