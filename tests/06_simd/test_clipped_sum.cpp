// Tests of exercise 06.1: the clipped sum of squares is right, still rejects NaN, and the compiler's
// own report says that a loop of the learner's file was vectorized.
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

#include "ch06/clipped_sum.hpp"
#include "ch06/kernels.hpp"
#include "wb/catch.hpp"

namespace {

long double reference(const std::vector<double>& x, double cap) {
    long double s = 0;
    for (double v : x) {
        const long double c = v < cap ? v : cap;
        s += c * c;
    }
    return s;
}

struct Vectorized {
    std::string file;
    int line;
};

// Every "loop vectorized" entry of the report: g++'s text lines or clang's YAML records.
std::vector<Vectorized> vectorized_loops(const std::string& path, const std::string& format) {
    std::ifstream in(path);
    std::vector<Vectorized> found;
    std::string line;
    if (format == "gcc") {
        const std::regex re(R"(^(.*):(\d+):\d+: optimized: loop vectorized)");
        std::smatch m;
        while (std::getline(in, line))
            if (std::regex_search(line, m, re)) found.push_back({m[1].str(), std::stoi(m[2].str())});
    } else {
        // --- !Passed / Pass: loop-vectorize / Name: Vectorized / DebugLoc: { File: ..., Line: N, ... }
        bool passed = false, loop_vectorize = false;
        const std::regex loc(R"(DebugLoc:\s*\{\s*File:\s*'?([^',]+)'?,\s*Line:\s*(\d+))");
        std::smatch m;
        while (std::getline(in, line)) {
            if (line.rfind("--- ", 0) == 0) {
                passed = line.find("!Passed") != std::string::npos;
                loop_vectorize = false;
            } else if (line.find("Pass:") != std::string::npos) {
                loop_vectorize = line.find("loop-vectorize") != std::string::npos;
            } else if (passed && loop_vectorize && std::regex_search(line, m, loc)) {
                found.push_back({m[1].str(), std::stoi(m[2].str())});
                passed = false;
            }
        }
    }
    return found;
}

// clang writes the file name relative to the directory it was run from, or to the source root: try those.
std::string resolve(const std::string& file, const std::string& report) {
    std::vector<std::filesystem::path> bases = {std::filesystem::path()};
#ifdef WB_SOURCE_DIR
    bases.emplace_back(WB_SOURCE_DIR);
#endif
    for (auto dir = std::filesystem::path(report).parent_path(); !dir.empty() && dir != dir.root_path();
         dir = dir.parent_path())
        bases.push_back(dir);
    for (const auto& base : bases) {
        const std::filesystem::path candidate = base.empty() ? std::filesystem::path(file) : base / file;
        if (std::filesystem::exists(candidate)) return candidate.string();
    }
    return file;
}

bool ends_with(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace

TEST_CASE("06.1 clipped_sum_squares is right for every size, cap and value range") {
    for (std::size_t n : {0u, 1u, 2u, 3u, 7u, 8u, 9u, 31u, 100u, 1001u, 5000u}) {
        const std::vector<double> x = ch06::uniform(n, -3.0, 5.0, 17 + n);
        for (double cap : {-10.0, 0.5, 2.0, 1e9}) {
            const long double want = reference(x, cap);
            const double got = ch06::clipped_sum_squares(x, cap);
            INFO("n = " << n << ", cap = " << cap);
            // Every term is >= 0, so any summation order is within (n - 1) * 2^-53 of the exact sum
            // (first order); a little more for the rounding of each square.
            const double tol = (static_cast<double>(n) + 2) * std::ldexp(1.0, -53) * static_cast<double>(want);
            REQUIRE(std::fabs(static_cast<double>(static_cast<long double>(got) - want)) <= tol);
        }
    }
}

TEST_CASE("06.1 a NaN anywhere still throws std::invalid_argument") {
    for (std::size_t n : {1u, 5u, 64u, 1000u}) {
        for (std::size_t where : {std::size_t{0}, n / 2, n - 1}) {
            std::vector<double> x = ch06::uniform(n, -1.0, 1.0, 3);
            x[where] = std::numeric_limits<double>::quiet_NaN();
            INFO("n = " << n << ", NaN at " << where);
            REQUIRE_THROWS_AS(ch06::clipped_sum_squares(x, 0.5), std::invalid_argument);
        }
    }
}

TEST_CASE("06.1 the compiler's report says a loop of your function was vectorized") {
    const char* report = std::getenv("WB_VEC_REPORT");
    const char* format = std::getenv("WB_VEC_REPORT_FORMAT");
    if (report == nullptr || format == nullptr) {
        WARN("no vectorization report in this build (WB_VEC_REPORT unset): not checked");
        return;
    }
    std::ifstream probe(report);
    INFO("report " << report << " (format " << format << ")");
    REQUIRE(probe.good());
    // The learner's source is the one file of this exercise's library: find its WB_IMPL region by reading
    // it; the report names it by path.
    const std::vector<Vectorized> loops = vectorized_loops(report, format);
    std::string lines_seen;
    bool inside = false;
    for (const auto& v : loops) {
        lines_seen += v.file + ":" + std::to_string(v.line) + " ";
        if (!ends_with(v.file, "clipped_sum.cpp")) continue;
        std::ifstream src(resolve(v.file, report));
        std::string text;
        int n = 0, begin = 0, end = 0;
        while (std::getline(src, text)) {
            ++n;
            if (text.find("WB_IMPL_BEGIN") != std::string::npos && begin == 0) begin = n;
            if (text.find("WB_IMPL_END") != std::string::npos) end = n;
        }
        if (begin > 0 && v.line > begin && v.line < end) inside = true;
    }
    INFO("loops the compiler vectorized: " << (lines_seen.empty() ? "none " : lines_seen)
                                           << "- none of them lies in clipped_sum.cpp between WB_IMPL_BEGIN and WB_IMPL_END. "
                                              "The lesson's section \"A loop to unblock\" shows how to read why not.");
    REQUIRE(inside);
}
