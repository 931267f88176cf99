// ways_isa.hpp: the entry points of ways_impl.hpp, one set per file it is compiled in (namespaces base,
// avx2, avx512), declared for the dispatching code in ways.cpp.
#pragma once

#include <cstddef>

#define WB_WAYS_DECLARE(NS)                                                                                  \
    namespace ch06::ways::NS {                                                                               \
    double entry_sum_omp(const double* p, std::size_t n);                                                    \
    double entry_sumsq_omp(const double* p, std::size_t n);                                                  \
    double entry_sum_stdx(const double* p, std::size_t n);                                                   \
    double entry_sumsq_stdx(const double* p, std::size_t n);                                                 \
    void entry_mandelbrot_omp(const double* cx, int width, double cy, int max_iter, int* dst);               \
    void entry_mandelbrot_stdx(const double* cx, int width, double cy, int max_iter, int* dst);              \
    void entry_nbody_omp(const double* x, const double* y, const double* z, const double* m, std::size_t n, \
                         std::size_t begin, std::size_t end, double* ax, double* ay, double* az);           \
    void entry_nbody_stdx(const double* x, const double* y, const double* z, const double* m, std::size_t n, \
                          std::size_t begin, std::size_t end, double* ax, double* ay, double* az);          \
    }

WB_WAYS_DECLARE(base)
WB_WAYS_DECLARE(avx2)
WB_WAYS_DECLARE(avx512)
