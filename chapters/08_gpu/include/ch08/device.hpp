// ch08/device.hpp: the GPU as the host sees it, through a small C++ interface that compiles everywhere:
// the device query, device and pinned memory, streams, CUDA-event timers and kernel launches. Built
// with nvcc, chapters/08_gpu/device.cu calls the CUDA runtime; without CUDA it reports why there is no
// device, and every call that needs one throws gpu::NoDevice.
#pragma once

#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>

#include "ch08/launch.hpp"

namespace ch08::gpu {

/// What the program and the benchmarks print about the GPU, or why there is none.
struct DeviceInfo {
    bool available = false;
    std::string why_not;  ///< when !available: no CUDA in this build, or what the driver said
    std::string name;     ///< e.g. "NVIDIA H200"
    int compute_major = 0, compute_minor = 0;
    int multiprocessors = 0;
    std::size_t global_bytes = 0;
    int max_threads_per_block = 0;
    std::size_t shared_bytes_per_block = 0;
    std::string runtime;  ///< CUDA runtime and driver versions
};

/// The first GPU, queried once. Set WB_NO_GPU=1 to pretend there is none (to test the fallbacks).
const DeviceInfo& device();

/// True when this build compiled its .cu files with nvcc.
bool built_with_cuda();

/// Thrown by every call that needs a GPU when there is none; what() says why.
class NoDevice : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Throws NoDevice unless device().available.
void require_device();

/// A CUDA stream (cudaStream_t); the default one when empty.
struct Stream {
    void* handle = nullptr;
};

/// A stream of its own, destroyed with the object.
class OwnStream {
public:
    OwnStream();
    ~OwnStream();
    OwnStream(const OwnStream&) = delete;
    OwnStream& operator=(const OwnStream&) = delete;
    Stream get() const { return {handle_}; }
    void synchronize() const;

private:
    void* handle_ = nullptr;
};

/// Waits for everything queued on the GPU (cudaDeviceSynchronize), and reports a kernel's failure.
void synchronize();

// Raw memory (bytes). Transfers with a stream are asynchronous only from pinned host memory.
void* device_alloc(std::size_t bytes);
void device_free(void* p) noexcept;
void* pinned_alloc(std::size_t bytes);
void pinned_free(void* p) noexcept;
void copy_to_device(void* dst, const void* src, std::size_t bytes, Stream s = {});
void copy_to_host(void* dst, const void* src, std::size_t bytes, Stream s = {});
void copy_on_device(void* dst, const void* src, std::size_t bytes, Stream s = {});
void fill_device(void* dst, int byte, std::size_t bytes, Stream s = {});

/// n elements of T in GPU memory.
template <class T>
class Buffer {
public:
    explicit Buffer(std::size_t n) : n_(n), p_(static_cast<T*>(device_alloc(n * sizeof(T)))) {}
    explicit Buffer(std::span<const T> host) : Buffer(host.size()) { upload(host); }
    ~Buffer() { device_free(p_); }
    Buffer(const Buffer&) = delete;
    Buffer& operator=(const Buffer&) = delete;
    T* data() const { return p_; }
    std::size_t size() const { return n_; }
    void upload(std::span<const T> host, Stream s = {}) { copy_to_device(p_, host.data(), bytes_of(host.size()), s); }
    void download(std::span<T> host, Stream s = {}) const { copy_to_host(host.data(), p_, bytes_of(host.size()), s); }

private:
    std::size_t bytes_of(std::size_t n) const {
        if (n > n_) throw std::out_of_range("gpu::Buffer: more elements than the buffer holds");
        return n * sizeof(T);
    }
    std::size_t n_;
    T* p_;
};

/// n elements of T in pinned (page-locked) host memory: the GPU copies it by DMA, and copies from it can
/// overlap with kernels.
template <class T>
class PinnedBuffer {
public:
    explicit PinnedBuffer(std::size_t n) : n_(n), p_(static_cast<T*>(pinned_alloc(n * sizeof(T)))) {}
    ~PinnedBuffer() { pinned_free(p_); }
    PinnedBuffer(const PinnedBuffer&) = delete;
    PinnedBuffer& operator=(const PinnedBuffer&) = delete;
    std::span<T> span() const { return {p_, n_}; }
    T* data() const { return p_; }

private:
    std::size_t n_;
    T* p_;
};

/// Times work on a stream with two CUDA events: the GPU's own clock, from when the stream reaches
/// start() to when it reaches stop(), without the host's launch overhead before the first.
class EventTimer {
public:
    EventTimer();
    ~EventTimer();
    EventTimer(const EventTimer&) = delete;
    EventTimer& operator=(const EventTimer&) = delete;
    void start(Stream s = {});
    void stop(Stream s = {});
    /// Waits for stop() and returns the seconds between the events.
    double seconds();

private:
    [[maybe_unused]] void* start_ = nullptr;  // cudaEvent_t (unused in a build without CUDA)
    [[maybe_unused]] void* stop_ = nullptr;
};

/// Throws std::runtime_error if the last launch failed (cudaGetLastError), naming `what`.
void check_launch(const char* what);

[[noreturn]] void throw_no_device();

}  // namespace ch08::gpu

#if defined(__CUDACC__)
namespace ch08::gpu {

/// The calling GPU thread, as a kernel of this chapter sees it (the emulator's is emu::Thread).
struct DeviceThread {
    Dim3 blockIdx, blockDim, threadIdx, gridDim;
    __device__ DeviceThread()
        : blockIdx{::blockIdx.x, ::blockIdx.y, ::blockIdx.z},
          blockDim{::blockDim.x, ::blockDim.y, ::blockDim.z},
          threadIdx{::threadIdx.x, ::threadIdx.y, ::threadIdx.z},
          gridDim{::gridDim.x, ::gridDim.y, ::gridDim.z} {}
    __device__ void syncthreads() const { __syncthreads(); }
    __device__ void* shared() const {
        extern __shared__ __align__(16) unsigned char ch08_dynamic_shared[];
        return ch08_dynamic_shared;
    }
    __device__ unsigned lane() const {
        return (threadIdx.x + blockDim.x * (threadIdx.y + blockDim.y * threadIdx.z)) % kWarpSize;
    }
    template <class T>
    __device__ T shfl_down(T v, unsigned delta) const {
        return __shfl_down_sync(0xffffffffu, v, delta);
    }
};

template <class Kernel>
__global__ void kernel_entry(Kernel k) {
    const DeviceThread t;
    k(t);
}

/// kernel<<<grid, block, shared_bytes, stream>>>: queued, not waited for.
template <class Kernel>
void launch(const Launch& l, const Kernel& k, Stream s = {}) {
    require_device();
    kernel_entry<Kernel><<<dim3(l.grid.x, l.grid.y, l.grid.z), dim3(l.block.x, l.block.y, l.block.z), l.shared_bytes,
                           static_cast<cudaStream_t>(s.handle)>>>(k);
    check_launch(__PRETTY_FUNCTION__);
}

}  // namespace ch08::gpu
#else
namespace ch08::gpu {
/// Without CUDA there is nothing to launch on: throws NoDevice saying why.
template <class Kernel>
void launch(const Launch&, const Kernel&, Stream = {}) {
    throw_no_device();
}
}  // namespace ch08::gpu
#endif
