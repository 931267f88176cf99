// checks.hpp: pieces shared by the chapter 01 tests of exercises that fork.
#pragma once

#include <sys/types.h>
#include <unistd.h>

#include "wb/catch.hpp"
#include "wb/testing.hpp"

namespace ch01_tests {

/// Calls f() and returns what it returns. A child that wrongly came back out of f (by returning or by
/// an exception) would run the rest of the test program as a second copy of it: such a stray child
/// ends here at once, with exit status 99, which the parent then sees.
template <class F>
decltype(auto) in_parent(F&& f) {
    struct StopStrayChild {
        pid_t parent = ::getpid();
        ~StopStrayChild() {
            if (::getpid() != parent) ::_exit(99);
        }
    } stop;
    return f();
}

/// No child process left, running or unreaped, and as many descriptors open as before.
inline void require_nothing_left(int descriptors_before) {
    REQUIRE(wb::testing::zombie_children().empty());
    REQUIRE(wb::testing::child_processes().empty());
    REQUIRE(wb::testing::open_descriptors() == descriptors_before);
}

}  // namespace ch01_tests
