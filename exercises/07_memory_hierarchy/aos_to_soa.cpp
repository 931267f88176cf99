// EXERCISE 07.1 Goal: hold the particles as a structure of arrays (one contiguous array of doubles per
// field) behind the interface of ch07/aos_to_soa.hpp, so that a loop over one field reads only that
// field's bytes, every byte of each cache line it brings in useful.
//
// What the grade checks: the layout, by addresses: field f of particle i + 1 lies exactly 8 bytes after
// field f of particle i, for every field and particle, and no two fields share memory; the values
// copied exactly from the array of structures; advance() and sum() bit for bit as the header defines
// them (a multiply and an add per coordinate; one sum in particle order). The speed report compares
// sum() over x with the reference on a million particles.
// Read first: chapters/07_memory_hierarchy/README.md, section "Arrays of structures, structures of arrays".
// Stuck? `./wb hint 07.1` shows a hint, one stage per call.
#include "ch07/aos_to_soa.hpp"

#include <vector>

namespace ch07 {
WB_IMPL_BEGIN

// The arrays the particles are held in.
struct Particles::Storage {
    // EXERCISE: the members that hold the particles: every field of all particles in one contiguous
    // array of doubles (the header says what at() must then return).
};

Particles::Particles(std::span<const Particle> aos) : s_(std::make_unique<Storage>()) {
    // EXERCISE: copy every field of every particle of `aos` into its array.
    WB_TODO("07.1");
}

Particles::~Particles() = default;
Particles::Particles(Particles&&) noexcept = default;
Particles& Particles::operator=(Particles&&) noexcept = default;

std::size_t Particles::size() const {
    // EXERCISE: the number of particles held.
    WB_TODO("07.1");
}

double& Particles::at(Field f, std::size_t i) {
    // EXERCISE: a reference to field f of particle i, inside that field's array.
    WB_TODO("07.1");
}
const double& Particles::at(Field f, std::size_t i) const {
    // EXERCISE: the same, read-only.
    WB_TODO("07.1");
}

void Particles::advance(double dt) {
    // EXERCISE: position += velocity * dt for every particle and each of x, y, z, as loops that run
    // along the arrays.
    WB_TODO("07.1");
}

double Particles::sum(Field f) const {
    // EXERCISE: the sum of field f in particle order, starting from 0.0: a loop over one array only.
    WB_TODO("07.1");
}

WB_IMPL_END
}  // namespace ch07
