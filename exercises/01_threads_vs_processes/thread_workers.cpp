// EXERCISE 01.1 Goal: run n workers at the same time as threads of this process and collect their results.
//
// Steps:
//   1. Start one std::thread per worker i. Its body calls work(i) and stores the result in results[i];
//      an exception it throws is caught and kept in errors[i] (an exception that escapes a thread's
//      function ends the whole program with std::terminate).
//   2. Only when every thread has been started, join them all.
//   3. Rethrow the first error, if there was one, and return the results.
// Run `./wb grade 01` to check your work.
#include "ch01/thread_workers.hpp"

#include <exception>
#include <stdexcept>
#include <thread>

namespace ch01 {
WB_IMPL_BEGIN

std::vector<double> run_thread_workers(int n, const std::function<double(int)>& work) {
    if (n < 0) throw std::invalid_argument("run_thread_workers: n must be >= 0");
    // Shared memory: every thread writes its own element of these vectors; no two threads write the
    // same element, and join() below makes their writes visible to this thread.
    std::vector<double> results(static_cast<std::size_t>(n));
    std::vector<std::exception_ptr> errors(static_cast<std::size_t>(n));
    std::vector<std::thread> threads;
    threads.reserve(static_cast<std::size_t>(n));

    // EXERCISE: start n threads (steps 1 and 2), each running work(i) for its own i and storing the result
    //           in results[i], or the exception it threw in errors[i]; then join them all.
    // Hint: threads.emplace_back([&, i] { ... }) starts a thread running the lambda; [&, i] captures i by
    //       value (each thread its own) and the vectors by reference (shared). Inside: try/catch (...) and
    //       std::current_exception(). Join in a second loop: a join() right after each start waits for that
    //       worker before the next one starts.
    WB_TODO("01.1");

    for (const auto& e : errors)
        if (e) std::rethrow_exception(e);
    return results;
}

WB_IMPL_END
}  // namespace ch01
