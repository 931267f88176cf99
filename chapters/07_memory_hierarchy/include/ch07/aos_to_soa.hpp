// ch07/aos_to_soa.hpp: exercise 07.1, particles stored as a structure of arrays.
#pragma once

#include <cstddef>
#include <memory>
#include <span>

#include "wb/exercise.hpp"

namespace ch07 {

// [particle]
/// One particle as an array-of-structures element: what a Numba jitclass (or a NumPy structured
/// array) holds. Seven doubles, 56 bytes: reading only the x of every particle brings in whole lines
/// of which 8 bytes in 56 are used.
struct Particle {
    double x, y, z;     ///< position
    double vx, vy, vz;  ///< velocity
    double mass;
};
// [particle]

/// The fields of a Particle, to name one of them.
enum class Field { x, y, z, vx, vy, vz, mass };
inline constexpr int kFields = 7;

WB_IMPL_BEGIN

/// The same particles as a structure of arrays: every field of all particles in one contiguous array
/// of doubles, so that field f of particle i + 1 is the double right after field f of particle i.
/// How the arrays are held is up to the implementation (struct Storage, defined in the .cpp).
class Particles {
public:
    /// Copies `aos` field by field into the arrays.
    explicit Particles(std::span<const Particle> aos);
    ~Particles();
    Particles(Particles&&) noexcept;
    Particles& operator=(Particles&&) noexcept;

    std::size_t size() const;
    /// Field f of particle i (i < size()): a reference into that field's array.
    double& at(Field f, std::size_t i);
    const double& at(Field f, std::size_t i) const;

    /// One explicit Euler step: position += velocity * dt for every particle (x += vx * dt, and the
    /// same for y and z), each a separate multiply and add, rounded as written.
    void advance(double dt);
    /// The sum of field f over all particles, added in particle order (0, 1, 2, ...) into one double
    /// that starts at 0.0.
    double sum(Field f) const;

private:
    struct Storage;
    std::unique_ptr<Storage> s_;
};

WB_IMPL_END

}  // namespace ch07
