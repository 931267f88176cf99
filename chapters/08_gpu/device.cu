// device.cu: ch08/device.hpp on the CUDA runtime, or, compiled as C++ without CUDA, the same interface
// reporting why there is no device.
#include "ch08/device.hpp"

#include <cstdlib>
#include <string>

#if defined(__CUDACC__)
#include <cuda_runtime.h>
#endif

namespace ch08::gpu {

bool built_with_cuda() {
#if defined(__CUDACC__)
    return true;
#else
    return false;
#endif
}

[[noreturn]] void throw_no_device() { throw NoDevice("no GPU: " + device().why_not); }

void require_device() {
    if (!device().available) throw_no_device();
}

#if defined(__CUDACC__)

namespace {
void check(cudaError_t e, const char* what) {
    if (e != cudaSuccess) throw std::runtime_error(std::string(what) + ": " + cudaGetErrorString(e));
}

DeviceInfo query() {
    DeviceInfo d;
    if (const char* no = std::getenv("WB_NO_GPU"); no && *no && std::string(no) != "0") {
        d.why_not = "WB_NO_GPU is set";
        return d;
    }
    int count = 0;
    // Without a driver this is cudaErrorInsufficientDriver (35), without a GPU cudaErrorNoDevice (100):
    // any error means no device.
    const cudaError_t e = cudaGetDeviceCount(&count);
    if (e != cudaSuccess) {
        d.why_not = std::string("cudaGetDeviceCount says ") + cudaGetErrorName(e) + " (" + cudaGetErrorString(e) + ")";
        (void)cudaGetLastError();
        return d;
    }
    if (count == 0) {
        d.why_not = "the CUDA driver reports no device";
        return d;
    }
    cudaDeviceProp p{};
    if (cudaGetDeviceProperties(&p, 0) != cudaSuccess) {
        d.why_not = "cudaGetDeviceProperties failed";
        return d;
    }
    d.available = true;
    d.name = p.name;
    d.compute_major = p.major;
    d.compute_minor = p.minor;
    d.multiprocessors = p.multiProcessorCount;
    d.global_bytes = p.totalGlobalMem;
    d.max_threads_per_block = p.maxThreadsPerBlock;
    d.shared_bytes_per_block = p.sharedMemPerBlock;
    int rt = 0, drv = 0;
    cudaRuntimeGetVersion(&rt);
    cudaDriverGetVersion(&drv);
    d.runtime = "runtime " + std::to_string(rt / 1000) + "." + std::to_string(rt % 1000 / 10) + ", driver " +
                std::to_string(drv / 1000) + "." + std::to_string(drv % 1000 / 10);
    return d;
}
}  // namespace

const DeviceInfo& device() {
    static const DeviceInfo info = query();
    return info;
}

OwnStream::OwnStream() {
    require_device();
    cudaStream_t s = nullptr;
    check(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking), "cudaStreamCreate");
    handle_ = s;
}
OwnStream::~OwnStream() {
    if (handle_) cudaStreamDestroy(static_cast<cudaStream_t>(handle_));
}
void OwnStream::synchronize() const {
    check(cudaStreamSynchronize(static_cast<cudaStream_t>(handle_)), "cudaStreamSynchronize");
}

void synchronize() {
    require_device();
    check(cudaDeviceSynchronize(), "cudaDeviceSynchronize (a kernel failed?)");
}

