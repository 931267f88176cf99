// flags/kernels.hpp: small loops compiled once per set of compiler flags, to see what each flag buys.
//
// chapters/06_simd/CMakeLists.txt builds flags/kernels.cpp once per variant (wb_variant_library, flags
// in cmake/workbook.cmake); each copy defines its functions in namespace ch06::flags::<variant>. The
// loops are plain C++ on purpose: whether they run as vectors is the compiler's decision, and that
// decision is what the chapter studies. variants() lists every copy, for the report and the benchmarks.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace ch06::flags {

/// One particle as an array of structures stores it: the seven fields of a body side by side.
struct Particle {
    double x, y, z;     ///< position
    double vx, vy, vz;  ///< velocity
    double m;           ///< mass
};

/// The variants, in the order the report prints them (keep in step with the CMakeLists' VARIANTS).
#define CH06_FLAGS_VARIANTS(X) X(O2) X(O3) X(O3_native) X(strict) X(no_errno) X(contract) X(assoc) X(fast)

// The kernels every variant defines. Each is the same source, compiled with that variant's flags.
#define CH06_FLAGS_DECLARE(V)                                                                                  \
    namespace V {                                                                                            \
    /* y[i] += a * x[i]; y and x may overlap, as far as the compiler knows */                                 \
    void axpy(double* y, const double* x, double a, std::size_t n);                                          \
    /* the same with __restrict: the caller promises that they do not */                                    \
    void axpy_restrict(double* __restrict y, const double* __restrict x, double a, std::size_t n);           \
    /* x[0] + x[1] + ... + x[n-1], added left to right as written */                                          \
    double sum(const double* x, std::size_t n);                                                              \
    /* out[i] = sqrt(in[i]) */                                                                               \
    void sqrt_all(double* __restrict out, const double* __restrict in, std::size_t n);                       \
    /* out[i] = exp(in[i]): the vectorized exp "ufunc" */                                                    \
    void exp_all(double* __restrict out, const double* __restrict in, std::size_t n);                        \
    /* out[i] = a degree-8 polynomial of in[i] (Horner's rule: 8 multiply-adds) */                           \
    void poly(double* __restrict out, const double* __restrict in, std::size_t n);                          \
    /* e[i] = m v^2 / 2 of particle i, from an array of structures and from a structure of arrays */         \
    void kinetic_aos(double* __restrict e, const Particle* __restrict p, std::size_t n);                     \
    void kinetic_soa(double* __restrict e, const double* __restrict m, const double* __restrict vx,          \
                     const double* __restrict vy, const double* __restrict vz, std::size_t n);               \
    /* the same loops with each iteration's value pinned in a scalar register: never vectorized, */          \
    /* the scalar speed under the same flags, which the report compares the loops above with */              \
    namespace pinned {                                                                                       \
    void axpy_restrict(double* __restrict y, const double* __restrict x, double a, std::size_t n);           \
    double sum(const double* x, std::size_t n);                                                              \
    void sqrt_all(double* __restrict out, const double* __restrict in, std::size_t n);                       \
    void exp_all(double* __restrict out, const double* __restrict in, std::size_t n);                        \
    void poly(double* __restrict out, const double* __restrict in, std::size_t n);                          \
    void kinetic_soa(double* __restrict e, const double* __restrict m, const double* __restrict vx,          \
                     const double* __restrict vy, const double* __restrict vz, std::size_t n);               \
    }                                                                                                        \
    /* doubles per register of the widest vector instructions this copy was compiled for (2, 4 or 8) */      \
    int isa_doubles();                                                                                       \
    }

CH06_FLAGS_VARIANTS(CH06_FLAGS_DECLARE)
#undef CH06_FLAGS_DECLARE

/// The coefficients of poly(): a degree-8 polynomial, c[0] + c[1] x + ... + c[8] x^8 (the Taylor series
/// of exp at 0; any smooth function would do). Used by the kernels and by the long double reference.
inline constexpr std::array<double, 9> kPoly = {1.0,       1.0,        1.0 / 2,    1.0 / 6,    1.0 / 24,
                                                1.0 / 120, 1.0 / 720,  1.0 / 5040, 1.0 / 40320};

using AxpyFn = void (*)(double*, const double*, double, std::size_t);
using SumFn = double (*)(const double*, std::size_t);
using MapFn = void (*)(double*, const double*, std::size_t);
using AosFn = void (*)(double*, const Particle*, std::size_t);
using SoaFn = void (*)(double*, const double*, const double*, const double*, const double*, std::size_t);

/// One compiled copy of the kernels: its name, what its flags add, and its functions.
struct Variant {
    const char* name;  ///< as in the CMakeLists and the benchmark names
    const char* what;  ///< its flags in words (the flags themselves are in cmake/workbook.cmake)
    AxpyFn axpy, axpy_restrict;
    SumFn sum;
    MapFn sqrt_all, exp_all, poly;
    AosFn kinetic_aos;
    SoaFn kinetic_soa;
    struct {
        AxpyFn axpy_restrict;
        SumFn sum;
        MapFn sqrt_all, exp_all, poly;
        SoaFn kinetic_soa;
    } pinned;
    int (*isa_doubles)();
};

/// What each variant's flags add, in words.
inline const char* variant_flags(std::string_view name) {
    struct Row {
        std::string_view name;
        const char* what;
    };
    static constexpr Row rows[] = {
        {"O2", "-O2, x86-64 baseline (SSE2)"},
        {"O3", "-O3, x86-64 baseline (SSE2)"},
        {"O3_native", "-O3 -march=native (g++ fuses a*b+c into FMAs by default)"},
        {"strict", "-O3 -march=native -ffp-contract=off: IEEE rules"},
        {"no_errno", "strict + -fno-math-errno"},
        {"contract", "-O3 -march=native -ffp-contract=fast"},
        {"assoc", "strict + -fassociative-math -fno-signed-zeros -fno-trapping-math"},
        {"fast", "-O3 -march=native -ffast-math"},
    };
    for (const Row& r : rows) {
        if (r.name == name) return r.what;
    }
    return "?";
}

#define CH06_FLAGS_ROW(V)                                                                                     \
    Variant{#V,                                                                                               \
            variant_flags(#V),                                                                                \
            V::axpy,                                                                                          \
            V::axpy_restrict,                                                                                 \
            V::sum,                                                                                           \
            V::sqrt_all,                                                                                      \
            V::exp_all,                                                                                       \
            V::poly,                                                                                          \
            V::kinetic_aos,                                                                                   \
            V::kinetic_soa,                                                                                   \
            {V::pinned::axpy_restrict, V::pinned::sum, V::pinned::sqrt_all, V::pinned::exp_all,               \
             V::pinned::poly, V::pinned::kinetic_soa},                                                        \
            V::isa_doubles},

/// Every variant, in report order.
inline const std::array<Variant, 8>& variants() {
    static const std::array<Variant, 8> all = {CH06_FLAGS_VARIANTS(CH06_FLAGS_ROW)};
    return all;
}
#undef CH06_FLAGS_ROW

/// The variant named `name`; nullptr when there is none.
inline const Variant* find_variant(std::string_view name) {
    for (const Variant& v : variants()) {
        if (name == v.name) return &v;
    }
    return nullptr;
}

}  // namespace ch06::flags
