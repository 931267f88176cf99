// loops_offload.hpp: the chapter's loops as OpenMP target regions (`target teams distribute parallel
// for`). Compiled by g++ with nvptx offloading where the build has it (cmake/cuda.cmake), else as plain
// OpenMP, whose target regions run on the host. Each call reports where its loop really ran, as seen from
// inside the region: OpenMP falls back to the host silently when no device is usable.
#pragma once

#include <cstddef>
#include <span>
#include <string>

#include "ch08/kernels.hpp"

namespace ch08::offload {

struct Where {
    bool on_device = false;  ///< omp_is_initial_device() was false inside the loop
    int devices = 0;         ///< omp_get_num_devices() before the loop
    /// "GPU" or "host", for labels and the program's tables.
    const char* place() const { return on_device ? "GPU" : "host"; }
};

/// Whether this build compiled the offload loops for nvptx, and if not why (cmake/cuda.cmake).
bool compiled_for_gpu();
std::string why_not_compiled();

Where vector_add(std::span<const float> a, std::span<const float> b, std::span<float> c);
Where sum(std::span<const float> x, double& result);
Where mandelbrot(const Frame& f, std::span<int> out);
Where conv2d(std::span<const float> img, int width, int height, std::span<const float> w, int k, std::span<float> out);

}  // namespace ch08::offload
