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
    std::vector<double> field[kFields];  // field[f][i]: field f of particle i
};

Particles::Particles(std::span<const Particle> aos) : s_(std::make_unique<Storage>()) {
    const std::size_t n = aos.size();
    for (auto& v : s_->field) v.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const Particle& p = aos[i];
        const double values[kFields] = {p.x, p.y, p.z, p.vx, p.vy, p.vz, p.mass};
        for (int f = 0; f < kFields; ++f) s_->field[f][i] = values[f];
    }
}

Particles::~Particles() = default;
Particles::Particles(Particles&&) noexcept = default;
Particles& Particles::operator=(Particles&&) noexcept = default;

std::size_t Particles::size() const { return s_->field[0].size(); }

double& Particles::at(Field f, std::size_t i) { return s_->field[static_cast<int>(f)][i]; }
const double& Particles::at(Field f, std::size_t i) const { return s_->field[static_cast<int>(f)][i]; }

void Particles::advance(double dt) {
    const std::size_t n = size();
    for (int c = 0; c < 3; ++c) {
        double* pos = s_->field[c].data();
        const double* vel = s_->field[c + 3].data();
        for (std::size_t i = 0; i < n; ++i) pos[i] += vel[i] * dt;
    }
}

double Particles::sum(Field f) const {
    double total = 0.0;
    for (double v : s_->field[static_cast<int>(f)]) total += v;
    return total;
}

WB_IMPL_END
}  // namespace ch07
