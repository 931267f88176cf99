// Reference solution of exercise 03.1: a shared-memory segment that cleans up after itself.
#include "ch03/shm_segment.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <utility>

namespace ch03 {
WB_IMPL_BEGIN
namespace {

// ---------------------------------------------------------------------------------------------
// Given: the names this process must unlink if it is stopped by SIGINT or SIGTERM.
//
// A signal handler may run between any two instructions of the program, even inside malloc. So it
// may only call async-signal-safe functions (man 7 signal-safety) and touch lock-free atomics: no
// std::string, no new, no printf, no mutex. That is why the registry is a fixed array of
// plain characters, each slot published by one atomic pid, and why the handler calls unlink() on
// "/dev/shm/<name>" (which is where Linux keeps a POSIX shared-memory name): unlink is on the
// async-signal-safe list, shm_unlink is not.
// ---------------------------------------------------------------------------------------------
constexpr int kSlots = 128;
constexpr std::size_t kPathMax = 64;

struct Slot {
    std::atomic<pid_t> owner{0};  // 0: free; -1: being filled; else the pid that must unlink `path`
    char path[kPathMax] = {};     // "/dev/shm/wb03_<pid>_<k>"
};
static_assert(std::atomic<pid_t>::is_always_lock_free, "the handler needs a lock-free atomic");

Slot g_slots[kSlots];
std::atomic<unsigned> g_counter{0};

void register_name(const std::string& name) {
    const std::string path = "/dev/shm" + name;
    if (path.size() >= kPathMax) throw std::length_error("shared-memory name too long: " + name);
    for (auto& slot : g_slots) {
        pid_t expected = 0;
        if (slot.owner.compare_exchange_strong(expected, -1)) {
            std::memcpy(slot.path, path.c_str(), path.size() + 1);
            slot.owner.store(::getpid(), std::memory_order_release);  // the handler may use it now
            return;
        }
    }
    throw std::runtime_error("more than 128 named segments at once: the clean-up registry is full");
}

void unregister_name(const std::string& name) noexcept {
    const std::string path = "/dev/shm" + name;
    const pid_t me = ::getpid();
    for (auto& slot : g_slots) {
        if (slot.owner.load(std::memory_order_acquire) == me && path == slot.path) {
            slot.owner.store(0, std::memory_order_release);
            return;
        }
    }
}

//! [handler]
void on_stop_signal(int sig) {
    const int saved_errno = errno;
    const pid_t me = ::getpid();  // a forked child inherits the slots, but only unlinks its own names
    for (auto& slot : g_slots) {
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
//! [handler]

/// Holds SIGINT and SIGTERM back while alive: between shm_open and register_name a signal would
/// otherwise end the process with the name created but not yet registered.
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

[[noreturn]] void fail(const std::string& what) { throw std::system_error(errno, std::generic_category(), what); }

}  // namespace

std::string shm_prefix() { return "wb03_" + std::to_string(::getpid()) + "_"; }

//! [install]
void install_shm_cleanup_handlers() {
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
//! [install]

//! [create]
SharedSegment SharedSegment::create(std::size_t bytes) {
    if (bytes == 0) throw std::invalid_argument("SharedSegment::create: 0 bytes");
    install_shm_cleanup_handlers();
    StopSignalsHeld hold;  // SIGINT/SIGTERM wait until the name is registered (or gone again)
    SharedSegment seg;
    int fd = -1;
    for (int attempt = 0; fd < 0; ++attempt) {
        // O_EXCL: fail rather than share a segment that some other (maybe long dead) process left.
        seg.name_ = std::string("/").append(shm_prefix()).append(std::to_string(g_counter.fetch_add(1)));
        fd = ::shm_open(seg.name_.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
        if (fd < 0 && (errno != EEXIST || attempt == 1000)) fail("shm_open " + seg.name_);
    }
    seg.owner_ = ::getpid();  // from here on, seg's destructor unlinks the name...
    try {
        register_name(seg.name_);  // ...and so does the signal handler
    } catch (...) {
        ::close(fd);
        throw;
    }
    if (::ftruncate(fd, static_cast<off_t>(bytes)) != 0) {  // a new object has size 0
        const int e = errno;
        ::close(fd);
        errno = e;
        fail("ftruncate " + seg.name_);
    }
    void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    const int e = errno;
    ::close(fd);  // the mapping keeps the object alive; the descriptor is no longer needed
    if (p == MAP_FAILED) {
        errno = e;
        fail("mmap " + seg.name_);
    }
    seg.addr_ = p;
    seg.size_ = bytes;
    return seg;
}
//! [create]

SharedSegment SharedSegment::open(const std::string& name) {
    const int fd = ::shm_open(name.c_str(), O_RDWR, 0);
    if (fd < 0) fail("shm_open " + name);
    struct stat st {};
    int err = 0;
    if (::fstat(fd, &st) != 0)
        err = errno;
    else if (st.st_size <= 0)
        err = EINVAL;  // an empty object cannot be mapped
    if (err != 0) {
        ::close(fd);
        errno = err;
        fail("fstat " + name);
    }
    const auto bytes = static_cast<std::size_t>(st.st_size);
    void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    const int e = errno;
    ::close(fd);
    if (p == MAP_FAILED) {
        errno = e;
        fail("mmap " + name);
    }
    SharedSegment seg;
    seg.addr_ = p;
    seg.size_ = bytes;
    seg.name_ = name;  // owner_ stays 0: we map it, but somebody else unlinks it
    return seg;
}

SharedSegment SharedSegment::anonymous(std::size_t bytes) {
    if (bytes == 0) throw std::invalid_argument("SharedSegment::anonymous: 0 bytes");
    void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) fail("mmap(MAP_SHARED|MAP_ANONYMOUS)");
    SharedSegment seg;
    seg.addr_ = p;
    seg.size_ = bytes;
    return seg;
}

SharedSegment::SharedSegment(SharedSegment&& other) noexcept
    : addr_(std::exchange(other.addr_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      name_(std::move(other.name_)),
      owner_(std::exchange(other.owner_, 0)) {
    other.name_.clear();
}

SharedSegment& SharedSegment::operator=(SharedSegment&& other) noexcept {
    if (this != &other) {
        release();
        addr_ = std::exchange(other.addr_, nullptr);
        size_ = std::exchange(other.size_, 0);
        name_ = std::move(other.name_);
        other.name_.clear();
        owner_ = std::exchange(other.owner_, 0);
    }
    return *this;
}

SharedSegment::~SharedSegment() { release(); }

bool SharedSegment::owns_name() const noexcept { return owner_ != 0 && owner_ == ::getpid(); }

//! [release]
void SharedSegment::release() {
    if (addr_ == nullptr && owner_ == 0) return;  // empty or moved-from: nothing to do
    if (addr_ != nullptr) ::munmap(addr_, size_);
    // Only the creating process unlinks. A forked child has a copy of this object (same owner_,
    // different getpid()): if its copy is destroyed, the parent's segment must live on.
    if (owner_ != 0 && owner_ == ::getpid()) {
        ::shm_unlink(name_.c_str());
        unregister_name(name_);
    }
    addr_ = nullptr;
    size_ = 0;
    owner_ = 0;
    name_.clear();
}
//! [release]

WB_IMPL_END
}  // namespace ch03
