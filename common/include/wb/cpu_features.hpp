// wb/cpu_features.hpp: which vector instructions this CPU runs, asked at run time.
//
// The workbook is compiled with -march=native by default, but code that is specialised for one
// instruction set (intrinsics inside functions marked __attribute__((target("avx512f"))), say) must
// still choose its path at run time: the binary may have been built elsewhere or without
// -march=native, and running an instruction the CPU lacks ends the program with SIGILL.
//
//   const wb::CpuFeatures f = wb::cpu_features();
//   if (f.avx512f) ... else if (f.avx2_fma) ... else ...   // the portable path
#pragma once

namespace wb {

/// The vector extensions that decide how wide a floating-point kernel can go on this CPU.
struct CpuFeatures {
    bool avx2_fma = false;  ///< AVX2 and FMA3: 256-bit vectors, 4 doubles, fused multiply-add
    bool avx512f = false;   ///< AVX-512 Foundation: 512-bit vectors, 8 doubles, fused multiply-add
};

/// Asks the CPU (CPUID, through the compiler's __builtin_cpu_supports, which also checks that the
/// operating system saves the wide registers). All false on a CPU that is not x86.
inline CpuFeatures cpu_features() {
    CpuFeatures f;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    f.avx2_fma = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    f.avx512f = __builtin_cpu_supports("avx512f");
#endif
    return f;
}

}  // namespace wb
