// ch03/shm_segment.hpp: exercise 03.1, a shared-memory segment that cleans up after itself.
#pragma once

#include <sys/types.h>
#include <unistd.h>

#include <cstddef>
#include <cstdio>
#include <exception>
#include <string>
#include <utility>

#include "ch03/shm_registry.hpp"  // given: shm_prefix, new_shm_name, the registry, the signal handler
#include "wb/exercise.hpp"

namespace ch03 {
WB_IMPL_BEGIN

/// A block of memory that several processes see at once, owned like a std::unique_ptr.
///
/// Two kinds:
///  - named (create / open): a POSIX shared-memory object, listed in /dev/shm under its name while
///    it exists. Any process that knows the name can map it. The name outlives every process until
///    somebody calls shm_unlink, so the *creating* process owns the name and unlinks it: in its
///    destructor, and also when the process is stopped by SIGINT (Ctrl-C) or SIGTERM (the given
///    registry and handler in ch03/shm_registry.hpp do that part).
///  - anonymous: mmap(MAP_SHARED | MAP_ANONYMOUS). No name; shared only with children forked after it
///    was made. Nothing is ever left behind.
///
/// A forked child inherits a copy of this object. Its destructor, should it run in the child, unmaps
/// the child's view but never unlinks: only the process that created the name does.
class SharedSegment {
   public:
    /// Creates a new, zero-filled named segment of `bytes` bytes (bytes > 0) with a name no other
    /// process uses: "/wb03_<pid>_<k>" (new_shm_name() hands them out), never an object of the same
    /// name that some other process left behind. Registers the name with the SIGINT/SIGTERM clean-up
    /// handler (installing it if needed). Throws std::invalid_argument for 0 bytes,
    /// std::system_error when a system call fails (and then leaves no name behind).
    static SharedSegment create(std::size_t bytes);

    /// Maps the existing named segment `name` (as name() returns it, with the leading '/'), at its
    /// full size. The result does not own the name. Throws std::system_error if there is none.
    static SharedSegment open(const std::string& name);

    /// An anonymous shared mapping of `bytes` bytes (bytes > 0), zero-filled, shared with children
    /// forked after this call. name() is empty.
    static SharedSegment anonymous(std::size_t bytes);

    SharedSegment() = default;  ///< empty: data() is null
    SharedSegment(SharedSegment&& other) noexcept
        : addr_(std::exchange(other.addr_, nullptr)),
          size_(std::exchange(other.size_, 0)),
          name_(std::exchange(other.name_, std::string())),
          owner_(std::exchange(other.owner_, 0)) {}
    SharedSegment& operator=(SharedSegment&& other) noexcept {
        if (this != &other) {
            release_quietly();
            addr_ = std::exchange(other.addr_, nullptr);
            size_ = std::exchange(other.size_, 0);
            name_ = std::exchange(other.name_, std::string());
            owner_ = std::exchange(other.owner_, 0);
        }
        return *this;
    }
    SharedSegment(const SharedSegment&) = delete;
    SharedSegment& operator=(const SharedSegment&) = delete;
    ~SharedSegment() { release_quietly(); }

    void* data() const noexcept { return addr_; }
    std::size_t size() const noexcept { return size_; }
    /// "/wb03_..." for a named segment, empty for an anonymous one.
    const std::string& name() const noexcept { return name_; }
    /// True in the process that created the name (and will unlink it).
    bool owns_name() const noexcept { return owner_ != 0 && owner_ == ::getpid(); }
    template <class T>
    T* as() const noexcept {
        return static_cast<T*>(addr_);
    }

   private:
    /// Unmaps; unlinks the name (and unregisters it) if this process created it; leaves the object
    /// empty. A finished release() never throws.
    void release();
    /// Given: the destructor and the move assignment call release() through this, because they must
    /// not throw: an exception from an unfinished release() (the stub's "not started") is reported on
    /// stderr instead of ending the program with std::terminate.
    void release_quietly() noexcept {
        try {
            release();
        } catch (const std::exception& e) {
            std::fprintf(stderr, "SharedSegment::release: %s\n", e.what());
        }
    }

    void* addr_ = nullptr;
    std::size_t size_ = 0;
    std::string name_;
    pid_t owner_ = 0;  ///< the pid that must unlink name_; 0 when nobody must
};

WB_IMPL_END
}  // namespace ch03
