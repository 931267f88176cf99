// Tests of exercise 03.1: SharedSegment creates, opens, shares and always cleans up.
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <set>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "ch03/process.hpp"
#include "ch03/shm_segment.hpp"
#include "clean.hpp"
#include "wb/catch.hpp"

using ch03::SharedSegment;
using namespace ch03_test;

TEST_CASE("create: a zero-filled named segment that exists exactly while its owner lives") {
    Baseline before;
    std::string name;
    const void* address = nullptr;
    {
        SharedSegment seg = SharedSegment::create(3 * 4096 + 5);
        name = seg.name();
        REQUIRE(seg.data() != nullptr);
        REQUIRE(seg.size() == 3 * 4096 + 5);
        REQUIRE(name.rfind(std::string("/").append(ch03::shm_prefix()), 0) == 0);
        REQUIRE(ch03::shm_prefix() == our_prefix());
        REQUIRE(seg.owns_name());
        REQUIRE(shm_exists(name));
        const auto* bytes = seg.as<unsigned char>();
        bool all_zero = true;
        for (std::size_t i = 0; i < seg.size(); ++i) all_zero = all_zero && bytes[i] == 0;
        REQUIRE(all_zero);
        std::memset(seg.data(), 0xab, seg.size());  // every byte is writable
        address = seg.data();
        REQUIRE(is_mapped(address));
    }
    REQUIRE_FALSE(shm_exists(name));
    REQUIRE_FALSE(is_mapped(address));  // unmapped, not only unlinked: the memory is given back
    require_clean(before);
}

