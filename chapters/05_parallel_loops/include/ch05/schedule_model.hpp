// ch05/schedule_model.hpp: what an OpenMP schedule does with rows of known cost, worked out on paper.
// Not an exercise: the program prints these predictions beside its measurements, and the tests of 05.3
// judge a schedule by them, because a model does not depend on how busy the machine is.
#pragma once

#include <omp.h>

#include <algorithm>
#include <cstddef>
#include <numeric>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "ch05/kernels.hpp"

namespace ch05 {

/// A schedule of a loop, as OpenMP names it: the kind and the chunk (0: the kind's default).
struct LoopSchedule {
    omp_sched_t kind = omp_sched_static;
    int chunk = 0;
};

/// "static", "static,1", "dynamic,4", "guided", ...
inline std::string schedule_name(LoopSchedule s) {
    std::string name;
    switch (s.kind) {
        case omp_sched_static: name = "static"; break;
        case omp_sched_dynamic: name = "dynamic"; break;
        case omp_sched_guided: name = "guided"; break;
        default: name = "auto"; break;
    }
    return s.chunk > 0 ? name + "," + std::to_string(s.chunk) : name;
}

/// The cost of each row of an image of escape times: one unit per iteration plus one per pixel (the
/// work around the loop). Proportional to the time a row takes, on any machine.
inline std::vector<double> row_costs(const Frame& f, std::span<const int> image) {
    if (image.size() != pixels(f)) throw std::invalid_argument("row_costs: image has the wrong size");
    std::vector<double> cost(static_cast<std::size_t>(f.height), 0.0);
    for (std::size_t i = 0; i < image.size(); ++i)
        cost[i / static_cast<std::size_t>(f.width)] += 1.0 + image[i];
    return cost;
}

// [model]
/// The work each of `threads` threads gets when the rows of cost `cost` are handed out under `s`:
///   static       one contiguous block per thread, the first (rows % threads) blocks one row longer
///                (what libgomp and libomp do; the standard only asks for blocks of about equal size);
///   static,c     blocks of c rows dealt round-robin: thread 0 gets blocks 0, t, 2t, ...;
///   dynamic,c    blocks of c rows (1 if c is 0), in order, each to the thread that becomes free first;
///   guided,c     like dynamic, but each block is ceil(remaining rows / threads), at least c (libgomp's
///                rule; the standard only says "proportional to the remaining rows over the threads").
/// The dynamic kinds assume every thread runs the whole time, which a busy machine does not promise:
/// this is the best the schedule can do, not a measurement. `auto` is treated as static (libgomp).
inline std::vector<double> model_loads(std::span<const double> cost, int threads, LoopSchedule s) {
    if (threads < 1) throw std::invalid_argument("model_loads: threads < 1");
    const auto t = static_cast<std::size_t>(threads);
    const std::size_t n = cost.size();
    std::vector<double> load(t, 0.0);
    auto block = [&](std::size_t begin, std::size_t end) {
        return std::accumulate(cost.begin() + static_cast<std::ptrdiff_t>(begin),
                               cost.begin() + static_cast<std::ptrdiff_t>(end), 0.0);
    };
    if (s.kind != omp_sched_dynamic && s.kind != omp_sched_guided) {
        if (s.chunk <= 0) {
            const std::size_t q = n / t, extra = n % t;
            for (std::size_t k = 0, begin = 0; k < t; ++k) {
                const std::size_t len = q + (k < extra ? 1 : 0);
                load[k] = block(begin, begin + len);
                begin += len;
            }
        } else {
            const auto c = static_cast<std::size_t>(s.chunk);
            for (std::size_t b = 0; b * c < n; ++b) load[b % t] += block(b * c, std::min(n, (b + 1) * c));
        }
        return load;
    }
    const auto least = static_cast<std::size_t>(std::max(1, s.chunk));
    for (std::size_t begin = 0; begin < n;) {
        std::size_t len = least;
        if (s.kind == omp_sched_guided) len = std::max(least, (n - begin + t - 1) / t);
        const std::size_t end = std::min(n, begin + len);
        // The thread that becomes free first (the lowest number on a tie) takes the next block.
        const auto first_free = std::min_element(load.begin(), load.end());
        *first_free += block(begin, end);
        begin = end;
    }
    return load;
}
// [model]

/// Longest load / mean load: 1 when every thread has the same work, `threads` when one has all of it.
inline double imbalance(std::span<const double> load) {
    if (load.empty()) return 1.0;
    const double total = std::accumulate(load.begin(), load.end(), 0.0);
    const double longest = *std::max_element(load.begin(), load.end());
    return total > 0.0 ? longest * static_cast<double>(load.size()) / total : 1.0;
}

/// The speedup over one thread that the loads allow: total work / the longest load.
inline double model_speedup(std::span<const double> load) {
    const double total = std::accumulate(load.begin(), load.end(), 0.0);
    const double longest = load.empty() ? 0.0 : *std::max_element(load.begin(), load.end());
    return longest > 0.0 ? total / longest : 1.0;
}

}  // namespace ch05
