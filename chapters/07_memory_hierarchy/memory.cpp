// memory.cpp: the chapter's measuring kernels (see memory.hpp).
#include "memory.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <new>
#include <numeric>
#include <random>
#include <utility>

namespace ch07::demo {

Region::Region(std::size_t bytes, bool huge) {
    bytes_ = (bytes + kPage - 1) / kPage * kPage;
    if (bytes_ == 0) return;
    map_bytes_ = bytes_ + kHugePage;
    map_ = mmap(nullptr, map_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map_ == MAP_FAILED) {
        map_ = nullptr;
        throw std::bad_alloc();
    }
    const auto start = reinterpret_cast<std::uintptr_t>(map_);
    data_ = reinterpret_cast<std::byte*>((start + kHugePage - 1) / kHugePage * kHugePage);
    madvise(data_, bytes_, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
}

Region::~Region() {
    if (map_ != nullptr) munmap(map_, map_bytes_);
}

Region::Region(Region&& o) noexcept
    : map_(std::exchange(o.map_, nullptr)),
      map_bytes_(std::exchange(o.map_bytes_, 0)),
      data_(std::exchange(o.data_, nullptr)),
      bytes_(std::exchange(o.bytes_, 0)) {}

Region& Region::operator=(Region&& o) noexcept {
    std::swap(map_, o.map_);
    std::swap(map_bytes_, o.map_bytes_);
    std::swap(data_, o.data_);
    std::swap(bytes_, o.bytes_);
    return *this;
}

void touch_pages(const Region& r) {
    volatile std::byte* p = r.data();
    for (std::size_t off = 0; off < r.size(); off += kPage) p[off] = std::byte{1};
}

std::string thp_mode() {
    std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
    std::string text;
    if (!std::getline(in, text)) return "unavailable";
    const auto open = text.find('['), close = text.find(']');
    if (open == std::string::npos || close == std::string::npos || close < open) return "unavailable";
    return text.substr(open + 1, close - open - 1);
}

//! [chase]
const void* build_chase(const Region& r, std::size_t bytes, std::uint64_t seed) {
    const std::size_t nodes = std::max<std::size_t>(2, std::min(bytes, r.size()) / kLine);
    // Sattolo's algorithm: a uniformly random permutation with a single cycle through all nodes.
    std::vector<std::uint32_t> next(nodes);
    std::iota(next.begin(), next.end(), 0u);
    std::mt19937_64 gen(seed);
    for (std::size_t i = nodes - 1; i > 0; --i) {
        std::uniform_int_distribution<std::size_t> pick(0, i - 1);
        std::swap(next[i], next[pick(gen)]);
    }
    // Node i (the first 8 bytes of line i) holds the address of node next[i].
    std::byte* base = r.data();
    for (std::size_t i = 0; i < nodes; ++i)
        *reinterpret_cast<const void**>(base + i * kLine) = base + std::size_t{next[i]} * kLine;
    return base;
}

const void* chase(const void* start, std::size_t steps) {
    const void* p = start;
    for (std::size_t s = 0; s < steps; ++s) p = *static_cast<const void* const*>(p);  // waits for the load
    return p;
}
//! [chase]

double read_sum(std::span<const double> x, wb::Isa isa) {
#if defined(__x86_64__)
    if (isa == wb::Isa::avx512) return read_sum_avx512(x.data(), x.size());
    if (isa == wb::Isa::avx2) return read_sum_avx2(x.data(), x.size());
#endif
    (void)isa;
    // Eight independent sums: eight additions in flight, and SSE2 pairs of them.
    double s[8] = {};
    std::size_t i = 0;
    for (; i + 8 <= x.size(); i += 8)
        for (int k = 0; k < 8; ++k) s[k] += x[i + static_cast<std::size_t>(k)];
    for (; i < x.size(); ++i) s[0] += x[i];
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

//! [stride]
double stride_sum(std::span<const double> x, std::size_t stride) {
    double s0 = 0.0, s1 = 0.0;  // two chains, so that the additions never limit the speed
    std::size_t i = 0;
    for (; i + stride < x.size(); i += 2 * stride) {
        s0 += x[i];
        s1 += x[i + stride];
    }
    if (i < x.size()) s0 += x[i];
    return s0 + s1;
}
//! [stride]

double gather_sum(std::span<const double> x, std::span<const std::uint32_t> idx) {
    double s0 = 0.0, s1 = 0.0;
    std::size_t k = 0;
    for (; k + 2 <= idx.size(); k += 2) {
        s0 += x[idx[k]];
        s1 += x[idx[k + 1]];
    }
    if (k < idx.size()) s0 += x[idx[k]];
    return s0 + s1;
}

std::vector<std::uint32_t> line_order(std::size_t lines, const char* kind, std::uint64_t seed) {
    constexpr std::uint32_t per_line = kLine / sizeof(double);
    std::vector<std::uint32_t> idx(lines);
    const std::string k = kind;
    if (k == "page_stride") {
        // Line k * 65 modulo the count: consecutive reads 4160 bytes apart. 65 is odd, so with a power
        // of two as the count this visits every line once.
        for (std::size_t j = 0; j < lines; ++j) idx[j] = static_cast<std::uint32_t>((j * 65) % lines) * per_line;
        return idx;
    }
    for (std::size_t j = 0; j < lines; ++j) idx[j] = static_cast<std::uint32_t>(j) * per_line;
    if (k == "random") {
        std::mt19937_64 gen(seed);
        std::shuffle(idx.begin(), idx.end(), gen);
    }
    return idx;
}

std::vector<Particle> make_particles(std::size_t n, std::uint64_t seed) {
    std::vector<Particle> p(n);
    std::mt19937_64 gen(seed);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    for (auto& q : p) q = {u(gen), u(gen), u(gen), u(gen), u(gen), u(gen), 1.5 + u(gen)};
    return p;
}

//! [aos]
void advance_aos(std::span<Particle> p, double dt) {
    for (Particle& q : p) {
        q.x += q.vx * dt;
        q.y += q.vy * dt;
        q.z += q.vz * dt;
    }
}

double sum_x_aos(std::span<const Particle> p) {
    double total = 0.0;
    for (const Particle& q : p) total += q.x;  // 8 useful bytes out of every 56 read
    return total;
}
//! [aos]

//! [transpose_naive]
void transpose_naive(const double* in, double* out, std::size_t rows, std::size_t cols) {
    for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t j = 0; j < cols; ++j) out[j * rows + i] = in[i * cols + j];  // a new line per write
}
//! [transpose_naive]

void transpose_simd(const double* in, double* out, std::size_t rows, std::size_t cols, wb::Isa isa, bool stream) {
#if defined(__x86_64__)
    if (isa == wb::Isa::avx512) return transpose_simd_avx512(in, out, rows, cols, stream);
    if (isa == wb::Isa::avx2) return transpose_simd_avx2(in, out, rows, cols, stream);
#endif
    (void)isa;
    (void)stream;
    constexpr std::size_t T = 32;
    for (std::size_t ib = 0; ib < rows; ib += T)
        for (std::size_t jb = 0; jb < cols; jb += T)
            for (std::size_t j = jb; j < std::min(jb + T, cols); ++j)
                for (std::size_t i = ib; i < std::min(ib + T, rows); ++i) out[j * rows + i] = in[i * cols + j];
}

double lines_tiled(std::size_t rows, std::size_t cols) {
    return 2.0 * static_cast<double>(rows * cols) * sizeof(double) / kLine;
}

double lines_naive(std::size_t rows, std::size_t cols) {
    return static_cast<double>(rows * cols) * sizeof(double) / kLine + static_cast<double>(rows * cols);
}

}  // namespace ch07::demo
