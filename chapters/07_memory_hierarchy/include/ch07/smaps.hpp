// ch07/smaps.hpp: what the kernel says about the mapping that holds an address (/proc/self/smaps):
// its resident size, how much of it is in transparent huge pages, and its flags.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace ch07 {

struct MappingInfo {
    bool found = false;
    std::uintptr_t start = 0, end = 0;
    std::size_t rss_bytes = 0;        ///< "Rss:" resident memory of the mapping
    std::size_t anon_huge_bytes = 0;  ///< "AnonHugePages:" of it in transparent huge pages
    std::string vm_flags;             ///< "VmFlags:", e.g. "rd wr mr mw me ac hg" (hg: MADV_HUGEPAGE,
                                      ///< nh: MADV_NOHUGEPAGE)
    bool has_flag(const std::string& f) const { return (" " + vm_flags + " ").find(" " + f + " ") != std::string::npos; }
};

/// The entry of /proc/self/smaps whose address range holds `p` (found = false when none does).
inline MappingInfo mapping_of(const void* p) {
    const auto a = reinterpret_cast<std::uintptr_t>(p);
    std::ifstream in("/proc/self/smaps");
    std::string line;
    MappingInfo info;
    bool inside = false;
    auto kib = [](const std::string& l) {
        std::istringstream s(l.substr(l.find(':') + 1));
        std::size_t v = 0;
        s >> v;
        return v * 1024;
    };
    while (std::getline(in, line)) {
        unsigned long long lo = 0, hi = 0;
        if (line.find(':') > line.find(' ') && std::sscanf(line.c_str(), "%llx-%llx", &lo, &hi) == 2) {
            if (inside) break;  // the next mapping starts: ours is complete
            inside = a >= lo && a < hi;
            if (inside) {
                info.found = true;
                info.start = static_cast<std::uintptr_t>(lo);
                info.end = static_cast<std::uintptr_t>(hi);
            }
            continue;
        }
        if (!inside) continue;
        if (line.rfind("Rss:", 0) == 0) info.rss_bytes = kib(line);
        else if (line.rfind("AnonHugePages:", 0) == 0) info.anon_huge_bytes = kib(line);
        else if (line.rfind("VmFlags:", 0) == 0) {
            info.vm_flags = line.substr(8);
            while (!info.vm_flags.empty() && info.vm_flags.front() == ' ') info.vm_flags.erase(0, 1);
            while (!info.vm_flags.empty() && info.vm_flags.back() == ' ') info.vm_flags.pop_back();
        }
    }
    return info;
}

}  // namespace ch07
