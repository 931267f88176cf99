// wb/machine.hpp: what machine, compiler and flags a measurement was taken with, how big its
// last-level cache really is, and how busy the machine was.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace wb {

std::string cpu_model();         ///< "model name" from /proc/cpuinfo, or "unknown"
unsigned logical_cores();        ///< std::thread::hardware_concurrency(), at least 1
std::string vector_isa();        ///< the widest vector instructions the CPU has: "AVX-512", "AVX2", "SSE4.2", ...
std::string compiler();          ///< e.g. "g++ 12.2.0" or "clang++ 14.0.6"
std::string build_flags();       ///< the flags this workbook was built with (set by cmake/workbook.cmake)
std::string now_utc();           ///< ISO 8601 date and time
/// One line for the top of a program's output: CPU, cores, compiler, flags.
std::string machine_banner();

/// One point of the cache sweep: reading `bytes` again and again, one core ran at `gb_per_s`.
struct SweepPoint {
    std::size_t bytes = 0;
    double gb_per_s = 0;
};

/// Where the last-level cache ends, as one core sees it when it streams through data.
struct CacheEdge {
    /// The largest array that still read clearly faster (1.5x or more) than the largest array
    /// swept: data up to this size is served, at least partly, by a cache. When no such drop was
    /// seen, the size of the largest array swept (the cache is at least that big).
    std::size_t llc_bytes = 0;
    bool found = false;              ///< false: no drop to memory speed up to the largest array
    std::vector<SweepPoint> points;  ///< the sweep, smallest array first
    double seconds = 0;              ///< how long the sweep took
};

/// Measures the last-level cache edge with a read sweep: arrays from 1 MiB up to `max_bytes`, each a
/// factor sqrt(2) larger, each read a few times with the best pass kept. Takes a few tenths of a
/// second on a quiet machine (it allocates and touches `max_bytes` once).
///
/// Why not sysfs or CPUID: in a virtual machine they report what the hypervisor says (one VM reports
/// 508 MB of L3 per core), while the sweep sees the cache the program really gets, neighbours and all.
CacheEdge measure_cache_edge(std::size_t max_bytes = std::size_t{256} << 20);

/// CPU time counters of the whole machine and of this process, taken at one instant.
struct CpuSample {
    double wall_s = 0;     ///< monotonic clock
    double busy_s = 0;     ///< CPU time all CPUs spent not idle (user, system, interrupts, and time
                           ///< a hypervisor gave to other guests, "steal"), from /proc/stat
    double own_s = 0;      ///< CPU time of this process and of its children that were waited for
    unsigned cpus = 0;     ///< CPUs listed in /proc/stat (0 when it cannot be read)
};

CpuSample cpu_sample();  ///< now

/// How many cores, on average, other programs kept busy between two samples: the machine's busy CPU
/// time minus this process's own, divided by the elapsed time. Negative when /proc/stat was
/// unreadable.
double other_busy_cores(const CpuSample& before, const CpuSample& after);

/// The 1-minute load average from /proc/loadavg, or -1.
double load_average();

/// At or above this many cores kept busy by other programs, results are flagged as taken on a busy
/// machine: a quarter of a core, or 5% of the cores on a machine with more than five.
double busy_threshold_cores(unsigned cpus);

}  // namespace wb
