// Tests of exercise 00.2 (keep_alive). A loop that the optimizer deleted computes the same nothing as
// one that ran, and no test here asserts how long anything took. What tells them apart is how often
// the data was read: ReadCounter below counts the passes over an array without a clock, by making its
// pages unreadable and counting the faults.
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <vector>

#include "ch00/keep_alive.hpp"
#include "wb/catch.hpp"

namespace {

// Counts reads of an array of doubles by page faults. Every page starts unreadable (PROT_NONE). Reading
// an unreadable page raises SIGSEGV; the handler makes that page readable, makes the page it opened two
// faults before unreadable again, and counts one fault. So a pass over the array reads each page after
// it was closed again, and costs at least (pages - 2) faults (exactly `pages` when it reads in order,
// as sum_of_squares does): the count says how many passes really read memory, whatever the optimizer
// did. Two pages stay open, not one, so that a load that straddles two pages can complete.
class ReadCounter {
public:
    explicit ReadCounter(std::size_t pages) : pages_(pages) {
        page_bytes_ = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
        bytes_ = pages_ * page_bytes_;
        void* p = mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) throw std::runtime_error("ReadCounter: mmap failed");
        base_ = static_cast<char*>(p);
        auto* x = reinterpret_cast<double*>(base_);
        for (std::size_t i = 0; i < size(); ++i) x[i] = 0.25 * static_cast<double>(i % 8);
    }
    ~ReadCounter() { munmap(base_, bytes_); }
    ReadCounter(const ReadCounter&) = delete;
    ReadCounter& operator=(const ReadCounter&) = delete;

    std::size_t size() const { return bytes_ / sizeof(double); }
    std::size_t pages() const { return pages_; }
    std::span<const double> data() const { return {reinterpret_cast<const double*>(base_), size()}; }

    // Runs f() with the pages unreadable and the handler installed; returns the faults it caused.
    // Everything is put back however f() ends (an unfinished exercise throws).
    template <class F>
    long count(F f) {
        struct Watch {
            explicit Watch(ReadCounter* c) : c_(c) {
                active_ = c;
                open_[0] = open_[1] = nullptr;
                faults_.store(0);
                struct sigaction sa {};
                sa.sa_sigaction = &on_fault;
                sa.sa_flags = SA_SIGINFO;
                sigemptyset(&sa.sa_mask);
                sigaction(SIGSEGV, &sa, &previous_);
                mprotect(c->base_, c->bytes_, PROT_NONE);
            }
            ~Watch() {
                mprotect(c_->base_, c_->bytes_, PROT_READ | PROT_WRITE);
                sigaction(SIGSEGV, &previous_, nullptr);
                active_ = nullptr;
            }
            Watch(const Watch&) = delete;
            Watch& operator=(const Watch&) = delete;
            ReadCounter* c_;
        } watch(this);
        f();
        return faults_.load();
    }

private:
    static void on_fault(int, siginfo_t* info, void*) {
        ReadCounter* self = active_;
        char* addr = static_cast<char*>(info->si_addr);
        if (self == nullptr || addr < self->base_ || addr >= self->base_ + self->bytes_) {
            // Not a read of the watched array: a real crash. Put the previous handler back; the access
            // runs again on return and ends the program as it would have without this handler.
            sigaction(SIGSEGV, &previous_, nullptr);
            return;
        }
        char* page = self->base_ + static_cast<std::size_t>(addr - self->base_) / self->page_bytes_ * self->page_bytes_;
        if (open_[0] != nullptr) mprotect(open_[0], self->page_bytes_, PROT_NONE);
        open_[0] = open_[1];
        open_[1] = page;
        mprotect(page, self->page_bytes_, PROT_READ);
        faults_.fetch_add(1);
    }

    std::size_t pages_, page_bytes_ = 0, bytes_ = 0;
    char* base_ = nullptr;
    static inline ReadCounter* active_ = nullptr;
    static inline char* open_[2] = {nullptr, nullptr};
    static inline std::atomic<long> faults_{0};
    static inline struct sigaction previous_ {};
};

}  // namespace

TEST_CASE("escape and clobber change no value") {
    double v = 3.25;
    ch00::escape(&v);
    REQUIRE(v == 3.25);
    std::vector<double> x{1.0, -2.0, 0.5};
    ch00::escape(x.data());
    ch00::clobber();
    REQUIRE(x == std::vector<double>{1.0, -2.0, 0.5});
}

TEST_CASE("the kernel still gives the right sum around the guards") {
    std::vector<double> x(1000);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<double>(i % 10);
    double s = ch00::sum_of_squares(x);
    ch00::escape(&s);
    ch00::clobber();
    // Small whole numbers: the sum is exact in double. 100 times (0 + 1 + 4 + ... + 81) = 28500.
    REQUIRE(s == 28500.0);
}

TEST_CASE("the read counter sees one pass of the kernel per call") {
    // The counter itself, checked on the kernel alone (its result is read below, so it is computed):
    // one call, one pass.
    ReadCounter x(16);
    double s = 0.0;
    const long faults = x.count([&] { s = ch00::sum_of_squares(x.data()); });
    INFO("faults " << faults << " for " << x.pages() << " pages");
    REQUIRE(faults >= static_cast<long>(x.pages()) - 2);
    REQUIRE(faults <= static_cast<long>(x.pages()));
    // Every 8 values are 0, 0.25, ..., 1.75, whose squares add up to 8.75: exact in double.
    REQUIRE(s == 8.75 * static_cast<double>(x.size() / 8));
}

TEST_CASE("seconds_per_sum reads the whole array once per repeat") {
    // A loop whose sums were deleted reads nothing; one that computes a single sum for all repeats
    // reads the array once. Each real repeat reads every page again.
    ReadCounter x(16);
    for (int repeats : {1, 7, 40}) {
        INFO("repeats = " << repeats);
        const long faults = x.count([&] { ch00::seconds_per_sum(x.data(), repeats); });
        const long at_least = repeats * (static_cast<long>(x.pages()) - 2);
        INFO("the array (" << x.pages() << " pages) was read with " << faults << " page faults; " << repeats
                           << " passes need at least " << at_least);
        REQUIRE(faults >= at_least);
    }
}

TEST_CASE("seconds_per_sum returns a time per call") {
    const std::vector<double> x(4096, 0.5);
    for (int repeats : {1, 10, 1000}) {
        const double t = ch00::seconds_per_sum(x, repeats);
        // Nothing about speed is checked, only that a duration came back.
        REQUIRE(std::isfinite(t));
        REQUIRE(t >= 0.0);
    }
    REQUIRE(x == std::vector<double>(4096, 0.5));  // the data is read, never changed
}

TEST_CASE("seconds_per_sum works on an empty array") {
    const std::vector<double> none;
    REQUIRE(ch00::seconds_per_sum(none, 5) >= 0.0);
}

TEST_CASE("seconds_per_sum refuses fewer than one repeat") {
    const std::vector<double> x(16, 1.0);
    REQUIRE_THROWS_AS(ch00::seconds_per_sum(x, 0), std::invalid_argument);
    REQUIRE_THROWS_AS(ch00::seconds_per_sum(x, -3), std::invalid_argument);
}
