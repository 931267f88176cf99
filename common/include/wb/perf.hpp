// wb/perf.hpp: speed goals for exercises, checked by `./wb grade`.
//
// A chapter's perf.cpp is compiled twice, once against the learner's exercises and once against the
// reference solutions, and both land in one program (chNN_perf), which times them alternately.
//
//   #include "wb/perf.hpp"
//   #include "ch00/triad.hpp"
//   WB_PERF_CASES(reg) {
//       reg.add("00.3 triad, 8 Mi doubles", 0.8, [] {
//           auto data = std::make_shared<Arrays>(...);          // set up once, untimed
//           return [data] { ch00::triad(*data); };                // timed
//       });
//   }
//
// Start every case's name with its exercise id ("00.3 ..."): the grader skips the cases of exercises
// whose tests do not pass.
//
// The goal (0.8 above) is the least speed the learner's version must reach, as a fraction of the
// reference's: 0.8 means "at most 25% slower than the reference".
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace wb::perf {

struct Case {
    std::string name;
    double goal;                                       ///< required learner speed / reference speed
    std::function<std::function<void()>()> prepare;    ///< untimed set-up; returns the timed work
};

class Registry {
public:
    void add(std::string name, double goal, std::function<std::function<void()>()> prepare) {
        cases_.push_back({std::move(name), goal, std::move(prepare)});
    }
    const std::vector<Case>& cases() const { return cases_; }

private:
    std::vector<Case> cases_;
};

}  // namespace wb::perf

#define WB_PERF_CAT2(a, b) a##b
#define WB_PERF_CAT(a, b) WB_PERF_CAT2(a, b)
/// Defines the function that registers this side's cases (wb_perf_cases_exercise / _solution).
#define WB_PERF_CASES(reg) void WB_PERF_CAT(wb_perf_cases_, WB_PERF_SIDE)(::wb::perf::Registry & reg)
