// wb/isa.hpp: the vector instruction sets a kernel can be dispatched to, chosen at run time.
//
// Chapters 06 and 07 build without -march=native (wb_chapter(ISA_DISPATCH)): their plain C++ runs on
// any x86-64. Code for one instruction set lives in files named *_avx2.cpp or *_avx512.cpp, which
// cmake/workbook.cmake compiles with that set's flags. A kernel then takes the Isa to run on:
//
//   for (wb::Isa isa : wb::isas_on_this_cpu()) check(sum(x, isa));   // tests: every path the CPU has
//   const wb::Isa isa = wb::widest_isa();                            // programs and benchmarks
//
// WB_ISA=scalar|avx2|avx512 in the environment lowers widest_isa() to that set (to see a narrower
// path's speed on a wide machine); asking for a set the CPU lacks is an error, not a crash by SIGILL.
#pragma once

#include <array>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "wb/cpu_features.hpp"

namespace wb {

/// An instruction set a dispatched kernel has a path for, narrowest first.
enum class Isa {
    scalar,  ///< portable C++ compiled for the x86-64 baseline (SSE2 at most): runs everywhere
    avx2,    ///< AVX2 + FMA: 256-bit vectors, 4 doubles
    avx512,  ///< AVX-512 F/VL/DQ/BW: 512-bit vectors, 8 doubles, mask registers
};

inline constexpr std::array<Isa, 3> all_isas{Isa::scalar, Isa::avx2, Isa::avx512};

inline const char* isa_name(Isa isa) {
    switch (isa) {
        case Isa::scalar: return "scalar";
        case Isa::avx2: return "avx2";
        case Isa::avx512: return "avx512";
    }
    return "?";
}

/// Doubles per vector register on that path (1 for scalar).
inline constexpr int isa_doubles(Isa isa) {
    return isa == Isa::avx512 ? 8 : isa == Isa::avx2 ? 4 : 1;
}

inline std::optional<Isa> parse_isa(std::string_view s) {
    for (Isa isa : all_isas) {
        if (s == isa_name(isa)) return isa;
    }
    return std::nullopt;
}

/// Whether this CPU (and its operating system) runs the instruction set.
inline bool cpu_has(Isa isa) {
    static const CpuFeatures f = [] {
        CpuFeatures g = cpu_features();
#if defined(__x86_64__)
        __builtin_cpu_init();
        // The AVX-512 files use the VL, DQ and BW extensions as well as F (every AVX-512 CPU since
        // Skylake-SP has them; the first Xeon Phi did not).
        g.avx512f = g.avx512f && g.avx2_fma && __builtin_cpu_supports("avx512vl") &&
                    __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw");
#endif
        return g;
    }();
    switch (isa) {
        case Isa::scalar: return true;
        case Isa::avx2: return f.avx2_fma;
        case Isa::avx512: return f.avx512f;
    }
    return false;
}

/// Every path this CPU runs, narrowest first: what a test of a dispatched kernel loops over.
inline std::vector<Isa> isas_on_this_cpu() {
    std::vector<Isa> v;
    for (Isa isa : all_isas) {
        if (cpu_has(isa)) v.push_back(isa);
    }
    return v;
}

/// The widest path this CPU runs, or the one WB_ISA names. Throws std::invalid_argument when WB_ISA
/// names no instruction set or one this CPU lacks (programs turn that into exit code 2).
inline Isa widest_isa() {
    if (const char* env = std::getenv("WB_ISA"); env != nullptr && *env != '\0') {
        const std::optional<Isa> want = parse_isa(env);
        if (!want) {
            throw std::invalid_argument(std::string("WB_ISA=") + env +
                                        " is not an instruction set (scalar, avx2 or avx512)");
        }
        if (!cpu_has(*want)) {
            throw std::invalid_argument(std::string("WB_ISA=") + env + ": this CPU does not run " + env);
        }
        return *want;
    }
    const std::vector<Isa> v = isas_on_this_cpu();
    return v.back();
}

}  // namespace wb
