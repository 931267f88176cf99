// Tests of exercise 03.1: SharedSegment creates, opens, shares and always cleans up.
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

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
    }
    REQUIRE_FALSE(shm_exists(name));
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
        }
        REQUIRE(shm_exists(created.name()));  // closing the opener's view does not unlink
    }
    require_clean(before);
}

TEST_CASE("open: a name that does not exist throws std::system_error") {
    Baseline before;
    REQUIRE_THROWS_AS(SharedSegment::open(std::string("/").append(our_prefix()).append("no_such_segment")),
                      std::system_error);
    require_clean(before);
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
    }
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
    ::kill(child.pid(), sig);
    const int status = child.wait_for(10.0);  // -1: still running (then ~Child kills it)
    if (ready != 1) names.clear();
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
