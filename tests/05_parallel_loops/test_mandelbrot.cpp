// Tests of exercise 05.3: the OpenMP Mandelbrot gives the serial image for every thread count, the rows
// reach the threads the way the declared schedule hands them out, and that schedule balances the work.
//
// Which thread gets which row under a dynamic schedule depends on timing, so no test here judges the
// balance from a run: the schedule is judged by the cost model of ch05/schedule_model.hpp (rows of
// known cost handed out on paper), and the runs are only checked to follow the declared schedule.
#include <algorithm>
#include <cctype>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "ch05/kernels.hpp"
#include "ch05/mandelbrot.hpp"
#include "ch05/schedule_model.hpp"
#include "wb/catch.hpp"
#include "wb/testing.hpp"

namespace {
std::vector<int> serial_image(const ch05::Frame& f) {
    std::vector<int> img(ch05::pixels(f));
    for (int row = 0; row < f.height; ++row) ch05::mandelbrot_row(f, row, img);
    return img;
}

// True if owner[] is one contiguous block per thread, in thread order, none longer than ceil(rows /
// threads): what the static schedule without a chunk gives. (The standard asks for blocks of about equal
// size: libgomp makes the first rows % threads blocks one row longer, libomp the last block shorter.)
bool static_blocks(const std::vector<int>& owner, int threads) {
    const std::size_t n = owner.size(), t = static_cast<std::size_t>(threads);
    std::vector<std::size_t> count(t, 0);
    for (std::size_t r = 0; r < n; ++r) {
        if (owner[r] < 0 || owner[r] >= threads || (r > 0 && owner[r] < owner[r - 1])) return false;
        ++count[static_cast<std::size_t>(owner[r])];
    }
    return std::all_of(count.begin(), count.end(), [&](std::size_t c) { return c <= (n + t - 1) / t; });
}

// Rows whose owner is not a thread number of a team of `threads`.
int outside_team(const std::vector<int>& owner, int threads) {
    return static_cast<int>(std::count_if(owner.begin(), owner.end(), [&](int o) { return o < 0 || o >= threads; }));
}

std::string as_text(const std::vector<int>& owner) {
    std::string s;
    for (int o : owner) s += std::to_string(o) + " ";
    return s;
}

// The frame the speed report uses; the schedule is judged by the model on it.
const ch05::Frame judged_frame = ch05::lopsided_frame(320, 160, 600);
// The goal, longest / mean work for every team of 2 to 8 threads: within 10% of a perfect split. On this
// frame small hand-outs (single rows dealt round-robin, up to a few rows on demand) meet it; one block per thread,
// guided, or chunks of 8 rows and more give some team one block that holds far more than its share.
constexpr double kMostImbalance = 1.10;
}  // namespace

TEST_CASE("05.3 the declared schedule balances the lopsided frame (by the cost model, at 2 to 8 threads)") {
    const ch05::ScheduleChoice choice = ch05::schedule_choice();
    const std::string name = ch05::schedule_name(choice.schedule);
    INFO("your schedule_choice(): " << name);
    const std::vector<double> cost = ch05::row_costs(judged_frame, serial_image(judged_frame));
    const double total = std::accumulate(cost.begin(), cost.end(), 0.0);
    for (int threads = 2; threads <= 8; ++threads) {
        const std::vector<double> load = ch05::model_loads(cost, threads, choice.schedule);
        std::string shares;
        for (double l : load) shares += std::to_string(static_cast<int>(100.0 * l / total + 0.5)) + "% ";
        INFO(threads << " threads: the model gives each thread this share of the work: " << shares
                     << "(imbalance " << ch05::imbalance(load) << "; the goal is at most " << kMostImbalance
                     << "). A block that holds much of the work keeps one thread busy while the others wait.");
        REQUIRE(ch05::imbalance(load) <= kMostImbalance);
    }
}

TEST_CASE("05.3 the reason is one line quoting a measurement") {
    const ch05::ScheduleChoice choice = ch05::schedule_choice();
    REQUIRE(choice.why != nullptr);
    const std::string why = choice.why;
    INFO("your why: \"" << why << "\"");
    REQUIRE(why.size() >= 20);
    REQUIRE(why.find('\n') == std::string::npos);
    REQUIRE(std::any_of(why.begin(), why.end(), [](unsigned char c) { return std::isdigit(c); }));
}

