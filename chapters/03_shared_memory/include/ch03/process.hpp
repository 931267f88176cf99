// ch03/process.hpp: given helpers (not exercises) for chapter 03: an anonymous shared mapping, a forked
// child that can never return into its parent's code, and a process-shared semaphore wait.
#pragma once

#include <semaphore.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <exception>
#include <system_error>
#include <type_traits>
#include <utility>

namespace ch03 {

/// `bytes` of memory shared with every child forked after it was made: mmap(MAP_SHARED | MAP_ANONYMOUS).
/// No name, so nothing to unlink: the pages go away when the last process unmaps them (or exits).
/// Move-only; the destructor unmaps. Zero-filled, page-aligned.
class SharedMapping {
   public:
    SharedMapping() = default;
    explicit SharedMapping(std::size_t bytes) : size_(bytes) {
        if (bytes == 0) return;
        void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) throw std::system_error(errno, std::generic_category(), "mmap(MAP_SHARED|MAP_ANONYMOUS)");
        addr_ = p;
    }
    SharedMapping(SharedMapping&& o) noexcept
        : addr_(std::exchange(o.addr_, nullptr)), size_(std::exchange(o.size_, 0)) {}
    SharedMapping& operator=(SharedMapping&& o) noexcept {
        if (this != &o) {
            reset();
            addr_ = std::exchange(o.addr_, nullptr);
            size_ = std::exchange(o.size_, 0);
        }
        return *this;
    }
    SharedMapping(const SharedMapping&) = delete;
    SharedMapping& operator=(const SharedMapping&) = delete;
    ~SharedMapping() { reset(); }

    void* data() const noexcept { return addr_; }
    std::size_t size() const noexcept { return size_; }
    template <class T>
    T* as() const noexcept {
        return static_cast<T*>(addr_);
    }
    void reset() noexcept {
        if (addr_) ::munmap(addr_, size_);
        addr_ = nullptr;
        size_ = 0;
    }

   private:
    void* addr_ = nullptr;
    std::size_t size_ = 0;
};

/// Forks a child that runs `body()` and ends with _exit: the value body returns (an int) is the exit
/// code, 0 if it returns void, 99 if it throws (the exception's message goes to stderr). The child
/// never returns into the caller's code (a test framework, a benchmark loop): everything after fork()
/// that the parent would do must not run twice. The child also asks Linux to SIGKILL it when the parent dies (PR_SET_PDEATHSIG), so a
/// crashed or killed parent leaves no orphan blocked on a semaphore. Returns the child's pid.
template <class Body>
pid_t fork_child(Body&& body) {
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork");
    if (pid > 0) return pid;
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(98);  // the parent died before prctl took effect
    int code = 0;
    try {
        if constexpr (std::is_void_v<decltype(body())>) {
            body();
        } else {
            code = static_cast<int>(body());
        }
    } catch (const std::exception& e) {
        // Say why on stderr (unbuffered, so _exit loses nothing): an unfinished exercise called in a
        // child ("NOT STARTED") must not look like a mysterious crash to the parent.
        std::fprintf(stderr, "child process %d ended by an exception: %s\n", static_cast<int>(::getpid()), e.what());
        code = 99;
    } catch (...) {
        code = 99;
    }
    ::_exit(code);
}

/// Waits for child `pid`, retrying after EINTR; returns its raw status (WIFEXITED, WTERMSIG, ...), or -1.
inline int reap(pid_t pid) noexcept {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return -1;
    }
    return status;
}

/// Last resort on an error path: SIGKILL and reap, so the child is neither an orphan nor a zombie.
inline void kill_and_reap(pid_t pid) noexcept {
    ::kill(pid, SIGKILL);
    reap(pid);
}

/// A child process owned like a unique_ptr: the destructor kills and reaps it if nobody waited for it.
class Child {
   public:
    Child() = default;
    template <class Body>
    explicit Child(Body&& body) : pid_(fork_child(std::forward<Body>(body))) {}
    Child(Child&& o) noexcept : pid_(std::exchange(o.pid_, -1)) {}
    Child& operator=(Child&& o) noexcept {
        if (this != &o) {
            if (pid_ > 0) kill_and_reap(pid_);
            pid_ = std::exchange(o.pid_, -1);
        }
        return *this;
    }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    ~Child() {
        if (pid_ > 0) kill_and_reap(pid_);
    }

    pid_t pid() const noexcept { return pid_; }
    /// Waits for the child to end; returns its raw wait status. The child is reaped afterwards.
    int wait() noexcept {
        const int status = reap(pid_);
        pid_ = -1;
        return status;
    }
    /// Waits at most `seconds` for the child to end: its raw wait status (the child is then
    /// reaped), or -1 if it is still running.
    int wait_for(double seconds) noexcept {
        for (double waited = 0.0;; waited += 0.001) {
            int status = 0;
            const pid_t r = ::waitpid(pid_, &status, WNOHANG);
            if (r == pid_) {
                pid_ = -1;
                return status;
            }
            if (r < 0 && errno != EINTR) return -1;
            if (waited >= seconds) return -1;
            ::usleep(1000);
        }
    }
    /// wait() and true when the child exited normally with code 0.
    bool wait_ok() noexcept {
        const int s = wait();
        return s >= 0 && WIFEXITED(s) && WEXITSTATUS(s) == 0;
    }

   private:
    pid_t pid_ = -1;
};

/// sem_wait that retries when a signal interrupts it (EINTR).
inline void sem_wait_retry(sem_t* s) {
    while (::sem_wait(s) != 0) {
        if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "sem_wait");
    }
}

}  // namespace ch03
