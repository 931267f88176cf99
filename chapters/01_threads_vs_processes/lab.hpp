// lab.hpp: the measurements that ch01_program and ch01_bench share (not exercises).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <semaphore>
#include <span>
#include <thread>
#include <vector>

#include "ch01/posix.hpp"
#include "wb/stats.hpp"

namespace ch01::lab {

// ---- Creating a worker and waiting for its end ----------------------------------------------------
// Each function is one complete life of a worker that does nothing: created, finished, and known to
// the creator to be finished. They throw std::system_error if the system refuses.

void thread_create_join();  ///< std::thread running an empty function, then join()
void fork_wait();           ///< fork(); the child calls _exit(0) at once; the parent waitpid()s
void fork_exec_wait();      ///< fork(); the child exec()s /bin/true; the parent waitpid()s
void posix_spawn_wait();    ///< posix_spawn() of /bin/true; the parent waitpid()s

/// The program the process variants start: a complete program that does nothing.
inline constexpr const char* kTrueProgram = "/bin/true";

/// Waits for child `pid` (retrying after EINTR); throws std::runtime_error unless it exited with 0.
void wait_for_exit(pid_t pid);

/// A block of anonymous memory with every page written once, as in a program that holds a large array.
/// fork() must copy the page table entries of all of it into the child.
class Ballast {
public:
    explicit Ballast(std::size_t bytes);
    ~Ballast();
    Ballast(const Ballast&) = delete;
    Ballast& operator=(const Ballast&) = delete;
    std::span<double> doubles() const { return {static_cast<double*>(base_), bytes_ / sizeof(double)}; }
    std::size_t bytes() const { return bytes_; }

private:
    void* base_ = nullptr;
    std::size_t bytes_ = 0;
};

// ---- Handing an array to a worker ----------------------------------------------------------------

/// The worker's job in the hand-off measurements: the sum of the array (reads every element once).
double sum(std::span<const double> v);

/// A worker thread, started once, that sums the arrays it is handed. Handing over is storing a pointer
/// and a length and waking the thread: it reads the caller's memory where it lies.
class ThreadSummer {
public:
    ThreadSummer();
    ~ThreadSummer();
    double sum(std::span<const double> v);

private:
    void serve();
    std::span<const double> job_;  // written before job_ready_.release(), read after acquire()
    double result_ = 0.0;          // written before job_done_.release(), read after acquire()
    bool stop_ = false;
    std::binary_semaphore job_ready_{0}, job_done_{0};
    std::thread worker_;  // last: starts after the members above exist
};

/// A partner at the other end of two pipes (one each way) that runs `serve(in, out)` until its input
/// reaches end of file: a child process made with fork(), or a thread of this process.
class PipePartner {
public:
    enum class Kind { process, thread };
    using Service = void (*)(int in, int out);
    PipePartner(Kind kind, Service serve);
    ~PipePartner();  ///< closes the sending end, then reaps the child or joins the thread
    PipePartner(const PipePartner&) = delete;
    PipePartner& operator=(const PipePartner&) = delete;
    int to_partner() const { return to_partner_.get(); }
    int from_partner() const { return from_partner_.get(); }

private:
    Fd to_partner_, from_partner_;
    pid_t pid_ = -1;
    std::thread thread_;
};

/// Service: reads a std::uint64_t count, then that many doubles, answers with their sum; repeats.
void serve_sums(int in, int out);
/// Service: answers every std::uint64_t k with k + 1.
void serve_echo(int in, int out);

/// Sends `v` to a partner running serve_sums and returns its answer.
double sum_through_pipe(const PipePartner& partner, std::span<const double> v);
/// One round trip with a partner running serve_echo: sends k, returns the answer.
std::uint64_t echo_round_trip(const PipePartner& partner, std::uint64_t k);

// ---- Timing ----------------------------------------------------------------------------------------

/// The median wall time of `reps` calls of `f`, in seconds.
template <class F>
double median_seconds(int reps, F&& f) {
    std::vector<double> t;
    t.reserve(static_cast<std::size_t>(reps));
    for (int r = 0; r < reps; ++r) {
        const auto start = std::chrono::steady_clock::now();
        f();
        t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    return wb::median(t);
}

}  // namespace ch01::lab
