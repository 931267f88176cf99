// ch04/publish_flag.hpp: exercise 04.5, handing data from one thread to others through a flag.
#pragma once

#include <cstddef>
#include <vector>

#include "wb/exercise.hpp"

namespace ch04 {

/// Value i of the published block. Small integers, so every reader's sum is exact in any order.
inline double published_value(std::size_t i) { return static_cast<double>(i % 1000); }

WB_IMPL_BEGIN

/// 04.5: one producer thread writes published_value(i) into slot i of an n-element block and then
/// raises a std::atomic<bool> flag; `readers` reader threads, started at the same time, wait until
/// they see the flag raised and then each add up the n values. Returns the readers' sums, in reader
/// order. The flag alone must make the block visible: no mutex, no join between writing and reading.
std::vector<double> publish_and_read(std::size_t n, int readers);

WB_IMPL_END

}  // namespace ch04