void* device_alloc(std::size_t bytes) {
    require_device();
    void* p = nullptr;
    check(cudaMalloc(&p, bytes ? bytes : 1), "cudaMalloc");
    return p;
}
void device_free(void* p) noexcept {
    if (p) cudaFree(p);
}
void* pinned_alloc(std::size_t bytes) {
    require_device();
    void* p = nullptr;
    check(cudaMallocHost(&p, bytes ? bytes : 1), "cudaMallocHost");
    return p;
}
void pinned_free(void* p) noexcept {
    if (p) cudaFreeHost(p);
}
void copy_to_device(void* dst, const void* src, std::size_t bytes, Stream s) {
    check(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyHostToDevice, static_cast<cudaStream_t>(s.handle)), "copy to device");
    if (!s.handle) check(cudaStreamSynchronize(nullptr), "copy to device");
}
void copy_to_host(void* dst, const void* src, std::size_t bytes, Stream s) {
    check(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToHost, static_cast<cudaStream_t>(s.handle)), "copy to host");
    if (!s.handle) check(cudaStreamSynchronize(nullptr), "copy to host");
}
void copy_on_device(void* dst, const void* src, std::size_t bytes, Stream s) {
    check(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToDevice, static_cast<cudaStream_t>(s.handle)), "copy on device");
}
void fill_device(void* dst, int byte, std::size_t bytes, Stream s) {
    check(cudaMemsetAsync(dst, byte, bytes, static_cast<cudaStream_t>(s.handle)), "cudaMemset");
}

EventTimer::EventTimer() {
    require_device();
    cudaEvent_t a = nullptr, b = nullptr;
    check(cudaEventCreate(&a), "cudaEventCreate");
    check(cudaEventCreate(&b), "cudaEventCreate");
    start_ = a;
    stop_ = b;
}
EventTimer::~EventTimer() {
    if (start_) cudaEventDestroy(static_cast<cudaEvent_t>(start_));
    if (stop_) cudaEventDestroy(static_cast<cudaEvent_t>(stop_));
}
void EventTimer::start(Stream s) {
    check(cudaEventRecord(static_cast<cudaEvent_t>(start_), static_cast<cudaStream_t>(s.handle)), "cudaEventRecord");
}
void EventTimer::stop(Stream s) {
    check(cudaEventRecord(static_cast<cudaEvent_t>(stop_), static_cast<cudaStream_t>(s.handle)), "cudaEventRecord");
}
double EventTimer::seconds() {
    check(cudaEventSynchronize(static_cast<cudaEvent_t>(stop_)), "cudaEventSynchronize (a kernel failed?)");
    float ms = 0.0f;
    check(cudaEventElapsedTime(&ms, static_cast<cudaEvent_t>(start_), static_cast<cudaEvent_t>(stop_)),
          "cudaEventElapsedTime");
    return 1e-3 * static_cast<double>(ms);
}

void check_launch(const char* what) { check(cudaGetLastError(), what); }

#else  // no CUDA in this build: every call that needs a GPU says why there is none

const DeviceInfo& device() {
    static const DeviceInfo info = [] {
        DeviceInfo d;
        d.why_not = std::string("this build has no CUDA: ") + WB_CUDA_WHY_NOT;
        return d;
    }();
    return info;
}

OwnStream::OwnStream() { throw_no_device(); }
OwnStream::~OwnStream() = default;
void OwnStream::synchronize() const { throw_no_device(); }
void synchronize() { throw_no_device(); }
void* device_alloc(std::size_t) { throw_no_device(); }
void device_free(void*) noexcept {}
void* pinned_alloc(std::size_t) { throw_no_device(); }
void pinned_free(void*) noexcept {}
void copy_to_device(void*, const void*, std::size_t, Stream) { throw_no_device(); }
void copy_to_host(void*, const void*, std::size_t, Stream) { throw_no_device(); }
void copy_on_device(void*, const void*, std::size_t, Stream) { throw_no_device(); }
void fill_device(void*, int, std::size_t, Stream) { throw_no_device(); }
EventTimer::EventTimer() { throw_no_device(); }
EventTimer::~EventTimer() = default;
void EventTimer::start(Stream) { throw_no_device(); }
void EventTimer::stop(Stream) { throw_no_device(); }
double EventTimer::seconds() { throw_no_device(); }
void check_launch(const char*) { throw_no_device(); }

#endif

}  // namespace ch08::gpu