TEST_CASE("05.3 mandelbrot_omp equals the serial image for every thread count") {
    // Integer escape counts from the same arithmetic on the same pixel: the comparison is exact.
    const ch05::Frame frames[] = {ch05::lopsided_frame(96, 48, 200), ch05::lopsided_frame(13, 7, 50),
                                  ch05::Frame{-2.0, 1.0, -1.5, 1.5, 40, 40, 100}};
    for (const auto& f : frames) {
        const std::vector<int> expected = serial_image(f);
        for (int threads : wb::testing::thread_counts()) {
            INFO("frame " << f.width << "x" << f.height << ", threads = " << threads);
            std::vector<int> img(ch05::pixels(f), -1);
            ch05::mandelbrot_omp(f, img, threads);
            REQUIRE(img == expected);
            std::vector<int> owner(static_cast<std::size_t>(f.height), -1);
            std::fill(img.begin(), img.end(), -1);
            ch05::mandelbrot_omp(f, img, threads, owner);
            REQUIRE(img == expected);
            // Every row was computed by a thread of a team of `threads` (num_threads sets the team size).
            INFO("owner of each row: " << as_text(owner) << "- every entry must be a thread number 0 .. "
                                       << threads - 1 << ": is the team `threads` strong, and is owner[] filled?");
            REQUIRE(outside_team(owner, threads) == 0);
        }
    }
}

TEST_CASE("05.3 the rows reach the threads the way the declared schedule hands them out") {
    const ch05::ScheduleChoice choice = ch05::schedule_choice();
    const ch05::LoopSchedule s = choice.schedule;
    INFO("your schedule_choice(): " << ch05::schedule_name(s));
    const ch05::Frame f = ch05::lopsided_frame(160, 80, 400);
    const std::size_t rows = static_cast<std::size_t>(f.height);
    std::vector<int> img(ch05::pixels(f));
    constexpr int kRuns = 5;
    for (int threads : wb::testing::thread_counts()) {
        int runs_as_static_blocks = 0;
        for (int run = 0; run < kRuns; ++run) {
            std::vector<int> owner(rows, -1);
            ch05::mandelbrot_omp(f, img, threads, owner);
            INFO("threads = " << threads << ", owner of each row: " << as_text(owner));
            REQUIRE(outside_team(owner, threads) == 0);
            if (static_blocks(owner, threads)) ++runs_as_static_blocks;
            if (s.kind == omp_sched_static && s.chunk > 0) {
                // Blocks of `chunk` rows dealt round-robin in thread order: fixed before the loop starts.
                for (std::size_t r = 0; r < rows; ++r)
                    REQUIRE(owner[r] == static_cast<int>((r / static_cast<std::size_t>(s.chunk)) %
                                                         static_cast<std::size_t>(threads)));
            } else if (s.kind == omp_sched_static) {
                REQUIRE(static_blocks(owner, threads));
            } else if (s.kind == omp_sched_dynamic) {
                // Blocks of `chunk` rows (1 by default) starting at multiples of the chunk: one owner each.
                const auto c = static_cast<std::size_t>(std::max(1, s.chunk));
                for (std::size_t r = 0; r < rows; ++r) REQUIRE(owner[r] == owner[r - r % c]);
            }
        }
        // A dynamic or guided schedule hands rows to whichever thread asks first: that every run comes out
        // as exactly one equal contiguous block per thread, in thread order, means the loop is static.
        if (threads > 1 && s.kind != omp_sched_static) {
            INFO("threads = " << threads << ": in all " << kRuns << " runs each thread got one contiguous "
                                  "block of rows, in thread order: the loop runs the static schedule, not "
                                  "the one schedule_choice() names");
            REQUIRE(runs_as_static_blocks < kRuns);
        }
    }
}

TEST_CASE("05.3 mandelbrot_omp rejects bad arguments") {
    const ch05::Frame f = ch05::lopsided_frame(8, 4, 10);
    std::vector<int> wrong(31);
    REQUIRE_THROWS_AS(ch05::mandelbrot_omp(f, wrong, 2), std::invalid_argument);
    std::vector<int> right(32);
    REQUIRE_THROWS_AS(ch05::mandelbrot_omp(f, right, 0), std::invalid_argument);
    REQUIRE_THROWS_AS(ch05::mandelbrot_omp(f, right, -3), std::invalid_argument);
    std::vector<int> short_owner(3);
    REQUIRE_THROWS_AS(ch05::mandelbrot_omp(f, right, 2, short_owner), std::invalid_argument);
}

TEST_CASE("05.3 the lopsided frame is what the exercise claims: first rows expensive, last rows cheap") {
    const ch05::Frame f = ch05::lopsided_frame(96, 48, 200);
    const std::vector<int> img = serial_image(f);
    long first = 0, last = 0;
    for (int row = 0; row < f.height; ++row)
        for (int col = 0; col < f.width; ++col)
            (row < f.height / 2 ? first : last) += img[static_cast<std::size_t>(row * f.width + col)];
    REQUIRE(first > 5 * last);
}
