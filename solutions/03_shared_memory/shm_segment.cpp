// Reference solution of exercise 03.1: a shared-memory segment that cleans up after itself.
#include "ch03/shm_segment.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>

namespace ch03 {
WB_IMPL_BEGIN
namespace {

/// Given: throws std::system_error for the current errno, with `what` as the message.
[[noreturn]] void fail(const std::string& what) { throw std::system_error(errno, std::generic_category(), what); }

}  // namespace

SharedSegment SharedSegment::create(std::size_t bytes) {
    if (bytes == 0) throw std::invalid_argument("SharedSegment::create: 0 bytes");
    install_shm_cleanup_handlers();
    StopSignalsHeld hold;  // SIGINT/SIGTERM wait until the name is registered (or gone again)
    SharedSegment seg;
    int fd = -1;
    for (int attempt = 0; fd < 0; ++attempt) {
        // O_EXCL: fail rather than share a segment that some other (maybe long dead) process left.
        seg.name_ = new_shm_name();
        fd = ::shm_open(seg.name_.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
        if (fd < 0 && (errno != EEXIST || attempt == 1000)) fail("shm_open " + seg.name_);
    }
    seg.owner_ = ::getpid();  // from here on, seg's destructor unlinks the name...
    try {
        register_shm_name(seg.name_);  // ...and so does the signal handler
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

void SharedSegment::release() {
    if (addr_ == nullptr && owner_ == 0) return;  // empty or moved-from: nothing to do
    if (addr_ != nullptr) ::munmap(addr_, size_);
    // Only the creating process unlinks. A forked child has a copy of this object (same owner_,
    // different getpid()): if its copy is destroyed, the parent's segment must live on.
    if (owner_ != 0 && owner_ == ::getpid()) {
        ::shm_unlink(name_.c_str());
        unregister_shm_name(name_);
    }
    addr_ = nullptr;
    size_ = 0;
    owner_ = 0;
    name_.clear();
}

WB_IMPL_END
}  // namespace ch03
