#pragma once
#include <functional>
#include "wb/exercise.hpp"
namespace ch00 {
WB_IMPL_BEGIN
/// Runs `work` `runs` times and returns the median wall time in seconds.
double median_seconds(const std::function<void()>& work, int runs);
WB_IMPL_END
}  // namespace ch00
