// wb/exercise.hpp: how an exercise interface is declared and how a stub says "not started yet".
//
// Every exercise interface lives in namespace chNN, inside WB_IMPL_BEGIN / WB_IMPL_END. Those open an
// inline namespace named after the side being built (exercise or solution), so code calls ch00::triad
// as usual, and the grader's speed report can link the learner's and the reference version into one
// program without their names clashing.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#ifndef WB_IMPL
#define WB_IMPL solution
#endif

#define WB_IMPL_BEGIN inline namespace WB_IMPL {
#define WB_IMPL_END }

namespace wb {

/// Thrown by an untouched exercise stub. Its message names the exercise and the file to edit.
class NotStarted : public std::logic_error {
public:
    NotStarted(std::string_view exercise_id, std::string_view file)
        : std::logic_error("EXERCISE " + std::string(exercise_id) + " NOT STARTED: open " + std::string(file) +
                           " and fill in the parts marked // EXERCISE:") {}
};

/// The path of `file` relative to the workbook root (for messages a learner can act on).
constexpr std::string_view relative_source(std::string_view file) {
#ifdef WB_SOURCE_DIR
    constexpr std::string_view root = WB_SOURCE_DIR;
    if (file.substr(0, root.size()) == root) {
        file.remove_prefix(root.size());
        while (!file.empty() && file.front() == '/') file.remove_prefix(1);
    }
#endif
    return file;
}

}  // namespace wb

/// Marks a gap in a stub: `WB_TODO("00.2");` throws wb::NotStarted naming exercise 00.2 and this file.
#define WB_TODO(exercise_id) throw ::wb::NotStarted((exercise_id), ::wb::relative_source(__FILE__))
