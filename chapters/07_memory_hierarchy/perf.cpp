// ch07_perf: speed goals of chapter 07, the learner's version against the reference, one core.
#include <memory>
#include <random>
#include <vector>

#include "ch07/aos_to_soa.hpp"
#include "ch07/blur.hpp"
#include "ch07/huge_pages.hpp"
#include "ch07/matmul.hpp"
#include "ch07/transpose.hpp"
#include "wb/isa.hpp"
#include "wb/perf.hpp"

namespace {
std::vector<ch07::Particle> particles(std::size_t n) {
    std::vector<ch07::Particle> p(n);
    std::mt19937_64 gen(5);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    for (auto& q : p) q = {u(gen), u(gen), u(gen), u(gen), u(gen), u(gen), 1.5 + u(gen)};
    return p;
}
}  // namespace

WB_PERF_CASES(reg) {
    // Summing one field of a million particles: a structure of arrays streams 8 MB, an array of
    // structures 56 MB. The layout test already checks the arrays; this is the speed it buys.
    reg.add("07.1 sum of x, 1 Mi particles", 0.7, [] {
        auto p = std::make_shared<ch07::Particles>(particles(std::size_t{1} << 20));
        return [p] {
            volatile double s = p->sum(ch07::Field::x);
            (void)s;
        };
    });
    // A 3000 x 3000 transpose (72 MB each way): a tiled loop runs several times faster than the plain
    // two loops, whose writes each bring in a line.
    reg.add("07.2 transpose 3000 x 3000", 0.6, [] {
        struct M {
            std::vector<double> in, out;
        };
        auto m = std::make_shared<M>();
        m->in.assign(3000 * 3000, 1.0);
        m->out.assign(3000 * 3000, 0.0);
        return [m] { ch07::transpose_tiled(m->in.data(), m->out.data(), 3000, 3000); };
    });
    // Mapping, touching and unmapping 64 MiB: with huge pages 32 faults, with 4 KiB pages 16384.
    reg.add("07.3 HugeBuffer of 64 MiB, first touch", 0.5, [] {
        return [] { ch07::HugeBuffer b(std::size_t{64} << 20); };
    });
#include "blocking/perf_cases.inc"
}
