// Machine facts for result stamps and program banners: CPU, compiler, flags, the last-level cache
// as a read sweep finds it, and how busy the machine is.
#include "wb/machine.hpp"

#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>
#include <thread>

#ifndef WB_BUILD_FLAGS
#define WB_BUILD_FLAGS "unknown"
#endif

namespace wb {

std::string cpu_model() {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("model name", 0) == 0) {
            auto colon = line.find(':');
            if (colon != std::string::npos) {
                auto start = line.find_first_not_of(' ', colon + 1);
                return start == std::string::npos ? "unknown" : line.substr(start);
            }
        }
    }
    return "unknown";
}

unsigned logical_cores() {
    unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : n;
}

std::string vector_isa() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return "AVX-512";
    if (__builtin_cpu_supports("avx2")) return __builtin_cpu_supports("fma") ? "AVX2+FMA" : "AVX2";
    if (__builtin_cpu_supports("avx")) return "AVX";
    if (__builtin_cpu_supports("sse4.2")) return "SSE4.2";
    return "SSE2";
#elif defined(__aarch64__)
    return "NEON";
#else
    return "unknown";
#endif
}

std::string compiler() {
#if defined(__clang__)
    return "clang++ " __clang_version__;
#elif defined(__GNUC__)
    return "g++ " __VERSION__;
#else
    return "unknown compiler";
#endif
}

}  // namespace wb

// A chapter built without -march=native (wb_chapter(ISA_DISPATCH)) links a definition of this symbol
// that describes its own flags; every other executable leaves it undefined (null).
extern "C" const char* wb_chapter_build_flags __attribute__((weak));

