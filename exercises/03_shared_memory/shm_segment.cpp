// EXERCISE 03.1 Goal: a shared-memory segment that several processes see and that never outlives its
// owner: not when the owner returns, not when it throws, not when Ctrl-C or `kill` stops it.
//
// What the grade checks: the tests create segments and open them by name in other processes, check
// that new memory is zero and that a store in one process is seen by the others, that every name is
// unique and an object some other process left behind under the next name is never reused, and that
// after each test no name in /dev/shm, no descriptor, no mapping and no child process is left (also
// when a child holding a segment is stopped by SIGKILL, SIGTERM or SIGINT, and when a forked child
// destroys its copy of the parent's segment). Exercises 03.2-03.4 do not depend on this one.
// Read first: chapters/03_shared_memory/README.md, sections "Two kinds of shared memory" and
// "Cleaning up: who unlinks, and when"; then the given registry in
// chapters/03_shared_memory/include/ch03/shm_registry.hpp.
// Stuck? `./wb hint 03.1` shows a hint, one stage per call.
//
// The four parts below can be done in any order: the tests of the others keep failing with
// "NOT STARTED" until each is done.
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
    // EXERCISE: when this returns, seg maps a new POSIX shared-memory object of exactly `bytes` zero
    // bytes, readable and writable, that any process opening its name shares. The name comes from
    // new_shm_name() and names no object that existed before: if an object of that name is already
    // there (left by some other process), take the next name instead of using it. From the moment
    // the object exists, this process owns the name (seg.owner_) and it is registered with the given
    // registry, so that seg's destructor and the signal handler both unlink it, also when a later
    // step fails. No descriptor stays open. Report a failing system call with fail("what failed").
    WB_TODO("03.1");
}

SharedSegment SharedSegment::open(const std::string& name) {
    // EXERCISE: return a segment that maps the existing object `name` at its full size (whatever size
    // its creator gave it), readable, writable and shared. It does not own the name (owner_ stays 0).
    // A name that does not exist, and an object of size 0 (there is nothing to map), are a
    // std::system_error. No descriptor stays open, on any path.
    WB_TODO("03.1");
}

SharedSegment SharedSegment::anonymous(std::size_t bytes) {
    if (bytes == 0) throw std::invalid_argument("SharedSegment::anonymous: 0 bytes");
    // EXERCISE: return a segment of `bytes` zero bytes that this process and every child it forks
    // afterwards see as the same memory (a child's store is seen by the parent), with no name, no
    // descriptor and nothing in /dev/shm.
    WB_TODO("03.1");
}

void SharedSegment::release() {
    if (addr_ == nullptr && owner_ == 0) return;  // empty or moved-from: nothing to do
    // EXERCISE: afterwards this process no longer maps the memory, and if this process created the
    // name, the name no longer exists and is no longer registered. A forked child's copy of the
    // object (same owner_, another process) must leave the parent's name alone. Leave the object
    // empty, as if default-constructed. Nothing here may throw: the destructor runs it.
    WB_TODO("03.1");
}

WB_IMPL_END
}  // namespace ch03
