// lab.cpp: the measurements that ch01_program and ch01_bench share.
#include "lab.hpp"

#include <spawn.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <system_error>

#include "ch01/pipe_io.hpp"

namespace ch01::lab {
namespace {

[[noreturn]] void throw_errno(int err, const char* what) {
    throw std::system_error(err, std::generic_category(), what);
}

// argv of /bin/true, as exec expects it: mutable strings, ended by a null pointer.
char true_name[] = "true";
char* const true_argv[] = {true_name, nullptr};

}  // namespace

void wait_for_exit(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) throw_errno(errno, "waitpid");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw std::runtime_error("child " + std::to_string(pid) + " did not exit with status 0");
}

//! [spawn]
void thread_create_join() {
    std::thread t([] {});
    t.join();
}

void fork_wait() {
    const pid_t pid = ::fork();  // copies this process: its page tables, descriptors, everything
    if (pid < 0) throw_errno(errno, "fork");
    if (pid == 0) ::_exit(0);  // the child: leave at once, running none of the parent's clean-up
    wait_for_exit(pid);
}

void fork_exec_wait() {
    const pid_t pid = ::fork();
    if (pid < 0) throw_errno(errno, "fork");
    if (pid == 0) {
        ::execve(kTrueProgram, true_argv, environ);  // replaces the copy with a fresh program
        ::_exit(127);                                // only reached if exec failed
    }
    wait_for_exit(pid);
}

void posix_spawn_wait() {
    pid_t pid = 0;
    // glibc starts the new program without copying this process's page tables first.
    if (const int err = ::posix_spawn(&pid, kTrueProgram, nullptr, nullptr, true_argv, environ); err != 0)
        throw_errno(err, "posix_spawn");
    wait_for_exit(pid);
}
//! [spawn]

Ballast::Ballast(std::size_t bytes) : bytes_(bytes) {
    if (bytes_ == 0) return;
    base_ = ::mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base_ == MAP_FAILED) {
        base_ = nullptr;
        throw_errno(errno, "mmap");
    }
    auto d = doubles();
    for (std::size_t i = 0; i < d.size(); ++i) d[i] = static_cast<double>(i % 1024);
}

Ballast::~Ballast() {
    if (base_) ::munmap(base_, bytes_);
}

double sum(std::span<const double> v) {
    double s = 0.0;
    // simd reduction: the sum may be added in any order, so the loop runs at memory speed, not at one
    // floating-point addition per latency. Threads and processes run this same code.
#pragma omp simd reduction(+ : s)
    for (std::size_t i = 0; i < v.size(); ++i) s += v[i];
    return s;
}

//! [thread_handoff]
ThreadSummer::ThreadSummer() : worker_([this] { serve(); }) {}

ThreadSummer::~ThreadSummer() {
    stop_ = true;
    job_ready_.release();
    worker_.join();
}

double ThreadSummer::sum(std::span<const double> v) {
    job_ = v;  // the whole hand-off: a pointer and a length
    job_ready_.release();
    job_done_.acquire();
    return result_;
}

void ThreadSummer::serve() {
    for (;;) {
        job_ready_.acquire();  // sleeps until sum() or the destructor releases it
        if (stop_) return;
        result_ = lab::sum(job_);  // reads the caller's array where it lies
        job_done_.release();
    }
}
//! [thread_handoff]

PipePartner::PipePartner(Kind kind, Service serve) {
    Pipe down = make_pipe();
    Pipe up = make_pipe();
    if (kind == Kind::thread) {
        // The thread's function object owns the two ends: they close when the thread ends, as a child's
        // would when it exits, and the caller sees end of file (after an error too).
        thread_ = std::thread([serve, in = std::move(down.read_end), out = std::move(up.write_end)] {
            try {
                serve(in.get(), out.get());
            } catch (...) {
            }
        });
    } else {
        pid_ = ::fork();
        if (pid_ < 0) throw_errno(errno, "fork");
        if (pid_ == 0) {
            int status = 1;
            try {
                down.write_end.reset();  // else the child holds its own input open and never sees end of file
                up.read_end.reset();
                serve(down.read_end.get(), up.write_end.get());
                status = 0;
            } catch (...) {
            }
            ::_exit(status);
        }
    }
    to_partner_ = std::move(down.write_end);
    from_partner_ = std::move(up.read_end);
    // Leaving this scope closes the parent's copies of the child's ends (process case).
}

PipePartner::~PipePartner() {
    to_partner_.reset();  // end of file: the partner's loop ends
    if (thread_.joinable()) thread_.join();
    if (pid_ > 0) {
        try {
            wait_for_exit(pid_);
        } catch (...) {
            // A destructor must not throw; the child has been reaped (or was never ours) either way.
        }
    }
}

//! [pipe_handoff]
void serve_sums(int in, int out) {
    std::vector<double> buffer;  // the child's own memory: the bytes must be copied into it
    while (const auto count = receive_value<std::uint64_t>(in)) {
        buffer.resize(*count);
        const auto bytes = std::as_writable_bytes(std::span(buffer));
        if (read_all(in, bytes) != bytes.size()) throw std::runtime_error("serve_sums: input ended early");
        send_value(out, lab::sum(buffer));
    }
}

double sum_through_pipe(const PipePartner& partner, std::span<const double> v) {
    send_value<std::uint64_t>(partner.to_partner(), v.size());
    write_all(partner.to_partner(), std::as_bytes(v));  // copied into the kernel, then out to the child
    const auto s = receive_value<double>(partner.from_partner());
    if (!s) throw std::runtime_error("sum_through_pipe: the partner closed its end");
    return *s;
}
//! [pipe_handoff]

void serve_echo(int in, int out) {
    while (const auto k = receive_value<std::uint64_t>(in)) send_value<std::uint64_t>(out, *k + 1);
}

std::uint64_t echo_round_trip(const PipePartner& partner, std::uint64_t k) {
    send_value<std::uint64_t>(partner.to_partner(), k);
    const auto reply = receive_value<std::uint64_t>(partner.from_partner());
    if (!reply) throw std::runtime_error("echo_round_trip: the partner closed its end");
    return *reply;
}

}  // namespace ch01::lab