namespace wb {

std::string build_flags() {
    if (&wb_chapter_build_flags != nullptr && wb_chapter_build_flags != nullptr) return wb_chapter_build_flags;
    return WB_BUILD_FLAGS;
}

std::string now_utc() {
    std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    char buf[32];
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string machine_banner() {
    return "machine: " + cpu_model() + " (" + vector_isa() + "), " + std::to_string(logical_cores()) +
           " logical cores; " + compiler() +
           "; flags: " + build_flags();
}

namespace {

double seconds_since_start() {
    using clock = std::chrono::steady_clock;
    return std::chrono::duration<double>(clock::now().time_since_epoch()).count();
}

// Reads n words and returns their sum, so that the compiler keeps the loads. Compiled with full
// optimisation even in a debug build: at -O0 the loop, not the memory, would set the pace.
#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("O3")))
#endif
__attribute__((noinline)) std::uint64_t read_words(const std::uint64_t* p, std::size_t n) {
    std::uint64_t a = 0, b = 0, c = 0, d = 0;
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        a += p[i];
        b += p[i + 1];
        c += p[i + 2];
        d += p[i + 3];
    }
    for (; i < n; ++i) a += p[i];
    return a + b + c + d;
}

}  // namespace

CacheEdge measure_cache_edge(std::size_t max_bytes) {
    constexpr std::size_t kMiB = std::size_t{1} << 20;
    constexpr std::size_t kHuge = 2 * kMiB;  // transparent huge pages: fewer TLB misses
    CacheEdge edge;
    const double t0 = seconds_since_start();
    max_bytes = std::max(max_bytes, 4 * kMiB) / 4096 * 4096;

    void* raw = mmap(nullptr, max_bytes + kHuge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) return edge;
    auto aligned = (reinterpret_cast<std::uintptr_t>(raw) + kHuge - 1) / kHuge * kHuge;
    auto* words = reinterpret_cast<std::uint64_t*>(aligned);
#ifdef MADV_HUGEPAGE
    madvise(words, max_bytes, MADV_HUGEPAGE);
#endif
    volatile std::uint64_t sink = 0;
    std::size_t touched = 0;  // memory never written maps to one shared zero page: write before reading

    // Scanning from the large end: the last size that still read 1.5x faster than `far`.
    auto candidate = [&](double far) {
        std::size_t best = edge.points.front().bytes;
        for (const auto& p : edge.points)
            if (p.gb_per_s >= 1.5 * far) best = p.bytes;
        return best;
    };

    for (double s = double(kMiB);; s *= std::sqrt(2.0)) {
        std::size_t bytes = std::min(max_bytes, std::size_t(s) / 4096 * 4096);
        if (bytes > touched) {
            std::memset(reinterpret_cast<char*>(words) + touched, 1, bytes - touched);
            touched = bytes;
        }
        // At least two passes (the first may still be filling the caches); small arrays are read
        // until 64 MiB have gone by, so that every timed pass is long enough to time.
        std::size_t passes = std::max<std::size_t>(2, (64 * kMiB) / bytes);
        double best = 1e300;
        for (std::size_t r = 0; r < passes; ++r) {
            double a = seconds_since_start();
            sink = sink + read_words(words, bytes / sizeof(std::uint64_t));
            best = std::min(best, seconds_since_start() - a);
        }
        edge.points.push_back({bytes, best > 0 ? double(bytes) / best / 1e9 : 0.0});
        if (bytes >= max_bytes) break;
        // Stop early once memory speed has clearly been reached: two sizes in a row within 15%,
        // and the current size at least four times the cache edge they imply. Not below 128 MiB:
        // a plateau there may be the last-level cache itself (20 GB/s flat from 4 to 32 MiB is
        // common), which would pass for memory and put the edge at the L2 cache.
        std::size_t n = edge.points.size();
        if (n >= 3 && bytes >= 128 * kMiB) {
            double last = edge.points[n - 1].gb_per_s, prev = edge.points[n - 2].gb_per_s;
            if (std::abs(last - prev) <= 0.15 * last && bytes >= 4 * candidate(last)) break;
        }
    }
    munmap(raw, max_bytes + kHuge);

    double far = edge.points.back().gb_per_s;
    edge.llc_bytes = candidate(far);
    edge.found = edge.llc_bytes < edge.points.back().bytes &&
                 std::any_of(edge.points.begin(), edge.points.end(),
                             [&](const SweepPoint& p) { return p.gb_per_s >= 1.5 * far; });
    if (!edge.found) edge.llc_bytes = edge.points.back().bytes;
    edge.seconds = seconds_since_start() - t0;
    return edge;
}

CpuSample cpu_sample() {
    CpuSample s;
    s.wall_s = seconds_since_start();
    rusage self{}, children{};
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_CHILDREN, &children);
    auto secs = [](const timeval& t) { return double(t.tv_sec) + double(t.tv_usec) * 1e-6; };
    s.own_s = secs(self.ru_utime) + secs(self.ru_stime) + secs(children.ru_utime) + secs(children.ru_stime);

    std::ifstream in("/proc/stat");
    std::string line;
    const double tick = 1.0 / double(sysconf(_SC_CLK_TCK));
    while (std::getline(in, line)) {
        if (line.rfind("cpu ", 0) == 0) {
            std::istringstream fields(line.substr(4));
            // user nice system idle iowait irq softirq steal (guest time is already in user)
            double v[8] = {};
            for (double& x : v) fields >> x;
            s.busy_s = (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) * tick;
        } else if (line.rfind("cpu", 0) == 0 && line.size() > 3 && line[3] >= '0' && line[3] <= '9') {
            ++s.cpus;
        }
    }
    return s;
}

double other_busy_cores(const CpuSample& before, const CpuSample& after) {
    double wall = after.wall_s - before.wall_s;
    if (after.cpus == 0 || before.cpus == 0 || wall <= 0) return -1.0;
    double others = (after.busy_s - before.busy_s) - (after.own_s - before.own_s);
    return std::clamp(others / wall, 0.0, double(after.cpus));
}

double load_average() {
    std::ifstream in("/proc/loadavg");
    double one = -1;
    if (!(in >> one)) return -1;
    return one;
}

double busy_threshold_cores(unsigned cpus) { return std::max(0.25, 0.05 * double(cpus)); }

}  // namespace wb