TEST_CASE("create: never uses an object of the same name that another process left behind") {
    Baseline before;
    // The name create() will try first: new_shm_name()'s next number. Leave an object of that name
    // behind, as a crashed process whose pid was later recycled would have: 8 KiB of 0x5a bytes.
    const std::string stale = std::string("/").append(our_prefix()).append(std::to_string(ch03::registry::next_number.load()));
    {
        const int fd = ::shm_open(stale.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
        REQUIRE(fd >= 0);
        REQUIRE(::ftruncate(fd, 8192) == 0);
        void* p = ::mmap(nullptr, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        ::close(fd);
        REQUIRE(p != MAP_FAILED);
        std::memset(p, 0x5a, 8192);
        ::munmap(p, 8192);
    }
    bool fresh = false, other_name = false;
    {
        SharedSegment seg = SharedSegment::create(4096);
        other_name = seg.name() != stale;
        const auto* bytes = seg.as<unsigned char>();
        fresh = seg.size() == 4096;
        for (std::size_t i = 0; i < seg.size(); ++i) fresh = fresh && bytes[i] == 0;
    }
    // The stale object is untouched: same size, same bytes.
    bool untouched = false;
    const int fd = ::shm_open(stale.c_str(), O_RDONLY, 0);
    if (fd >= 0) {
        struct stat st {};
        untouched = ::fstat(fd, &st) == 0 && st.st_size == 8192;
        void* p = untouched ? ::mmap(nullptr, 8192, PROT_READ, MAP_SHARED, fd, 0) : MAP_FAILED;
        ::close(fd);
        if (p != MAP_FAILED) {
            for (int i = 0; i < 8192; ++i) untouched = untouched && static_cast<unsigned char*>(p)[i] == 0x5a;
            ::munmap(p, 8192);
        }
        ::shm_unlink(stale.c_str());
    }
    INFO("an object that existed before create() must never be opened, resized or unlinked by it");
    REQUIRE(other_name);
    REQUIRE(fresh);
    REQUIRE(untouched);
    require_clean(before);
}

TEST_CASE("create and destroy many segments one after another: nothing accumulates") {
    Baseline before;
    // More than the registry's 128 slots: every destroyed segment must also leave the registry.
    for (int i = 0; i < 300; ++i) {
        SharedSegment seg = SharedSegment::create(64);
        seg.as<char>()[0] = 'x';
    }
    REQUIRE(ch03::registered_shm_names() == 0);
    require_clean(before);
}

TEST_CASE("create: every segment gets its own name") {
    Baseline before;
    {
        std::vector<SharedSegment> segs;
        std::set<std::string> names;
        for (int i = 0; i < 20; ++i) {
            segs.push_back(SharedSegment::create(64));
            names.insert(segs.back().name());
        }
        REQUIRE(names.size() == 20);
        REQUIRE(wb::testing::shm_entries(our_prefix()).size() == 20);
    }
    require_clean(before);
}

TEST_CASE("zero bytes are refused") {
    Baseline before;
    REQUIRE_THROWS_AS(SharedSegment::create(0), std::invalid_argument);
    REQUIRE_THROWS_AS(SharedSegment::anonymous(0), std::invalid_argument);
    require_clean(before);
}

TEST_CASE("open: a second mapping of the same pages, which does not own the name") {
    Baseline before;
    const void* view = nullptr;
    {
        SharedSegment created = SharedSegment::create(10000);
        for (int i = 0; i < 2500; ++i) created.as<std::int32_t>()[i] = i * 7;
        {
            SharedSegment opened = SharedSegment::open(created.name());
            REQUIRE(opened.size() == created.size());
            REQUIRE(opened.data() != created.data());  // another address, the same memory
            REQUIRE(opened.name() == created.name());
            REQUIRE_FALSE(opened.owns_name());
            bool same = true;
            for (int i = 0; i < 2500; ++i) same = same && opened.as<std::int32_t>()[i] == i * 7;
            REQUIRE(same);
            opened.as<std::int32_t>()[100] = -1;
            REQUIRE(created.as<std::int32_t>()[100] == -1);
            view = opened.data();
        }
        REQUIRE(shm_exists(created.name()));  // closing the opener's view does not unlink
        REQUIRE_FALSE(is_mapped(view));       // but it does unmap
        REQUIRE(is_mapped(created.data()));
    }
    require_clean(before);
}

TEST_CASE("open: a name that does not exist, or an empty object, throws std::system_error") {
    Baseline before;
    const std::string name = std::string("/").append(our_prefix()).append("empty_segment");
    REQUIRE_THROWS_AS(SharedSegment::open(name), std::system_error);
    const int fd = ::shm_open(name.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);  // size 0: nothing to map
    REQUIRE(fd >= 0);
    ::close(fd);
    bool threw = false;
    try {
        SharedSegment seg = SharedSegment::open(name);
    } catch (const std::system_error&) {
        threw = true;
    }
    ::shm_unlink(name.c_str());
    REQUIRE(threw);
    require_clean(before);  // no descriptor left open on the error paths
}

TEST_CASE("a child process finds a named segment by its name") {
    Baseline before;
    {
        SharedSegment seg = SharedSegment::create(4096);
        const std::string name = seg.name();
        ch03::Child child([name] {
            SharedSegment mine = SharedSegment::open(name);
            std::strcpy(mine.as<char>(), "written by the child");
            return 0;
        });
        REQUIRE(child.wait_ok());
        REQUIRE(std::string(seg.as<char>()) == "written by the child");
    }
    require_clean(before);
}

TEST_CASE("anonymous: shared with children forked later, no name, nothing in /dev/shm") {
    Baseline before;
    const void* address = nullptr;
    {
        SharedSegment seg = SharedSegment::anonymous(1 << 20);
        REQUIRE(seg.name().empty());
        REQUIRE_FALSE(seg.owns_name());
        REQUIRE(seg.size() == (1u << 20));
        auto* words = seg.as<std::uint64_t>();
        ch03::Child child([words] {
            for (std::uint64_t i = 0; i < (1u << 17); ++i) words[i] = i * i;
        });
        REQUIRE(child.wait_ok());
        bool ok = true;
        for (std::uint64_t i = 0; i < (1u << 17); ++i) ok = ok && words[i] == i * i;
        REQUIRE(ok);
        REQUIRE(wb::testing::shm_entries(our_prefix()).empty());
        address = seg.data();
    }
    REQUIRE_FALSE(is_mapped(address));
    require_clean(before);
}

TEST_CASE("moving hands over the mapping and the duty to unlink") {
    Baseline before;
    {
        SharedSegment a = SharedSegment::create(128);
        const std::string name_a = a.name();
        a.as<char>()[0] = 'a';
        SharedSegment b(std::move(a));
        REQUIRE(a.data() == nullptr);
        REQUIRE_FALSE(a.owns_name());
        REQUIRE(b.owns_name());
        REQUIRE(b.name() == name_a);
        REQUIRE(b.as<char>()[0] == 'a');

        SharedSegment c = SharedSegment::create(128);
        const std::string name_c = c.name();
        c = std::move(b);  // c's own segment is released (unlinked); c now holds a's
        REQUIRE_FALSE(shm_exists(name_c));
        REQUIRE(shm_exists(name_a));
        REQUIRE(c.name() == name_a);
        REQUIRE(c.as<char>()[0] == 'a');
        SharedSegment empty;
        REQUIRE(empty.data() == nullptr);
    }
    require_clean(before);
}

TEST_CASE("a forked child destroying its copy does not unlink the parent's segment") {
    Baseline before;
    {
        SharedSegment seg = SharedSegment::create(4096);
        seg.as<char>()[0] = 'p';
        ch03::Child child([&seg] {
            if (seg.owns_name()) return 2;            // the child did not create it
            { SharedSegment mine = std::move(seg); }  // the child's copy is destroyed here
            return 0;
        });
        REQUIRE(child.wait_ok());
        REQUIRE(shm_exists(seg.name()));
        SharedSegment again = SharedSegment::open(seg.name());
        REQUIRE(again.as<char>()[0] == 'p');
    }
    require_clean(before);
}

TEST_CASE("SIGKILL of a child that maps the segment: the parent's segment survives, then goes") {
    Baseline before;
    ch03::SharedMapping flag_memory(sizeof(std::atomic<int>));
    auto* ready = new (flag_memory.data()) std::atomic<int>(0);
    std::string name;
    {
        SharedSegment seg = SharedSegment::create(4096);
        name = seg.name();
        ch03::Child child([name, ready] {
            try {
                SharedSegment mine = SharedSegment::open(name);
                mine.as<char>()[1] = 'k';
                ready->store(1, std::memory_order_release);
            } catch (...) {
                ready->store(-1);
                return 1;
            }
            for (;;) ::pause();  // holding the mapping when the parent kills us
        });
        REQUIRE(wait_for_flag(*ready) == 1);
        ::kill(child.pid(), SIGKILL);
        const int status = child.wait();
        REQUIRE(WIFSIGNALED(status));
        REQUIRE(WTERMSIG(status) == SIGKILL);
        REQUIRE(shm_exists(name));
        REQUIRE(seg.as<char>()[1] == 'k');
    }
    REQUIRE_FALSE(shm_exists(name));
    require_clean(before);
}

namespace {

// A child creates two named segments, reports their names, and waits to be stopped by `sig`.
// Returns the child's wait status; `names` gets the child's names.
int stop_child_that_created_segments(int sig, std::vector<std::string>& names, bool& existed) {
    struct Report {
        std::atomic<int> ready{0};
        char names[2][64] = {};
    };
    ch03::SharedMapping memory(sizeof(Report));
    auto* report = new (memory.data()) Report();
    ch03::Child child([report] {
        try {
            SharedSegment a = SharedSegment::create(4096);
            SharedSegment b = SharedSegment::create(1 << 20);
            std::strncpy(report->names[0], a.name().c_str(), 63);
            std::strncpy(report->names[1], b.name().c_str(), 63);
            report->ready.store(1, std::memory_order_release);
            for (;;) ::pause();  // the signal ends us here: no destructor runs, only the handler
        } catch (...) {
            report->ready.store(-1);
            return 1;
        }
    });
    const int ready = wait_for_flag(report->ready);
    names = {report->names[0], report->names[1]};
    existed = ready == 1 && shm_exists(names[0]) && shm_exists(names[1]);
    const pid_t child_pid = child.pid();
    ::kill(child_pid, sig);
    const int status = child.wait_for(10.0);  // -1: still running (then ~Child kills it)
    if (ready != 1) names.clear();
    // Whatever went wrong in the child, leave none of its names behind (the caller checks `names`).
    for (const auto& n : wb::testing::shm_entries("wb03_" + std::to_string(child_pid) + "_"))
        if (std::find(names.begin(), names.end(), "/" + n) == names.end()) ::shm_unlink(("/" + n).c_str());
    return status;
}

}  // namespace

TEST_CASE("SIGTERM or SIGINT: the handler unlinks what the process created, then the signal ends it") {
    Baseline before;
    for (int sig : {SIGTERM, SIGINT}) {
        INFO("signal " << sig);
        std::vector<std::string> names;
        bool existed = false;
        const int status = stop_child_that_created_segments(sig, names, existed);
        REQUIRE(names.size() == 2);
        REQUIRE(existed);
        CHECK(status != -1);  // the signal ended the child (did not leave it running)
        // The handler re-raised the signal with its default action: the child ended *by* it.
        CHECK((status != -1 && WIFSIGNALED(status)));
        CHECK((status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == sig));
        const bool gone = !shm_exists(names[0]) && !shm_exists(names[1]);
        for (const auto& n : names) ::shm_unlink(n.c_str());  // tidy up even if the handler did not
        REQUIRE(gone);
    }
    require_clean(before);
}

TEST_CASE("a child's handler unlinks only the child's names, not the parent's it inherited") {
    Baseline before;
    {
        SharedSegment parents = SharedSegment::create(4096);  // registered in the parent
        std::vector<std::string> names;
        bool existed = false;
        stop_child_that_created_segments(SIGTERM, names, existed);
        REQUIRE(existed);
        for (const auto& n : names) ::shm_unlink(n.c_str());
        REQUIRE(shm_exists(parents.name()));  // the child's handler left it alone
        REQUIRE(parents.owns_name());
    }
    require_clean(before);
}
