// ch03/shm_registry.hpp: given code for exercise 03.1 (read it, do not edit it): the names of this
// process's shared-memory segments, and the SIGINT/SIGTERM handler that unlinks them when the process
// is stopped from outside.
//
// A signal handler may run between any two instructions of the program, even inside malloc. So it may
// only call async-signal-safe functions (man 7 signal-safety) and touch lock-free atomics: no
// std::string, no new, no printf, no mutex. That is why the registry is a fixed array of plain
// characters, each slot published by one atomic pid, and why the handler calls unlink() on
// "/dev/shm/<name>" (where Linux keeps a POSIX shared-memory name): unlink is on the
// async-signal-safe list, shm_unlink is not.
//
// Everything here is `inline`: one registry per program, however many files include it.
#pragma once

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <stdexcept>
#include <string>

namespace ch03 {

/// "wb03_<pid>_": how every name this process creates begins, as listed in /dev/shm (no '/').
inline std::string shm_prefix() { return "wb03_" + std::to_string(::getpid()) + "_"; }

namespace registry {

inline constexpr int kSlots = 128;
inline constexpr std::size_t kPathMax = 64;

struct Slot {
    std::atomic<pid_t> owner{0};  // 0: free; -1: being filled; else the pid that must unlink `path`
    char path[kPathMax] = {};     // "/dev/shm/wb03_<pid>_<k>"
};
static_assert(std::atomic<pid_t>::is_always_lock_free, "the handler needs a lock-free atomic");

inline Slot slots[kSlots];
/// The k of the next name new_name() hands out (counts up for the whole program).
inline std::atomic<unsigned> next_number{0};

}  // namespace registry

/// A name no earlier call of this process has returned: "/wb03_<pid>_<k>", k counting up. Another
/// process may still have left an object of that name behind (its pid recycled): shm_open with O_EXCL
/// finds out, and the caller then asks for the next name.
inline std::string new_shm_name() {
    return std::string("/").append(shm_prefix()).append(std::to_string(registry::next_number.fetch_add(1)));
}

/// Records `name` ("/wb03_...") as one this process must unlink if SIGINT or SIGTERM stops it.
/// Throws std::length_error for a name too long, std::runtime_error when 128 names are registered.
inline void register_shm_name(const std::string& name) {
    const std::string path = "/dev/shm" + name;
    if (path.size() >= registry::kPathMax) throw std::length_error("shared-memory name too long: " + name);
    for (auto& slot : registry::slots) {
        pid_t expected = 0;
        if (slot.owner.compare_exchange_strong(expected, -1)) {
            std::memcpy(slot.path, path.c_str(), path.size() + 1);
            slot.owner.store(::getpid(), std::memory_order_release);  // the handler may use it now
            return;
        }
    }
    throw std::runtime_error("more than 128 named segments at once: the clean-up registry is full");
}

/// Forgets `name` again (it was unlinked by the program itself). Does nothing if it is not registered
/// by this process.
inline void unregister_shm_name(const std::string& name) noexcept {
    const std::string path = "/dev/shm" + name;
    const pid_t me = ::getpid();
    for (auto& slot : registry::slots) {
        if (slot.owner.load(std::memory_order_acquire) == me && path == slot.path) {
            slot.owner.store(0, std::memory_order_release);
            return;
        }
    }
}

/// How many names this process has registered and not unregistered.
inline int registered_shm_names() noexcept {
    const pid_t me = ::getpid();
    int n = 0;
    for (auto& slot : registry::slots) n += slot.owner.load(std::memory_order_acquire) == me;
    return n;
}

// [handler]
/// The handler for SIGINT and SIGTERM: unlinks this process's registered names, then ends the
/// process by the same signal.
inline void on_stop_signal(int sig) {
    const int saved_errno = errno;
    const pid_t me = ::getpid();  // a forked child inherits the slots, but only unlinks its own names
    for (auto& slot : registry::slots) {
        if (slot.owner.load(std::memory_order_acquire) == me) ::unlink(slot.path);
    }
    // Back to the default action and raise the signal again: the process then ends exactly as it
    // would have without us (the parent's waitpid sees WIFSIGNALED with this signal). The signal is
    // blocked while this handler runs, so it is delivered as soon as the handler returns.
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    ::sigaction(sig, &dfl, nullptr);
    ::raise(sig);
    errno = saved_errno;
}
// [handler]

// [install]
/// Installs on_stop_signal for SIGINT and SIGTERM, unless it is installed already or the signal is
/// ignored (a program started in the background by a non-interactive shell should keep ignoring
/// SIGINT). Idempotent; call it again if some other code replaced the handlers.
inline void install_shm_cleanup_handlers() {
    for (int sig : {SIGINT, SIGTERM}) {
        struct sigaction current {};
        ::sigaction(sig, nullptr, &current);
        if (current.sa_handler == &on_stop_signal || current.sa_handler == SIG_IGN) continue;
        struct sigaction sa {};
        sa.sa_handler = &on_stop_signal;
        sigemptyset(&sa.sa_mask);
        sigaddset(&sa.sa_mask, SIGINT);  // neither signal interrupts the handler
        sigaddset(&sa.sa_mask, SIGTERM);
        ::sigaction(sig, &sa, nullptr);
    }
}
// [install]

/// Holds SIGINT and SIGTERM back while alive (they are delivered when it is destroyed): between
/// creating a name and registering it, a signal would otherwise end the process with the name
/// created but not yet registered.
class StopSignalsHeld {
   public:
    StopSignalsHeld() {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        ::sigprocmask(SIG_BLOCK, &set, &old_);
    }
    ~StopSignalsHeld() { ::sigprocmask(SIG_SETMASK, &old_, nullptr); }
    StopSignalsHeld(const StopSignalsHeld&) = delete;
    StopSignalsHeld& operator=(const StopSignalsHeld&) = delete;

   private:
    sigset_t old_;
};

}  // namespace ch03
