// flags/report.cpp: what each set of compiler flags buys (speed) and costs (ULPs), measured.
//
// Every kernel of kernels.hpp runs in every variant on the same inputs. A kernel's speed is compared
// with its own "pinned" copy (the same loop under the same flags, forced to stay scalar): the ratio is
// what vectorizing gave, and it is what the model predicts. Its results are compared with references
// rounded from long double, in ULPs.
#include "report.hpp"

#include <algorithm>
#include <ctime>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "accuracy.hpp"
#include "kernels.hpp"

namespace ch06::flags {
namespace {

/// Seconds of CPU time this thread has used: on a shared machine a thread that is switched out stops
/// its own clock, where a wall clock would count the other program's time slice too.
double thread_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

std::string format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
std::string format(const char* fmt, ...) {
    char buf[512];
    va_list args;
    va_start(args, fmt);
    std::vsnprintf(buf, sizeof buf, fmt, args);
    va_end(args);
    return buf;
}

volatile double g_sink = 0.0;  // where sums go, so that no call is optimised away

/// The inputs and outputs of every kernel: small enough (1024 elements, 8 KiB an array) that all of
/// them stay in the L1 cache, so the loops are limited by the core, not by memory.
struct Data {
    std::size_t n;
    std::vector<double> exp_in, poly_in, sqrt_in, sum_in, x, y, out;
    std::vector<double> m, vx, vy, vz;
    std::vector<Particle> particles;
    explicit Data(std::size_t size)
        : n(size),
          exp_in(uniform(size, kExpLo, kExpHi, 1)),
          poly_in(uniform(size, kPolyLo, kPolyHi, 2)),
          sqrt_in(uniform(size, kSqrtLo, kSqrtHi, 3)),
          sum_in(uniform(size, kSumLo, kSumHi, 4)),
          x(uniform(size, -1.0, 1.0, 5)),
          y(uniform(size, -1.0, 1.0, 6)),
          out(size),
          m(uniform(size, 1.0, 2.0, 7)),
          vx(uniform(size, -1.0, 1.0, 8)),
          vy(uniform(size, -1.0, 1.0, 9)),
          vz(uniform(size, -1.0, 1.0, 10)),
          particles(size) {
        for (std::size_t i = 0; i < size; ++i) particles[i] = {0.0, 0.0, 0.0, vx[i], vy[i], vz[i], m[i]};
    }
};

/// One column of the tables: a kernel, how to run it in a variant, and how to run its pinned copy.
struct Kernel {
    const char* name;
    std::function<void(const Variant&, Data&)> run;
    std::function<void(const Variant&, Data&)> run_pinned;  // empty: no pinned copy
    bool (*predicted_vector)(const std::string& variant);  // the rules of g++ 12
};

bool is(const std::string& v, std::initializer_list<const char*> names) {
    for (const char* n : names)
        if (v == n) return true;
    return false;
}

// g++ 12's rules, as the lesson states them. -O2 uses the "very cheap" cost model: it vectorizes only a
// loop that needs no scalar epilogue and no run-time check, which a loop of unknown length always needs.
bool plain_loop(const std::string& v) { return v != "O2"; }
bool needs_reassociation(const std::string& v) { return is(v, {"assoc", "fast"}); }
bool needs_no_errno(const std::string& v) { return is(v, {"no_errno", "fast"}); }
bool needs_libmvec(const std::string& v) { return v == "fast"; }
bool never(const std::string&) { return false; }

std::vector<Kernel> kernels() {
    return {
        {"axpy", [](const Variant& v, Data& d) { v.axpy(d.y.data(), d.x.data(), 1e-9, d.n); }, nullptr, plain_loop},
        {"axpy_restrict", [](const Variant& v, Data& d) { v.axpy_restrict(d.y.data(), d.x.data(), 1e-9, d.n); },
         [](const Variant& v, Data& d) { v.pinned.axpy_restrict(d.y.data(), d.x.data(), 1e-9, d.n); }, plain_loop},
        {"sum", [](const Variant& v, Data& d) { g_sink = v.sum(d.sum_in.data(), d.n); },
         [](const Variant& v, Data& d) { g_sink = v.pinned.sum(d.sum_in.data(), d.n); }, needs_reassociation},
        {"sqrt", [](const Variant& v, Data& d) { v.sqrt_all(d.out.data(), d.sqrt_in.data(), d.n); },
         [](const Variant& v, Data& d) { v.pinned.sqrt_all(d.out.data(), d.sqrt_in.data(), d.n); }, needs_no_errno},
        {"exp", [](const Variant& v, Data& d) { v.exp_all(d.out.data(), d.exp_in.data(), d.n); },
         [](const Variant& v, Data& d) { v.pinned.exp_all(d.out.data(), d.exp_in.data(), d.n); }, needs_libmvec},
        {"poly", [](const Variant& v, Data& d) { v.poly(d.out.data(), d.poly_in.data(), d.n); },
         [](const Variant& v, Data& d) { v.pinned.poly(d.out.data(), d.poly_in.data(), d.n); }, plain_loop},
        {"kinetic_aos", [](const Variant& v, Data& d) { v.kinetic_aos(d.out.data(), d.particles.data(), d.n); },
         nullptr, never},
        {"kinetic_soa",
         [](const Variant& v, Data& d) {
             v.kinetic_soa(d.out.data(), d.m.data(), d.vx.data(), d.vy.data(), d.vz.data(), d.n);
         },
         [](const Variant& v, Data& d) {
             v.pinned.kinetic_soa(d.out.data(), d.m.data(), d.vx.data(), d.vy.data(), d.vz.data(), d.n);
         },
         plain_loop},
    };
}

/// Nanoseconds per element of each job, measured in rounds: every round times one batch of each job in
/// turn (so that a slow phase of the machine hits all of them alike), and each job keeps its fastest
/// round: noise only ever adds time. A batch repeats the call enough times to last about `batch_s`
/// seconds of the thread's CPU time.
std::vector<double> ns_per_element(const std::vector<std::function<void()>>& jobs, std::size_t n, int rounds,
                                   double batch_s) {
    std::vector<long> reps(jobs.size());
    for (std::size_t j = 0; j < jobs.size(); ++j) {
        jobs[j]();  // warm-up: page in, fill the caches
        long r = 1;
        for (;;) {
            const double t0 = thread_seconds();
            for (long k = 0; k < r; ++k) jobs[j]();
            const double s = thread_seconds() - t0;
            if (s >= batch_s / 4 || r >= (1L << 24)) {
                reps[j] = std::max(1L, static_cast<long>(static_cast<double>(r) * batch_s / std::max(s, 1e-9)));
                break;
            }
            r *= 4;
        }
    }
    std::vector<std::vector<double>> t(jobs.size());
    for (int round = 0; round < rounds; ++round) {
        for (std::size_t j = 0; j < jobs.size(); ++j) {
            const double t0 = thread_seconds();
            for (long k = 0; k < reps[j]; ++k) jobs[j]();
            const double s = thread_seconds() - t0;
            t[j].push_back(1e9 * s / (static_cast<double>(reps[j]) * static_cast<double>(n)));
        }
    }
    std::vector<double> best(jobs.size());
    for (std::size_t j = 0; j < jobs.size(); ++j) best[j] = *std::min_element(t[j].begin(), t[j].end());
    return best;
}

}  // namespace

void print_report(std::ostream& out, bool quick) {
    const std::size_t n = 1024;
    const int rounds = quick ? 3 : 11;
    const double batch_s = quick ? 2e-4 : 1e-3;
    Data data(n);
    const auto& vs = variants();
    const std::vector<Kernel> ks = kernels();
    const Variant& strict = *find_variant("strict");

    out << "   The same loops (flags/kernels.cpp) compiled once per set of flags; " << n
        << " doubles per array, in L1 cache.\n";
    out << "   Flags on top of the build's (cmake/workbook.cmake has them exactly), and W: the doubles per\n"
           "   register of the widest vector instructions each variant may use\n";
    for (const Variant& v : vs) out << format("     %-10s W = %d  %s\n", v.name, v.isa_doubles(), v.what);

    // ---- the prediction -----------------------------------------------------------------------------
    out << "\n   Predict first. Model: a loop the compiler turns into vectors of W doubles handles W elements per\n"
           "   instruction where the scalar loop handles one, so it runs up to W times faster than the same loop\n"
           "   kept scalar (its 'pinned' copy, compiled with the same flags). For the sum, the scalar loop waits\n"
           "   for each addition; with W partial sums it waits once per W elements: W times faster again.\n"
           "   Which loops vectorize, by g++ 12's rules: -O2 none (its cheap cost model refuses any loop of\n"
           "   unknown length); the sum only with reassociation (assoc, fast); sqrt only without errno\n"
           "   (no_errno, fast); exp only with -ffast-math (glibc's vector exp); the array-of-structures loop\n"
           "   not at all (its fields are 56 bytes apart); everything else from -O3 on.\n\n";

    // Measure every kernel and its pinned copy in every variant, kernel by kernel.
    std::vector<std::vector<double>> t(ks.size()), tp(ks.size());
    for (std::size_t k = 0; k < ks.size(); ++k) {
        std::vector<std::function<void()>> jobs;
        for (const Variant& v : vs) jobs.push_back([&, k, pv = &v] { ks[k].run(*pv, data); });
        if (ks[k].run_pinned) {
            for (const Variant& v : vs) jobs.push_back([&, k, pv = &v] { ks[k].run_pinned(*pv, data); });
        }
        std::vector<double> r = ns_per_element(jobs, n, rounds, batch_s);
        t[k].assign(r.begin(), r.begin() + static_cast<std::ptrdiff_t>(vs.size()));
        if (ks[k].run_pinned) tp[k].assign(r.begin() + static_cast<std::ptrdiff_t>(vs.size()), r.end());
    }

    out << "   Predicted against measured: speed of the loop / speed of its pinned scalar copy\n";
    out << "   (" << (quick ? "--quick: short timings, noisy" : "CPU time, best of 11 rounds")
        << "; 'vec' is inferred from the measured ratio:\n   above 1.5 means the loop ran as vectors)\n\n";
    std::string head = format("   %-10s", "variant");
    for (const Kernel& kn : ks)
        if (kn.run_pinned) head += format(" %16s", kn.name == std::string("axpy_restrict") ? "axpy_restr." : kn.name);
    out << head << "\n" << format("   %-10s", "");
    for (const Kernel& kn : ks)
        if (kn.run_pinned) out << format(" %16s", "model meas. vec");
    out << "\n";
    for (std::size_t i = 0; i < vs.size(); ++i) {
        out << format("   %-10s", vs[i].name);
        for (std::size_t k = 0; k < ks.size(); ++k) {
            if (!ks[k].run_pinned) continue;
            const int w = ks[k].predicted_vector(vs[i].name) ? vs[i].isa_doubles() : 1;
            const double ratio = tp[k][i] / t[k][i];
            out << format(" %4dx %5.1fx %3s", w, ratio, ratio > 1.5 ? "yes" : "no");
        }
        out << "\n";
    }
    out << "\n   Partial sums each sum() kept, read from its rounding of 2^53 + 1 + 1 + ... (flags/accuracy.hpp):\n  ";
    for (const Variant& v : vs) out << format(" %s %d", v.name, partial_sums(v));
    out << "\n   (1: one chain of additions in order, even where the compiler's report says 'vectorized')\n";

    // ---- time per element and speed against strict ---------------------------------------------------
    out << "\n   Time per element in ns (and speed against strict: its time / this time)\n\n";
    head = format("   %-10s", "variant");
    for (const Kernel& kn : ks) head += format(" %11s", kn.name == std::string("axpy_restrict") ? "axpy_restr." : kn.name);
    out << head << "\n";
    std::size_t strict_i = 0;
    for (std::size_t i = 0; i < vs.size(); ++i)
        if (&vs[i] == &strict) strict_i = i;
    for (std::size_t i = 0; i < vs.size(); ++i) {
        out << format("   %-10s", vs[i].name);
        for (std::size_t k = 0; k < ks.size(); ++k)
            out << format(" %5.3f %4.1fx", t[k][i], t[k][strict_i] / t[k][i]);
        out << "\n";
    }

    // ---- what it costs in accuracy -------------------------------------------------------------------
    std::vector<double> want_exp(n), want_poly(n);
    for (std::size_t i = 0; i < n; ++i) {
        want_exp[i] = exp_reference(data.exp_in[i]);
        want_poly[i] = poly_reference(data.poly_in[i]);
    }
    const long double want_sum = sum_reference(data.sum_in.data(), n);
    out << "\n   Error against correctly rounded references (exp and the polynomial from long double, the sum\n"
           "   compensated in long double); ULP = distance in doubles, 0 = the correctly rounded result\n\n";
    out << format("   %-10s %14s %14s %14s %14s %16s\n", "variant", "exp max ULP", "exp mean ULP", "poly max ULP",
                  "poly mean ULP", "sum rel. error");
    std::vector<double> got(n), strict_poly(n), contract_poly(n);
    for (const Variant& v : vs) {
        v.exp_all(got.data(), data.exp_in.data(), n);
        const UlpStats e = ulp_stats(got.data(), want_exp.data(), n);
        v.poly(got.data(), data.poly_in.data(), n);
        const UlpStats p = ulp_stats(got.data(), want_poly.data(), n);
        if (std::string(v.name) == "strict") strict_poly = got;
        if (std::string(v.name) == "contract") contract_poly = got;
        const double s = v.sum(data.sum_in.data(), n);
        out << format("   %-10s %14llu %14.3f %14llu %14.3f %16.2e\n", v.name, static_cast<unsigned long long>(e.max),
                      e.mean, static_cast<unsigned long long>(p.max), p.mean, relative_error(s, want_sum));
    }
    out << format("\n   (a double's unit roundoff is u = %.2e; an in-order sum of %zu terms of one sign is within about\n"
                  "   %zu u = %.1e of the exact sum, and usually much closer)\n",
                  0.5 * std::numeric_limits<double>::epsilon(), n, n - 1,
                  static_cast<double>(n - 1) * 0.5 * std::numeric_limits<double>::epsilon());
    if (std::memcmp(strict_poly.data(), contract_poly.data(), n * sizeof(double)) == 0) {
        out << "   Note: strict and contract give the same bits for the polynomial: this compiler fuses a*b+c into\n"
               "   an FMA even without -ffp-contract=fast (g++ does in C++ unless -ffp-contract=off is given).\n";
    }
}

}  // namespace ch06::flags
