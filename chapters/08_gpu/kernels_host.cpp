// kernels_host.cpp: the host-only helpers of ch08/kernels.hpp (inputs and references of the tests).
#include <cmath>
#include <random>

#include "ch08/kernels.hpp"

namespace ch08 {

std::vector<Body> make_bodies(std::size_t n, std::uint64_t seed) {
    std::mt19937_64 gen(seed);
    std::uniform_real_distribution<float> pos(0.0f, 1.0f), mass(0.5f, 1.5f);
    std::vector<Body> b(n);
    for (auto& x : b) x = {pos(gen), pos(gen), pos(gen), mass(gen)};
    return b;
}

std::vector<Vec3> accelerations_reference(const std::vector<Body>& bodies) {
    std::vector<Vec3> a(bodies.size());
    for (std::size_t i = 0; i < bodies.size(); ++i) {
        double ax = 0, ay = 0, az = 0;
        for (const Body& b : bodies) {
            const double dx = double{b.x} - bodies[i].x, dy = double{b.y} - bodies[i].y, dz = double{b.z} - bodies[i].z;
            const double r2 = dx * dx + dy * dy + dz * dz + double{kSoftening2};
            const double s = b.m / (r2 * std::sqrt(r2));
            ax += s * dx;
            ay += s * dy;
            az += s * dz;
        }
        a[i] = {static_cast<float>(ax), static_cast<float>(ay), static_cast<float>(az)};
    }
    return a;
}

double pull_scale(const std::vector<Body>& bodies, std::size_t i) {
    double s = 0;
    for (const Body& b : bodies) {
        const double dx = double{b.x} - bodies[i].x, dy = double{b.y} - bodies[i].y, dz = double{b.z} - bodies[i].z;
        const double r2 = dx * dx + dy * dy + dz * dz + double{kSoftening2};
        s += b.m / (r2 * std::sqrt(r2)) * (std::abs(dx) + std::abs(dy) + std::abs(dz));
    }
    return s;
}

}  // namespace ch08
