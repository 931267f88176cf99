// Tests of exercise 09.4, run by tools/mpi_run.py under mpirun with 1, 2 and 4 ranks (see test_ring.cpp).
//
// Which worker gets which row depends on timing, so no test asserts a particular assignment. The
// observable that separates a manager handing out rows on demand from a fixed split is what happens when
// one worker is slow: on demand, the others take over its rows; with fixed blocks, it still has to do
// its whole block.
#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "ch05/kernels.hpp"
#include "ch09/manager_worker.hpp"
#include "ch09/mpi_util.hpp"
#include "wb/catch.hpp"

namespace {
std::vector<int> serial_image(const ch05::Frame& f) {
    std::vector<int> img(ch05::pixels(f));
    for (int row = 0; row < f.height; ++row) ch05::mandelbrot_row(f, row, img);
    return img;
}

// The first row of `img` that differs from `expected`, or -1.
int first_wrong_row(const std::vector<int>& img, const std::vector<int>& expected, int width) {
    for (std::size_t i = 0; i < img.size(); ++i)
        if (img[i] != expected[i]) return static_cast<int>(i / static_cast<std::size_t>(width));
    return -1;
}

std::string as_text(const std::vector<int>& owner) {
    std::string s;
    for (int o : owner) s += std::to_string(o) + " ";
    return s;
}
}  // namespace

TEST_CASE("09.4 mandelbrot_row_into computes what ch05::mandelbrot_row computes") {
    const ch05::Frame f = ch05::lopsided_frame(50, 20, 100);
    const std::vector<int> img = serial_image(f);
    std::vector<int> row(50);
    for (int r = 0; r < f.height; ++r) {
        ch09::mandelbrot_row_into(f, r, row);
        REQUIRE(std::equal(row.begin(), row.end(), img.begin() + r * 50));
    }
}

TEST_CASE("09.4 rank 0 assembles the serial image, and owner[] names the ranks that computed the rows") {
    const int rank = ch09::rank_of(MPI_COMM_WORLD), size = ch09::size_of(MPI_COMM_WORLD);
    // The chapter 05 frame, a frame with fewer rows than workers, and a one-row frame.
    const ch05::Frame frames[] = {ch05::lopsided_frame(96, 48, 200), ch05::lopsided_frame(13, 2, 50),
                                  ch05::Frame{-2.0, 1.0, -1.5, 1.5, 40, 1, 100}};
    for (const auto& f : frames) {
        std::vector<int> img, owner;
        if (rank == 0) {
            img.assign(ch05::pixels(f), -1);
            owner.assign(static_cast<std::size_t>(f.height), -1);
        }
        ch09::mandelbrot_manager_worker(MPI_COMM_WORLD, f, img, owner);
        if (rank != 0) continue;
        INFO(size << " rank(s), frame " << f.width << "x" << f.height << "; owner of each row: " << as_text(owner));
        // Integer escape counts from the same arithmetic: the comparison is exact.
        INFO("the first row of the image that differs from the serial one (-1: none); is every returned row "
             "filed at its own row number?");
        REQUIRE(first_wrong_row(img, serial_image(f), f.width) == -1);
        for (int o : owner) {
            if (size == 1) {
                REQUIRE(o == 0);   // alone, the manager computes every row
            } else {
                INFO("with workers, every row is computed by a worker (ranks 1 .. " << size - 1 << ")");
                REQUIRE(o >= 1);
                REQUIRE(o < size);
            }
        }
    }
}

TEST_CASE("09.4 the other workers take over the rows of a slow worker") {
    const int rank = ch09::rank_of(MPI_COMM_WORLD), size = ch09::size_of(MPI_COMM_WORLD);
    if (size < 3) return;   // needs two workers at least (the 4-rank run)
    const ch05::Frame f = ch05::lopsided_frame(96, 48, 200);
    const int workers = size - 1;
    // Rank 1 is a busy node: 60 ms before each of its rows. The whole frame costs the other workers a few
    // milliseconds, so on demand rank 1 gets a handful of rows; with a fixed split, its block of 48 / 3 = 16.
    auto slow_rank_one = [rank](int) {
        if (rank == 1) std::this_thread::sleep_for(std::chrono::milliseconds(60));
    };
    std::vector<int> img, owner;
    if (rank == 0) {
        img.assign(ch05::pixels(f), -1);
        owner.assign(static_cast<std::size_t>(f.height), -1);
    }
    ch09::mandelbrot_manager_worker(MPI_COMM_WORLD, f, img, owner, slow_rank_one);
    if (rank == 0) {
        INFO("owner of each row: " << as_text(owner) << "\nthe first row of the image that differs from the serial "
             "one (-1: none)");
        REQUIRE(first_wrong_row(img, serial_image(f), f.width) == -1);
        const auto rows_of_one = std::count(owner.begin(), owner.end(), 1);
        const int equal_block = f.height / workers;
        INFO("owner of each row: " << as_text(owner) << "\nthe slow rank 1 computed " << rows_of_one
                                   << " rows; an equal block is " << equal_block
                                   << ". Rows handed out on demand go to whichever worker is free; a fixed "
                                      "block per worker leaves the slow one its whole block");
        REQUIRE(rows_of_one * 2 <= equal_block);
    }
}
