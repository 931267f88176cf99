// The peak floating-point rate of one core, measured in the widest vector instructions the CPU runs.
//
// Exercise 00.4 advances a fixed 48 chains and lets the compiler choose the vector width. That is
// enough for AVX2 (4 doubles per register) but not for AVX-512 (8 doubles): the machine's peak needs
// about latency x units x lanes independent chains, so the count depends on the CPU. The kernels here
// are written once per instruction set with intrinsics, each offering several chain counts, and the
// path is chosen at run time from what the CPU reports (wb/cpu_features.hpp).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace ch00::peak {

/// A code path: the portable one (std::fma on an array, vectorised as the compiler sees fit) or one
/// written with the intrinsics of an instruction set.
enum class Isa { generic, avx2, avx512 };

/// The paths this CPU can run, narrowest first: generic always, then AVX2+FMA and AVX-512F if present.
std::vector<Isa> available();

/// The widest path this CPU runs: what the peak is measured with.
Isa widest();

/// "generic", "AVX2+FMA" or "AVX-512F".
const char* name(Isa isa);

/// Doubles per vector register on the path: 1 (generic: one chain per value), 4 or 8.
int lanes(Isa isa);

/// The numbers of independent vector registers run() can advance together, on every path. 12 vectors
/// cover two FMA units of up to 6 cycles' latency, and still leave registers for a and b on a CPU with
/// only 16 vector registers (AVX2).
inline constexpr std::array<int, 7> kVectorCounts{1, 2, 4, 6, 8, 10, 12};

/// The count the peak is measured with: the largest one.
inline constexpr int kPeakVectors = 12;

/// Advances x.size() == vectors * lanes(isa) independent chains, each by `steps` steps of
/// v = fma(v, a, b), one step of every chain before the next step of any. `vectors` must be one of
/// kVectorCounts and `isa` one of available(); throws std::invalid_argument otherwise.
void run(Isa isa, int vectors, std::span<double> x, double a, double b, std::int64_t steps);

/// Floating-point operations of run(isa, vectors, ..., steps) on each of `threads` threads.
double flops(Isa isa, int vectors, std::int64_t steps, int threads = 1);

/// run() on each of `threads` OpenMP threads at once, each on its own chains with a = 0.999 and
/// b = 0.001 (the values converge to 1 and stay far from overflow and subnormals). Returns a checksum
/// of the final values, to print or to pass to a sink so the work is kept.
double run_threads(Isa isa, int vectors, int threads, std::int64_t steps);

/// Runs every path this CPU has, at every vector count, against a plain std::fma loop: the results
/// must be bitwise equal (an fma rounds once, whichever instruction computes it). Returns "" when they
/// all are, else a description of the first difference.
std::string self_check();

/// `blocks` x 16 integer additions, each waiting for the one before. An addition takes one cycle on
/// every current core, so additions per second measure the clock the core really runs at (the
/// added value is read at run time: some cores fold additions of constants ahead of time).
std::uint64_t add_chain(std::int64_t blocks);

}  // namespace ch00::peak
