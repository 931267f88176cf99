// memory.hpp: the chapter's measuring kernels, shared by the program and the benchmarks (not exercises):
// memory regions with or without huge pages, the pointer chase, read kernels dispatched per instruction
// set, strided and indexed reads, the array-of-structures baseline and the naive transpose.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "ch07/aos_to_soa.hpp"
#include "wb/isa.hpp"

namespace ch07::demo {

inline constexpr std::size_t kLine = 64;                     ///< bytes per cache line (x86-64)
inline constexpr std::size_t kPage = 4096;                   ///< bytes per small page
inline constexpr std::size_t kHugePage = std::size_t{2} << 20;  ///< bytes per transparent huge page

/// Anonymous memory mapped with mmap, starting on a 2 MiB boundary. `huge`: advised MADV_HUGEPAGE
/// (transparent huge pages where the kernel allows them); otherwise MADV_NOHUGEPAGE (4 KiB pages even
/// when /sys/kernel/mm/transparent_hugepage/enabled is 'always'). Not touched: the first write to each
/// page faults it in. Move-only.
class Region {
public:
    Region() = default;
    Region(std::size_t bytes, bool huge);
    ~Region();
    Region(Region&& o) noexcept;
    Region& operator=(Region&& o) noexcept;
    Region(const Region&) = delete;
    Region& operator=(const Region&) = delete;
    std::byte* data() const { return data_; }
    std::size_t size() const { return bytes_; }
    template <class T>
    T* as() const { return reinterpret_cast<T*>(data_); }

private:
    void* map_ = nullptr;
    std::size_t map_bytes_ = 0;
    std::byte* data_ = nullptr;
    std::size_t bytes_ = 0;
};

/// Writes one byte in every 4 KiB page of the region: the first touch that makes the kernel give it memory.
void touch_pages(const Region& r);

/// The word in brackets of /sys/kernel/mm/transparent_hugepage/enabled ('always', 'madvise', 'never'),
/// or "unavailable".
std::string thp_mode();

/// One cache line per node, linked into a single random cycle through `bytes` of `r` (a random cyclic
/// permutation drawn with Sattolo's algorithm from `seed`): following the links visits every line once
/// before returning to the start, in an order no prefetcher can guess. Returns the start node.
const void* build_chase(const Region& r, std::size_t bytes, std::uint64_t seed);

/// Follows `steps` links from `start`, one dependent load after the other; returns where it ended.
const void* chase(const void* start, std::size_t steps);

/// Sum of x, with several independent accumulators, on the given instruction set: a read kernel fast
/// enough that the memory, not the additions, limits it at every level.
double read_sum(std::span<const double> x, wb::Isa isa);
double read_sum_avx2(const double* x, std::size_t n);    ///< memory_avx2.cpp
double read_sum_avx512(const double* x, std::size_t n);  ///< memory_avx512.cpp

/// Sum of x[0], x[stride], x[2 stride], ...: one useful double every `stride` doubles.
double stride_sum(std::span<const double> x, std::size_t stride);

/// Sum of x[idx[0]], x[idx[1]], ...: the same reads in any order the index array gives.
double gather_sum(std::span<const double> x, std::span<const std::uint32_t> idx);

/// Index orders over the first double of each of `lines` cache lines: in line order, a page and a line
/// apart (line k*65 mod lines, a stride of 4160 bytes, beyond the page a prefetcher watches), or random.
std::vector<std::uint32_t> line_order(std::size_t lines, const char* kind, std::uint64_t seed);

/// Particles as an array of structures (the jitclass layout): the baseline of exercise 07.1.
std::vector<Particle> make_particles(std::size_t n, std::uint64_t seed);
void advance_aos(std::span<Particle> p, double dt);
double sum_x_aos(std::span<const Particle> p);

/// out (cols x rows) = transpose of in (rows x cols), both row-major, by the two plain loops.
void transpose_naive(const double* in, double* out, std::size_t rows, std::size_t cols);

/// The tiled transpose with its 32 x 32 tiles cut into blocks transposed in vector registers (4 x 4
/// with AVX2, 8 x 8 with AVX-512: loads of whole rows, shuffles, stores of whole rows of `out`), the
/// edges element by element; scalar: the tiled loops of exercise 07.2's reference. `stream`: write the
/// blocks with streaming (non-temporal) stores where `out` and its rows are aligned to the vector, which
/// saves reading each line of `out` before overwriting it: for matrices well beyond the caches.
void transpose_simd(const double* in, double* out, std::size_t rows, std::size_t cols, wb::Isa isa, bool stream);
void transpose_simd_avx2(const double* in, double* out, std::size_t rows, std::size_t cols, bool stream);
void transpose_simd_avx512(const double* in, double* out, std::size_t rows, std::size_t cols, bool stream);

/// Number of distinct cache lines a transpose touches when every line is brought in once (the tiled
/// ideal), and when each written line is brought in again for every element (the naive loop once a
/// column of the output no longer fits in the cache): the model of the "predict" question.
double lines_tiled(std::size_t rows, std::size_t cols);
double lines_naive(std::size_t rows, std::size_t cols);

}  // namespace ch07::demo
