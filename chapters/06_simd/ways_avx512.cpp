// ways_avx512.cpp: the omp simd and std::experimental::simd kernels compiled for AVX-512 (the file name
// gives the flags), called only after wb::cpu_has(wb::Isa::avx512).
#if defined(__AVX512F__)
// GCC 12's AVX-512 header fills the unused lanes of some intrinsics (the square root that
// std::experimental::simd calls) from a deliberately uninitialized vector, and warns about it.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
#define WB_WAYS_NS avx512
#include "ways_impl.hpp"
#include "ways_isa.hpp"

#endif
