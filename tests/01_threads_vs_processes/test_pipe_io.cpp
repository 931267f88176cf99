// Tests of exercise 01.2: write_all and read_all.
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <exception>
#include <fstream>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "ch01/pipe_io.hpp"
#include "ch01/posix.hpp"
#include "checks.hpp"
#include "wb/catch.hpp"
#include "wb/testing.hpp"

namespace {

// 1 MiB: sixteen times what a pipe holds by default, so one read() or write() cannot move it all.
constexpr std::size_t kBig = std::size_t{1} << 20;

std::vector<std::byte> pattern(std::size_t n) {
    std::vector<std::byte> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::byte>((i * 2654435761u) >> 13);
    return v;
}

std::atomic<int> g_signals{0};
void count_signal(int) { g_signals.fetch_add(1); }

// While alive: SIGUSR1 runs count_signal and, without SA_RESTART, interrupts a blocked read() or
// write() (which then fails with EINTR or returns a partial count). Restores the old action after.
struct InterruptingSignal {
    struct sigaction old {};
    InterruptingSignal() {
        struct sigaction sa {};
        sa.sa_handler = count_signal;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = 0;
        sigaction(SIGUSR1, &sa, &old);
    }
    ~InterruptingSignal() { sigaction(SIGUSR1, &old, nullptr); }
};

// True once thread `tid` is asleep in the kernel (state S, here: blocked in read() or write());
// false if it finished first or 5 s passed.
bool wait_until_blocked(const std::atomic<pid_t>& tid, const std::atomic<bool>& finished) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < deadline && !finished.load()) {
        if (const pid_t t = tid.load(); t != 0) {
            std::ifstream in("/proc/self/task/" + std::to_string(t) + "/stat");
            std::string line;
            if (std::getline(in, line)) {
                const auto close = line.rfind(')');
                if (close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'S') return true;
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return false;
}

// Sends SIGUSR1 to `thread` three times, each time once it is blocked in the kernel.
void interrupt_three_times(std::thread& thread, const std::atomic<pid_t>& tid, const std::atomic<bool>& finished) {
    for (int k = 0; k < 3; ++k) {
        if (!wait_until_blocked(tid, finished)) return;
        pthread_kill(thread.native_handle(), SIGUSR1);
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

}  // namespace

TEST_CASE("01.2 a megabyte goes through a pipe whole and in order") {
    ch01_tests::IgnoreSigpipe no_sigpipe;
    const int fds_before = wb::testing::open_descriptors();
    const auto sent = pattern(kBig);
    std::vector<std::byte> got(kBig);
    std::size_t n_read = 0;
    std::exception_ptr reader_error;
    {
        ch01::Pipe p = ch01::make_pipe();
        std::thread reader([&] {
            try {
                n_read = ch01::read_all(p.read_end.get(), got);
            } catch (...) {
                reader_error = std::current_exception();
            }
            p.read_end.reset();  // a reader that stops early makes the writer fail (EPIPE) instead of hang
        });
        std::exception_ptr writer_error;
        try {
            ch01::write_all(p.write_end.get(), sent);
        } catch (...) {
            writer_error = std::current_exception();
        }
        p.write_end.reset();  // end of file: a reader still waiting for more returns
        reader.join();
        if (reader_error) std::rethrow_exception(reader_error);
        if (writer_error) std::rethrow_exception(writer_error);
    }
    REQUIRE(n_read == kBig);
    REQUIRE(got == sent);
    REQUIRE(wb::testing::open_descriptors() == fds_before);
}

TEST_CASE("01.2 read_all returns a short count only at end of file") {
    const int fds_before = wb::testing::open_descriptors();
    // A read_all that goes on calling read() after it returned 0 never returns: the watchdog ends it
    // after 5 s (a correct one takes microseconds here) and says why.
    const std::string advice = "read_all did not return after the writer closed its end: does it stop when "
                               "read() returns 0 (end of file)?";
    const ch01_tests::Patience patience{std::chrono::milliseconds(2000), std::chrono::milliseconds(5000)};
    {
        ch01::Pipe p = ch01::make_pipe();
        const auto sent = pattern(100);
        ch01::write_all(p.write_end.get(), sent);
        ch01::write_all(p.write_end.get(), {});  // nothing to write: returns at once
        p.write_end.reset();
        std::vector<std::byte> got(200);
        const auto read = [&](std::span<std::byte> into) {
            return ch01_tests::guarded(advice, [&] { return ch01::read_all(p.read_end.get(), into); }, patience);
        };
        REQUIRE(read(std::span(got).first(0)) == 0);  // nothing asked: nothing read
        REQUIRE(read(got) == 100);
        REQUIRE(std::equal(sent.begin(), sent.end(), got.begin()));
        REQUIRE(read(got) == 0);  // at end of file, again and again
    }
    REQUIRE(wb::testing::open_descriptors() == fds_before);
}

TEST_CASE("01.2 values sent with send_value arrive with receive_value") {
    ch01::Pipe p = ch01::make_pipe();
    ch01::send_value(p.write_end.get(), 3.25);
    ch01::send_value<std::uint64_t>(p.write_end.get(), 42);
    p.write_end.reset();
    REQUIRE(ch01::receive_value<double>(p.read_end.get()) == 3.25);
    REQUIRE(ch01::receive_value<std::uint64_t>(p.read_end.get()) == 42u);
    REQUIRE_FALSE(ch01::receive_value<double>(p.read_end.get()).has_value());
}

TEST_CASE("01.2 errors other than EINTR come out as std::system_error") {
    ch01_tests::IgnoreSigpipe no_sigpipe;
    ch01::Pipe p = ch01::make_pipe();
    p.read_end.reset();
    const auto data = pattern(16);
    try {
        ch01::write_all(p.write_end.get(), data);
        FAIL("write_all to a pipe without a reader must throw");
    } catch (const std::system_error& e) {
        REQUIRE(e.code() == std::errc::broken_pipe);
    }
    std::vector<std::byte> buffer(16);
    try {
        ch01::read_all(-1, buffer);
        FAIL("read_all from descriptor -1 must throw");
    } catch (const std::system_error& e) {
        REQUIRE(e.code() == std::errc::bad_file_descriptor);
    }
}

TEST_CASE("01.2 a signal arriving during read() or write() does not lose or repeat bytes (EINTR)") {
    InterruptingSignal sigusr1;
    ch01_tests::IgnoreSigpipe no_sigpipe;
    const int fds_before = wb::testing::open_descriptors();
    const auto sent = pattern(kBig);
    g_signals = 0;

    SECTION("a reader blocked on an empty pipe") {
        std::vector<std::byte> got(kBig);
        std::size_t n_read = 0;
        std::exception_ptr reader_error, writer_error;
        std::atomic<pid_t> tid{0};
        std::atomic<bool> finished{false};
        {
            ch01::Pipe p = ch01::make_pipe();
            std::thread reader([&] {
                tid = gettid();
                try {
                    n_read = ch01::read_all(p.read_end.get(), got);
                } catch (...) {
                    reader_error = std::current_exception();
                }
                p.read_end.reset();
                finished = true;
            });
            interrupt_three_times(reader, tid, finished);
            try {
                ch01::write_all(p.write_end.get(), sent);
            } catch (...) {
                writer_error = std::current_exception();
            }
            p.write_end.reset();
            reader.join();
        }
        if (reader_error) std::rethrow_exception(reader_error);
        if (writer_error) std::rethrow_exception(writer_error);
        REQUIRE(g_signals.load() >= 1);
        REQUIRE(n_read == kBig);
        REQUIRE(got == sent);
    }

    SECTION("a writer blocked on a full pipe") {
        std::vector<std::byte> got(kBig);
        std::size_t n_read = 0;
        std::exception_ptr reader_error, writer_error;
        std::atomic<pid_t> tid{0};
        std::atomic<bool> finished{false};
        {
            ch01::Pipe p = ch01::make_pipe();
            std::thread writer([&] {
                tid = gettid();
                try {
                    ch01::write_all(p.write_end.get(), sent);
                } catch (...) {
                    writer_error = std::current_exception();
                }
                p.write_end.reset();
                finished = true;
            });
            interrupt_three_times(writer, tid, finished);
            try {
                n_read = ch01::read_all(p.read_end.get(), got);
            } catch (...) {
                reader_error = std::current_exception();
            }
            p.read_end.reset();
            writer.join();
        }
        if (writer_error) std::rethrow_exception(writer_error);
        if (reader_error) std::rethrow_exception(reader_error);
        REQUIRE(g_signals.load() >= 1);
        REQUIRE(n_read == kBig);
        REQUIRE(got == sent);
    }
    REQUIRE(wb::testing::open_descriptors() == fds_before);
}
