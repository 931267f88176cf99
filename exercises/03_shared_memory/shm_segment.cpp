// EXERCISE 03.1 Goal: a shared-memory segment that cleans up after itself, even when its process is stopped.
//
// Steps:
//   1. create(): make a new POSIX shared-memory object with a unique name, give it its size, map it,
//      and register the name so that the destructor and the signal handler unlink it.
//   2. open(): map an existing object by its name, at its full size (it does not own the name).
//   3. anonymous(): an mmap that is shared with forked children and has no name.
//   4. release(): unmap; unlink the name, but only in the process that created it.
// The registry of names and the SIGINT/SIGTERM handler below are given: read them, they are the
// reason the names never stay behind. Run `./wb grade 03` to check your work.
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
    // EXERCISE: create the object and map it.
    //   a. Name it "/" + shm_prefix() + the next number of g_counter (seg.name_) and shm_open it
    //      with O_CREAT | O_EXCL | O_RDWR and mode 0600; on EEXIST try the next number.
    //   b. Right away set seg.owner_ = getpid() and call register_name(seg.name_): from then on
    //      seg's destructor and the signal handler both unlink the name.
    //   c. ftruncate the object to `bytes`, mmap it (PROT_READ | PROT_WRITE, MAP_SHARED), close the
    //      descriptor, set seg.addr_ and seg.size_, and return seg.
    // Hint: a new object has size 0 until ftruncate. On a failure call fail("what") (it throws
    // std::system_error with errno) after closing the descriptor; seg's destructor then unlinks the
    // name. The mapping keeps the object alive, so the descriptor can be closed once mmap is done.
    WB_TODO("03.1");
}
//! [create]

SharedSegment SharedSegment::open(const std::string& name) {
    // EXERCISE: shm_open the existing object `name` (O_RDWR), find its size with fstat, mmap all of
    // it MAP_SHARED, close the descriptor, and return a SharedSegment with addr_, size_ and name_ set
    // and owner_ left 0 (somebody else unlinks it).
    // Hint: struct stat st; fstat(fd, &st) gives st.st_size; an empty object (size 0) cannot be
    // mapped, treat it as an error. Close the descriptor on every path, also before throwing.
    WB_TODO("03.1");
}

SharedSegment SharedSegment::anonymous(std::size_t bytes) {
    if (bytes == 0) throw std::invalid_argument("SharedSegment::anonymous: 0 bytes");
    // EXERCISE: mmap `bytes` bytes that forked children share, without any name or descriptor,
    // and return a SharedSegment holding them (name_ empty, owner_ 0).
    // Hint: mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    // MAP_PRIVATE would give each child its own copy-on-write copy instead.
    WB_TODO("03.1");
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
    // EXERCISE: unmap the memory (if mapped). If this process created the name (owner_ is our pid),
    // shm_unlink it and unregister_name it. Then reset addr_, size_, owner_ and name_.
    // Hint: compare owner_ with getpid(): a forked child has a copy of this object, and when its
    // copy is destroyed the parent's segment must live on. Nothing here may throw: the destructor calls it.
    WB_TODO("03.1");
}
//! [release]

WB_IMPL_END
}  // namespace ch03
