// flags/kernels.cpp: the loops of the section "Auto-vectorization and compiler flags", compiled once per
// variant of the compiler flags (WB_VARIANT names the variant; see kernels.hpp). Nothing here asks for
// vectors: each loop is written plainly, and the flags decide whether g++ turns it into vector code.
// Only plain pointers and built-in operations are used, so that no inline function from a header is
// compiled eight times with eight sets of flags (the linker would keep one copy for all of them).
#include "kernels.hpp"

#include <cmath>

#ifndef WB_VARIANT
#error "flags/kernels.cpp is compiled by wb_variant_library, which defines WB_VARIANT"
#endif

namespace ch06::flags::WB_VARIANT {

//! [axpy_alias]
// y and x may point into the same array: storing y[i] could change x[i + 1]. To run this as vectors
// the compiler must first check at run time that the two ranges do not overlap.
void axpy(double* y, const double* x, double a, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) y[i] += a * x[i];
}
//! [axpy_alias]

//! [axpy_restrict]
// __restrict: the caller promises that y and x do not overlap, so no check is needed.
void axpy_restrict(double* __restrict y, const double* __restrict x, double a, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) y[i] += a * x[i];
}
//! [axpy_restrict]

//! [serial_sum]
// One chain of additions: each one needs the previous result. Vectors would add in another order
// (several partial sums), which rounds differently, so IEEE rules forbid it without -fassociative-math.
double sum(const double* x, std::size_t n) {
    double s = 0.0;
    for (std::size_t i = 0; i < n; ++i) s += x[i];
    return s;
}
//! [serial_sum]

//! [sqrt_loop]
// sqrt of a negative number sets errno to EDOM (unless -fno-math-errno): a side effect that a vector
// square-root instruction does not have, so g++ keeps a scalar call for that case.
void sqrt_all(double* __restrict out, const double* __restrict in, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) out[i] = std::sqrt(in[i]);
}
//! [sqrt_loop]

//! [exp_loop]
// The exp "ufunc": without -ffast-math every element is one call of glibc's scalar exp; with it, g++
// calls glibc's vector exp (libmvec: _ZGVdN4v_exp does 4 doubles, _ZGVeN8v_exp 8).
void exp_all(double* __restrict out, const double* __restrict in, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) out[i] = std::exp(in[i]);
}
//! [exp_loop]

//! [poly_loop]
// Horner's rule: p = p * x + c, eight times. With -ffp-contract=fast each step becomes one fused
// multiply-add (FMA), rounded once instead of twice.
void poly(double* __restrict out, const double* __restrict in, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        const double x = in[i];
        double p = kPoly[8];
        for (int k = 7; k >= 0; --k) p = p * x + kPoly[static_cast<std::size_t>(k)];
        out[i] = p;
    }
}
//! [poly_loop]

//! [kinetic_layouts]
// Array of structures: the fields of one particle are neighbours, so one field of consecutive
// particles is 56 bytes apart, and a vector load of four velocities needs four separate loads.
void kinetic_aos(double* __restrict e, const Particle* __restrict p, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
        e[i] = 0.5 * p[i].m * (p[i].vx * p[i].vx + p[i].vy * p[i].vy + p[i].vz * p[i].vz);
}

// Structure of arrays: each field is its own contiguous array, one vector load per field.
void kinetic_soa(double* __restrict e, const double* __restrict m, const double* __restrict vx,
                 const double* __restrict vy, const double* __restrict vz, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) e[i] = 0.5 * m[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i]);
}
//! [kinetic_layouts]

namespace pinned {
namespace {
//! [pin]
// An empty asm statement that claims to read and change v, in a register: the compiler must
// produce each iteration's value as one scalar, so the loop stays scalar whatever the flags say.
// Everything else about the loop (the flags, FMA, the library calls) is as in the loops above.
inline void pin(double& v) {
#if defined(__x86_64__) || defined(__i386__)
    __asm__ volatile("" : "+x"(v));
#elif defined(__aarch64__)
    __asm__ volatile("" : "+w"(v));
#else
    __asm__ volatile("" : "+m"(v));
#endif
}
//! [pin]
}  // namespace

void axpy_restrict(double* __restrict y, const double* __restrict x, double a, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        double v = y[i] + a * x[i];
        pin(v);
        y[i] = v;
    }
}

double sum(const double* x, std::size_t n) {
    double s = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        s += x[i];
        pin(s);
    }
    return s;
}

void sqrt_all(double* __restrict out, const double* __restrict in, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        double v = std::sqrt(in[i]);
        pin(v);
        out[i] = v;
    }
}

void exp_all(double* __restrict out, const double* __restrict in, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        double v = std::exp(in[i]);
        pin(v);
        out[i] = v;
    }
}

void poly(double* __restrict out, const double* __restrict in, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        const double x = in[i];
        double p = kPoly[8];
        for (int k = 7; k >= 0; --k) p = p * x + kPoly[static_cast<std::size_t>(k)];
        pin(p);
        out[i] = p;
    }
}

void kinetic_soa(double* __restrict e, const double* __restrict m, const double* __restrict vx,
                 const double* __restrict vy, const double* __restrict vz, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        double v = 0.5 * m[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i]);
        pin(v);
        e[i] = v;
    }
}
}  // namespace pinned

int isa_doubles() {
#if defined(__AVX512F__)
    return 8;
#elif defined(__AVX__)
    return 4;
#elif defined(__SSE2__) || defined(__aarch64__)
    return 2;
#else
    return 1;
#endif
}

}  // namespace ch06::flags::WB_VARIANT
