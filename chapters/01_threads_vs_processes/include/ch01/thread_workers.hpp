// ch01/thread_workers.hpp: exercise 01.1, N workers as threads of this process.
#pragma once

#include <functional>
#include <vector>

#include "wb/exercise.hpp"

namespace ch01 {
WB_IMPL_BEGIN

/// Runs work(0), ..., work(n-1) at the same time, each on a std::thread of its own, and returns
/// their results in order of i. The threads share this process's memory, so each writes its result
/// straight into the vector that is returned. If some work(i) throws, every thread is still joined
/// and the exception of the lowest such i is rethrown here.
/// Throws std::invalid_argument if n < 0.
std::vector<double> run_thread_workers(int n, const std::function<double(int)>& work);

WB_IMPL_END
}  // namespace ch01
