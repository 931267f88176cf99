// thread_watch.hpp: which threads a call starts and joins, and when, for the tests of 05.1 and 05.2.
//
// The test executable defines pthread_create and pthread_join itself; the dynamic linker binds the
// calls that std::thread makes inside libstdc++ to these definitions first (the executable comes first
// in the search order), and they forward to libc's. While a ThreadWatch is alive they log each start
// and join, with the CPU time the watching thread had spent by then. The log says what happened in
// which order, which no amount of machine load changes.
//
// Sanitizers intercept the same two functions, so under ThreadSanitizer or AddressSanitizer the watch
// is compiled out: watching() is false and the tests skip the checks that need it (the normal build
// runs them).
#pragma once

#include <ctime>
#include <mutex>
#include <vector>

#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
#define WB_THREAD_WATCH 0
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
#define WB_THREAD_WATCH 0
#endif
#endif
#ifndef WB_THREAD_WATCH
#define WB_THREAD_WATCH 1
#endif

#if WB_THREAD_WATCH
#include <dlfcn.h>
#include <pthread.h>
#endif

namespace watch {

struct Event {
    char what;          ///< 's': a thread was started, 'j': a thread was joined
    bool by_watcher;    ///< done by the thread that created the ThreadWatch
    double cpu_before;  ///< CPU seconds the watching thread had used since the watch began
};

inline constexpr bool watching() { return WB_THREAD_WATCH != 0; }

namespace detail {
inline std::mutex mutex;
inline std::vector<Event>* log = nullptr;  // non-null while a ThreadWatch is alive
inline clockid_t watcher_clock{};
inline pthread_t watcher{};
inline double start_cpu = 0.0;

inline double cpu_seconds(clockid_t clock) {
    timespec ts{};
    clock_gettime(clock, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

inline void record(char what) {
    std::lock_guard lock(mutex);
    if (log == nullptr) return;
    log->push_back({what, pthread_equal(pthread_self(), watcher) != 0, cpu_seconds(watcher_clock) - start_cpu});
}
}  // namespace detail

/// Logs the threads started and joined while it is alive (one watch at a time).
class ThreadWatch {
public:
    ThreadWatch() {
        std::lock_guard lock(detail::mutex);
        detail::watcher = pthread_self();
        pthread_getcpuclockid(detail::watcher, &detail::watcher_clock);
        detail::start_cpu = detail::cpu_seconds(detail::watcher_clock);
        detail::log = &events_;
    }
    ~ThreadWatch() { stop(); }
    ThreadWatch(const ThreadWatch&) = delete;
    ThreadWatch& operator=(const ThreadWatch&) = delete;

    /// Stops logging and returns what was logged, in order.
    const std::vector<Event>& stop() {
        std::lock_guard lock(detail::mutex);
        if (detail::log == &events_) detail::log = nullptr;
        return events_;
    }

private:
    std::vector<Event> events_;
};

/// Threads started in `log`.
inline int started(const std::vector<Event>& log) {
    int n = 0;
    for (const auto& e : log) n += e.what == 's';
    return n;
}

}  // namespace watch

#if WB_THREAD_WATCH
extern "C" {
// glibc declares both as nothrow; the definitions must say so too.
int pthread_create(pthread_t* thread, const pthread_attr_t* attr, void* (*start)(void*), void* arg) noexcept {
    using Fn = int (*)(pthread_t*, const pthread_attr_t*, void* (*)(void*), void*);
    static const Fn real = reinterpret_cast<Fn>(dlsym(RTLD_NEXT, "pthread_create"));
    watch::detail::record('s');
    return real(thread, attr, start, arg);
}

int pthread_join(pthread_t thread, void** result) {
    using Fn = int (*)(pthread_t, void**);
    static const Fn real = reinterpret_cast<Fn>(dlsym(RTLD_NEXT, "pthread_join"));
    watch::detail::record('j');  // the moment the caller starts to wait
    return real(thread, result);
}
}
#endif
