// ways_avx2.cpp: the omp simd and std::experimental::simd kernels compiled for AVX2 + FMA (the file name
// gives the flags), called only after wb::cpu_has(wb::Isa::avx2).
#if defined(__AVX2__)
#define WB_WAYS_NS avx2
#include "ways_impl.hpp"
#include "ways_isa.hpp"

#endif
