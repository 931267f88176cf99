// Tests of exercise 07.3: the buffer is 2 MiB aligned, advised as huge-page memory before its first
// touch, resident, zeroed and writable, in huge pages where the kernel allows them, and given back
// whole. What the kernel did is read from /proc/self/smaps (ch07/smaps.hpp).
#include <cstdint>
#include <fstream>
#include <string>
#include <utility>

#include "ch07/huge_pages.hpp"
#include "ch07/smaps.hpp"
#include "wb/catch.hpp"

namespace {
constexpr std::size_t MiB = std::size_t{1} << 20;

std::string thp_mode() {
    std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
    std::string text;
    std::getline(in, text);
    const auto open = text.find('['), close = text.find(']');
    return open == std::string::npos || close == std::string::npos ? "unavailable" : text.substr(open + 1, close - open - 1);
}

/// The process's mapped memory (VmSize in /proc/self/status), in bytes.
std::size_t vm_size() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmSize:", 0) == 0) return std::stoul(line.substr(7)) * 1024;
    return 0;
}
}  // namespace

TEST_CASE("07.3 the buffer starts on a 2 MiB boundary and covers the request in whole huge pages") {
    for (std::size_t bytes : {std::size_t{1}, 2 * MiB, 5 * MiB + 1, 16 * MiB}) {
        INFO("bytes = " << bytes);
        const ch07::HugeBuffer b(bytes);
        REQUIRE(b.data() != nullptr);
        REQUIRE(reinterpret_cast<std::uintptr_t>(b.data()) % ch07::kHugePageBytes == 0);
        REQUIRE(b.size() >= bytes);
        REQUIRE(b.size() % ch07::kHugePageBytes == 0);
        REQUIRE(b.size() < bytes + ch07::kHugePageBytes);
    }
    const ch07::HugeBuffer empty(0);
    REQUIRE(empty.size() == 0);
}

TEST_CASE("07.3 the kernel records the huge-page advice, and all of the buffer is resident") {
    const ch07::HugeBuffer b(32 * MiB);
    const ch07::MappingInfo m = ch07::mapping_of(b.data());
    REQUIRE(m.found);
    INFO("VmFlags: " << m.vm_flags << "; Rss " << m.rss_bytes << " B; AnonHugePages " << m.anon_huge_bytes << " B");
    // hg: this range was given MADV_HUGEPAGE. It is what lets the kernel use huge pages here when
    // transparent_hugepage/enabled is 'madvise', the default of many distributions.
    REQUIRE(m.has_flag("hg"));
    // Touched once per 4 KiB before the constructor returned: every page is in memory.
    REQUIRE(m.rss_bytes >= b.size());
}

TEST_CASE("07.3 most of the buffer is in huge pages, where the kernel gives them") {
    const std::string mode = thp_mode();
    if (mode == "never" || mode == "unavailable") {
        WARN("transparent_hugepage/enabled is '" << mode << "' on this machine: no huge pages can be had, "
             "so this check is skipped (the advice and alignment are still checked above)");
        return;
    }
    const ch07::HugeBuffer b(32 * MiB);
    const ch07::MappingInfo m = ch07::mapping_of(b.data());
    INFO("THP mode " << mode << "; VmFlags: " << m.vm_flags << "; AnonHugePages " << m.anon_huge_bytes << " B of "
         << b.size());
    // Huge pages are taken at the first touch of each aligned 2 MiB, and only for memory advised before
    // that touch (in 'madvise' mode). Half leaves room for a kernel short of free 2 MiB blocks.
    REQUIRE(m.anon_huge_bytes >= b.size() / 2);
}

TEST_CASE("07.3 the memory reads as zeros and keeps what is written") {
    ch07::HugeBuffer b(6 * MiB);
    for (std::size_t off = 0; off < b.size(); off += 4096 - 8) REQUIRE(b.data()[off] == std::byte{0});
    REQUIRE(b.data()[b.size() - 1] == std::byte{0});
    for (std::size_t off = 0; off < b.size(); off += 1000) b.data()[off] = std::byte(off % 251);
    for (std::size_t off = 0; off < b.size(); off += 1000) REQUIRE(b.data()[off] == std::byte(off % 251));
}

TEST_CASE("07.3 the destructor gives all of the mapping back, and a move hands it over") {
    {
        ch07::HugeBuffer warm(16 * MiB);  // first allocations of the process out of the way
    }
    const std::size_t before = vm_size();
    for (int i = 0; i < 24; ++i) {
        ch07::HugeBuffer b(16 * MiB + 1);
        b.data()[0] = std::byte{1};
    }
    const std::size_t after = vm_size();
    INFO("VmSize before " << before << " B, after 24 buffers " << after << " B");
    // Any memory left mapped per buffer (the alignment slack, or all of it) adds up over 24 buffers.
    REQUIRE(after < before + 8 * MiB);

    ch07::HugeBuffer a(4 * MiB);
    std::byte* p = a.data();
    ch07::HugeBuffer c(std::move(a));
    REQUIRE(c.data() == p);
    REQUIRE(a.data() == nullptr);
    c.data()[c.size() - 1] = std::byte{7};
}
