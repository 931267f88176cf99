// Tests of exercise 03.3: a team of processes summing one array in shared memory.
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
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

/// n doubles with a page that may not be read right after the last one (at_end) or right before the
/// first: a kernel that reads one element too far then crashes instead of returning a right-looking sum.
class Fenced {
   public:
    Fenced(std::size_t n, bool at_end) {
        const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
        const std::size_t bytes = n * sizeof(double), pages = (bytes + page - 1) / page;
        total_ = (pages + 2) * page;
        void* m = ::mmap(nullptr, total_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m == MAP_FAILED) throw std::runtime_error("mmap");
        base_ = static_cast<unsigned char*>(m);
        ::mprotect(base_, page, PROT_NONE);
        ::mprotect(base_ + (pages + 1) * page, page, PROT_NONE);
        data_ = reinterpret_cast<double*>(at_end ? base_ + (pages + 1) * page - bytes : base_ + page);
        n_ = n;
    }
    ~Fenced() { ::munmap(base_, total_); }
    Fenced(const Fenced&) = delete;
    Fenced& operator=(const Fenced&) = delete;
    std::span<double> span() { return {data_, n_}; }

   private:
    unsigned char* base_ = nullptr;
    std::size_t total_ = 0, n_ = 0;
    double* data_ = nullptr;
};

/// CPU time (user + system) that process `pid` has used so far, in seconds (/proc/<pid>/stat).
double cpu_seconds_of(pid_t pid) {
    std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(f, line);
    std::istringstream rest(line.substr(line.rfind(')') + 2));  // after "pid (comm) "
    std::string field;
    double ticks = 0;
    for (int k = 3; k <= 15 && rest >> field; ++k)
        if (k == 14 || k == 15) ticks += std::stod(field);  // utime, stime
    return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

double own_cpu_seconds() {
    timespec t{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
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

TEST_CASE("sum_kernel reads exactly p[0] .. p[n-1], nothing before or after") {
    // The kernel runs in a child process: if it reads one element too far, the child dies by SIGSEGV
    // and the test says so, instead of the whole test program crashing.
    std::vector<std::size_t> sizes;
    for (std::size_t n = 0; n <= 130; ++n) sizes.push_back(n);
    for (std::size_t n : {255ul, 256ul, 257ul, 512ul, 4096ul, 4099ul, 100000ul}) sizes.push_back(n);
    for (bool at_end : {true, false}) {
        for (std::size_t n : sizes) {
            INFO("n = " << n << ", a page that may not be read " << (at_end ? "right after p[n-1]" : "right before p[0]"));
            Fenced fenced(n, at_end);
            const double exact = fill_integers(fenced.span(), n);
            ch03::SharedMapping out(sizeof(double));
            double* result = out.as<double>();
            const double* p = fenced.span().data();
            ch03::Child child([=] { *result = ch03::sum_kernel(p, n); });
            const int status = child.wait();
            INFO("the kernel " << (WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV ? "read outside p[0] .. p[n-1]"
                                                                                    : "failed"));
            REQUIRE((WIFEXITED(status) && WEXITSTATUS(status) == 0));
            REQUIRE(*result == exact);
        }
    }
}

TEST_CASE("SharedSum: the workers do their share of the work, in their own processes") {
    Baseline before;
    // CPU time, not wall time: a worker process that sums its slice uses about as much CPU as this
    // process does for slice 0, however busy the machine is. A sum() that leaves the work to this
    // process alone leaves the workers at ~0. 0.25 is far below an even split and far above nothing;
    // 40 sums of 2^23 doubles give each worker over 0.1 s of CPU, ten times the 10 ms resolution of
    // /proc/<pid>/stat.
    for (int procs : {2, 3}) {
        INFO("procs " << procs);
        SharedSum team(std::size_t{1} << 23, procs);
        std::fill(team.data().begin(), team.data().end(), 1.0);
        std::vector<double> worker_before;
        for (pid_t w : team.workers()) worker_before.push_back(cpu_seconds_of(w));
        const double mine_before = own_cpu_seconds();
        for (int call = 0; call < 40; ++call) REQUIRE(team.sum() == static_cast<double>(std::size_t{1} << 23));
        const double mine = own_cpu_seconds() - mine_before;
        for (std::size_t k = 0; k < team.workers().size(); ++k) {
            const double theirs = cpu_seconds_of(team.workers()[k]) - worker_before[k];
            INFO("worker " << k + 1 << " used " << theirs << " s of CPU, this process " << mine << " s");
            REQUIRE(theirs >= 0.25 * mine);
        }
    }
    require_clean(before);
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
