// Tests of exercise 07.2: the tiled transpose is exact at every size, and brings in few cache lines,
// counted on a simulated cache through the TracedCell instantiation.
#include <cstddef>
#include <new>
#include <vector>

#include "ch07/transpose.hpp"
#include "wb/catch.hpp"

namespace {

/// A rows x cols matrix of T starting on a 64-byte boundary, so that the line count below does not
/// depend on where the allocator happened to put it.
template <class T>
struct Aligned {
    T* p;
    std::size_t n;
    explicit Aligned(std::size_t count) : p(static_cast<T*>(::operator new(sizeof(T) * (count ? count : 1), std::align_val_t{64}))), n(count) {
        for (std::size_t i = 0; i < n; ++i) new (p + i) T();
    }
    ~Aligned() { ::operator delete(p, std::align_val_t{64}); }
    Aligned(const Aligned&) = delete;
    Aligned& operator=(const Aligned&) = delete;
};

void check_exact(std::size_t rows, std::size_t cols) {
    INFO("rows = " << rows << ", cols = " << cols);
    std::vector<double> in(rows * cols), out(rows * cols + 1, -1.0);
    for (std::size_t k = 0; k < in.size(); ++k) in[k] = static_cast<double>(k) + 0.5;
    ch07::transpose_tiled(in.data(), out.data(), rows, cols);
    for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t j = 0; j < cols; ++j) {
            INFO("i = " << i << ", j = " << j);
            REQUIRE(out[j * rows + i] == in[i * cols + j]);
        }
    REQUIRE(out[rows * cols] == -1.0);  // nothing written past the end
}

/// Misses per element of a transpose of a rows x cols matrix of TracedCell on a 16 KiB LRU cache.
double misses_per_element(std::size_t rows, std::size_t cols) {
    Aligned<ch07::TracedCell> in(rows * cols), out(rows * cols);
    for (std::size_t k = 0; k < in.n; ++k) in.p[k].value = static_cast<double>(k);
    ch07::CacheSim cache(256);  // 256 lines of 64 bytes
    ch07::TracedCell::sim = &cache;
    ch07::transpose_tiled<ch07::TracedCell>(in.p, out.p, rows, cols);
    ch07::TracedCell::sim = nullptr;
    for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t j = 0; j < cols; ++j) REQUIRE(out.p[j * rows + i].value == in.p[i * cols + j].value);
    INFO("accesses " << cache.accesses() << ", misses " << cache.misses());
    REQUIRE(cache.accesses() >= 2 * rows * cols);  // every element read and written through the cells
    return static_cast<double>(cache.misses()) / static_cast<double>(rows * cols);
}

}  // namespace

TEST_CASE("07.2 exact for square sizes, multiples of the tile and not") {
    for (std::size_t n : {std::size_t{1}, std::size_t{2}, std::size_t{31}, std::size_t{32}, std::size_t{33},
                          std::size_t{64}, std::size_t{100}, std::size_t{257}})
        check_exact(n, n);
}

TEST_CASE("07.2 exact for rectangular and odd sizes") {
    const std::size_t sizes[][2] = {{1, 37}, {37, 1}, {3, 200}, {200, 3}, {31, 33}, {33, 31},
                                    {65, 97}, {97, 65}, {129, 40}, {40, 129}, {300, 17}};
    for (const auto& s : sizes) check_exact(s[0], s[1]);
}

TEST_CASE("07.2 empty matrices write nothing") {
    check_exact(0, 0);
    check_exact(0, 9);
    check_exact(9, 0);
}

TEST_CASE("07.2 few cache lines: at most half a miss per element on a 16 KiB cache") {
    // The model: a 704-column row is 88 lines, so the plain two loops write each element into a line of
    // `out` that 704 others have pushed out of the 256-line cache since it was last used: about one miss
    // per element, plus one per 8 elements read, 1.125 in all. A tiled loop brings each line of both
    // matrices in about once: 2/8 = 0.25 per element with 32 x 32 tiles, a little more at the edges.
    // Between the two, 0.5 leaves room for any tile size from 8 to 64 and rejects every untiled order.
    const double square = misses_per_element(704, 704);
    CHECK(square <= 0.5);
    const double wide = misses_per_element(360, 1000);
    CHECK(wide <= 0.5);
    const double tall = misses_per_element(1000, 360);
    CHECK(tall <= 0.5);
}
