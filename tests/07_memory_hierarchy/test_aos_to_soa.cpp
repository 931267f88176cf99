// Tests of exercise 07.1: the particles really are held as a structure of arrays (checked by the
// addresses at() returns), copied exactly, and advance() and sum() give the bits the header defines.
#include <cstdint>
#include <random>
#include <set>
#include <utility>
#include <vector>

#include "ch07/aos_to_soa.hpp"
#include "wb/catch.hpp"

namespace {
using ch07::Field;
constexpr Field kAll[] = {Field::x, Field::y, Field::z, Field::vx, Field::vy, Field::vz, Field::mass};

std::vector<ch07::Particle> random_particles(std::size_t n, std::uint64_t seed) {
    std::vector<ch07::Particle> p(n);
    std::mt19937_64 gen(seed);
    std::uniform_real_distribution<double> u(-10.0, 10.0);
    for (auto& q : p) q = {u(gen), u(gen), u(gen), u(gen), u(gen), u(gen), 1.0 + u(gen) * u(gen)};
    return p;
}

double field_of(const ch07::Particle& p, Field f) {
    switch (f) {
        case Field::x: return p.x;
        case Field::y: return p.y;
        case Field::z: return p.z;
        case Field::vx: return p.vx;
        case Field::vy: return p.vy;
        case Field::vz: return p.vz;
        case Field::mass: return p.mass;
    }
    return 0.0;
}

std::uintptr_t addr(const double& d) { return reinterpret_cast<std::uintptr_t>(&d); }
}  // namespace

TEST_CASE("07.1 every field is one contiguous array: consecutive particles 8 bytes apart") {
    for (std::size_t n : {std::size_t{1}, std::size_t{2}, std::size_t{7}, std::size_t{1000}}) {
        const auto aos = random_particles(n, n);
        const ch07::Particles p(aos);
        REQUIRE(p.size() == n);
        for (Field f : kAll) {
            INFO("n = " << n << ", field " << static_cast<int>(f));
            for (std::size_t i = 0; i + 1 < n; ++i) {
                // An array of structures keeps the fields of a particle together: sizeof(Particle) = 56
                // bytes between consecutive x's. A structure of arrays has the next x right after this one.
                REQUIRE(addr(p.at(f, i + 1)) - addr(p.at(f, i)) == sizeof(double));
            }
        }
    }
}

TEST_CASE("07.1 no two fields share memory") {
    const std::size_t n = 100;
    const ch07::Particles p(random_particles(n, 3));
    // The address ranges [at(f, 0), at(f, n - 1)] of the seven fields do not overlap.
    std::vector<std::pair<std::uintptr_t, std::uintptr_t>> ranges;
    for (Field f : kAll) ranges.emplace_back(addr(p.at(f, 0)), addr(p.at(f, n - 1)) + sizeof(double));
    for (std::size_t a = 0; a < ranges.size(); ++a)
        for (std::size_t b = a + 1; b < ranges.size(); ++b) {
            INFO("fields " << a << " and " << b);
            REQUIRE((ranges[a].second <= ranges[b].first || ranges[b].second <= ranges[a].first));
        }
}

TEST_CASE("07.1 the values are copied exactly, and at() writes into the arrays") {
    const auto aos = random_particles(513, 11);
    ch07::Particles p(aos);
    for (std::size_t i = 0; i < aos.size(); ++i)
        for (Field f : kAll) REQUIRE(p.at(f, i) == field_of(aos[i], f));
    p.at(Field::vy, 17) = 42.5;
    REQUIRE(p.sum(Field::vy) == [&] {
        double s = 0.0;
        for (std::size_t i = 0; i < aos.size(); ++i) s += i == 17 ? 42.5 : aos[i].vy;
        return s;
    }());
    const ch07::Particles empty(std::vector<ch07::Particle>{});
    REQUIRE(empty.size() == 0);
    REQUIRE(empty.sum(Field::x) == 0.0);
}

TEST_CASE("07.1 advance and sum give the bits of the definitions") {
    // Exact comparisons: the header defines each result as a sequence of roundings (x + vx * dt with a
    // separate multiply and add, a sum in particle order), and the same sequence gives the same bits.
    // The exercise is built for the x86-64 baseline, which has no fused multiply-add to change them.
    auto aos = random_particles(1001, 5);
    ch07::Particles p(aos);
    const double dt = 0.0137;
    for (int step = 0; step < 3; ++step) {
        p.advance(dt);
        for (auto& q : aos) {
            const double dx = q.vx * dt, dy = q.vy * dt, dz = q.vz * dt;
            q.x = q.x + dx;
            q.y = q.y + dy;
            q.z = q.z + dz;
        }
    }
    for (std::size_t i = 0; i < aos.size(); ++i) {
        INFO("particle " << i);
        for (Field f : kAll) REQUIRE(p.at(f, i) == field_of(aos[i], f));
    }
    for (Field f : kAll) {
        double s = 0.0;
        for (const auto& q : aos) s += field_of(q, f);
        REQUIRE(p.sum(f) == s);
    }
}

TEST_CASE("07.1 a moved-from container hands its arrays over") {
    const auto aos = random_particles(10, 2);
    ch07::Particles a(aos);
    const double* x0 = &a.at(Field::x, 0);
    ch07::Particles b(std::move(a));
    REQUIRE(b.size() == 10);
    REQUIRE(&b.at(Field::x, 0) == x0);
}
