// ch07_program: the memory hierarchy measured on this machine. The staircase (latency by pointer
// chasing and read bandwidth against the working-set size), the cache edges found in it against what
// sysfs claims, strides and cache lines, arrays of structures against structures of arrays, pages and
// huge pages, hardware prefetching, the tiled transpose, and the blocking part (matrix multiply, blur).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "blocking/report.hpp"
#include "ch07/aos_to_soa.hpp"
#include "ch07/huge_pages.hpp"
#include "ch07/smaps.hpp"
#include "ch07/transpose.hpp"
#include "memory.hpp"
#include "wb/cli.hpp"
#include "wb/isa.hpp"
#include "wb/machine.hpp"
#include "wb/stats.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using ch07::demo::Region;
constexpr std::size_t KiB = 1024, MiB = 1024 * 1024;

double seconds(const std::function<void()>& work) {
    const auto t = Clock::now();
    work();
    return std::chrono::duration<double>(Clock::now() - t).count();
}

/// Best of `repeats` timed runs after one untimed warm-up, in seconds: on a shared machine the best
/// run is the one least disturbed by others, and caches are what this chapter measures, so the warm-up
/// puts the data where the size says it lives.
double best_s(const std::function<void()>& work, int repeats) {
    work();
    double best = 1e300;
    for (int r = 0; r < repeats; ++r) best = std::min(best, seconds(work));
    return best;
}

std::string size_text(std::size_t bytes) {
    char buf[32];
    if (bytes >= MiB) std::snprintf(buf, sizeof buf, "%g MiB", double(bytes) / double(MiB));
    else std::snprintf(buf, sizeof buf, "%g KiB", double(bytes) / double(KiB));
    return buf;
}

struct Options {
    int max_mib = 256;  // largest working set of the staircase
    int repeats = 3;
    bool quick = false;
};

volatile double g_sink = 0.0;  // results go here, so that no measured loop is optimized away
const void* volatile g_sink_ptr = nullptr;

// ---------------------------------------------------------------------------------------------------
struct StairPoint {
    std::size_t bytes;
    double ns_huge, ns_small, gb_per_s;
};

struct Level {
    std::size_t last_fast;  // the largest size still on the plateau
    double plateau_ns;      // latency on the plateau
};

//! [detect_edges]
// The cache edges from the latency curve: walk from small to large sizes; a plateau ends where the
// latency rises clearly (1.4x) above the plateau's, and the next plateau starts where the rise stops
// (less than 15% from one size to the next). Each plateau's last size is a cache's capacity as this
// program sees it; the last plateau is memory.
std::vector<Level> detect_levels(const std::vector<StairPoint>& pts) {
    std::vector<Level> levels;
    std::size_t k = 0;
    while (k < pts.size()) {
        const double plateau = pts[k].ns_huge;
        std::size_t last = k;
        while (last + 1 < pts.size() && pts[last + 1].ns_huge < 1.4 * plateau) ++last;
        levels.push_back({pts[last].bytes, plateau});
        k = last + 1;
        while (k + 1 < pts.size() && pts[k + 1].ns_huge > 1.15 * pts[k].ns_huge) ++k;  // still rising
    }
    return levels;
}
//! [detect_edges]

std::string sysfs_read(const std::string& path) {
    std::ifstream in(path);
    std::string s;
    std::getline(in, s);
    return s;
}

void staircase_section(const Options& o) {
    const std::size_t max_bytes = o.quick ? 8 * MiB : std::size_t(o.max_mib) * MiB;
    const wb::Isa isa = wb::widest_isa();
    std::printf("\n== 1. The staircase: latency and read bandwidth against the working-set size ==\n");
    std::printf("   latency: a pointer chase through one random cycle over all the lines of the working set\n"
                "   (one dependent load per step); bandwidth: the %s read kernel, best of %d passes.\n\n",
                wb::isa_name(isa), o.repeats);
    Region chase_huge(max_bytes, true), chase_small(max_bytes, false), data(max_bytes, true);
    ch07::demo::touch_pages(chase_huge);
    ch07::demo::touch_pages(chase_small);
    double* x = data.as<double>();
    std::fill(x, x + max_bytes / sizeof(double), 1.0);

    std::vector<StairPoint> pts;
    const std::size_t steps = o.quick ? (std::size_t{1} << 16) : (std::size_t{1} << 20);
    std::printf("   %10s %14s %14s %12s\n", "working set", "ns/load 2 MiB", "ns/load 4 KiB", "read GB/s");
    for (double s = 4.0 * KiB; s <= double(max_bytes) * 1.001; s *= std::sqrt(2.0)) {
        const std::size_t bytes = std::size_t(s) / KiB * KiB;  // powers of two and the sizes halfway between
        StairPoint p{bytes, 0, 0, 0};
        for (int pages = 0; pages < 2; ++pages) {
            const Region& r = pages == 0 ? chase_huge : chase_small;
            const void* start = ch07::demo::build_chase(r, bytes, 42);
            const double t = best_s([&] { g_sink_ptr = ch07::demo::chase(start, steps); }, o.repeats);
            (pages == 0 ? p.ns_huge : p.ns_small) = 1e9 * t / double(steps);
        }
        const std::span<const double> view(x, bytes / sizeof(double));
        const std::size_t passes = std::max<std::size_t>(1, (o.quick ? 4 : 64) * MiB / bytes);
        const double t = best_s(
            [&] {
                for (std::size_t r = 0; r < passes; ++r) g_sink = g_sink + ch07::demo::read_sum(view, isa);
            },
            o.repeats);
        p.gb_per_s = double(bytes) * double(passes) / t / 1e9;
        pts.push_back(p);
        std::printf("   %10s %14.2f %14.2f %12.1f\n", size_text(bytes).c_str(), p.ns_huge, p.ns_small, p.gb_per_s);
    }

    const std::vector<Level> levels = detect_levels(pts);
    std::printf("\n   Edges found in the latency (2 MiB pages):\n");
    for (std::size_t i = 0; i < levels.size(); ++i) {
        const bool last = i + 1 == levels.size();
        if (last)
            std::printf("     %s: %.1f ns per load from %s on%s\n", levels.size() > 1 ? "beyond the last cache" : "one level",
                        levels[i].plateau_ns, size_text(i ? levels[i - 1].last_fast : pts.front().bytes).c_str(),
                        o.quick ? " (quick run: small sizes only)" : "");
        else
            std::printf("     level %zu: up to about %s, %.1f ns per load\n", i + 1, size_text(levels[i].last_fast).c_str(),
                        levels[i].plateau_ns);
    }
    std::printf("   What sysfs (the CPUID the hypervisor passes on) claims for cpu0:\n");
    for (int idx = 0; idx < 8; ++idx) {
        const std::string base = "/sys/devices/system/cpu/cpu0/cache/index" + std::to_string(idx) + "/";
        const std::string type = sysfs_read(base + "type");
        if (type.empty()) break;
        if (type == "Instruction") continue;
        std::printf("     L%s %-8s %s (shared by cpus %s)\n", sysfs_read(base + "level").c_str(), type.c_str(),
                    sysfs_read(base + "size").c_str(), sysfs_read(base + "shared_cpu_list").c_str());
    }
    std::printf("   A measured level smaller than sysfs says: the chase sees what this program really gets (a\n"
                "   VM's share, other tenants' data, a victim cache counted differently). The 4 KiB-page column\n"
                "   rises earlier and higher at large sizes: every load there also misses the TLB (section 4).\n");
}

// ---------------------------------------------------------------------------------------------------
void stride_section(const Options& o) {
    const std::size_t bytes = o.quick ? 8 * MiB : 256 * MiB;
    std::printf("\n== 2. Strides and cache lines: one double every `stride` doubles of %s ==\n", size_text(bytes).c_str());
    const std::size_t line = [] {
        const long l = std::atol(sysfs_read("/sys/devices/system/cpu/cpu0/cache/index0/coherency_line_size").c_str());
        return l > 0 ? std::size_t(l) : ch07::demo::kLine;
    }();
    const std::size_t predicted = line / sizeof(double);
    std::printf("   PREDICT: each read brings in a whole %zu-byte line. Below %zu doubles of stride, a line serves\n"
                "   several useful doubles and the time per double grows with the stride; from %zu on, every double\n"
                "   costs one line and the time per double stops growing. Prediction: it saturates at stride %zu.\n\n",
                line, predicted, predicted, predicted);
    Region r(bytes, true);
    double* x = r.as<double>();
    std::fill(x, x + bytes / sizeof(double), 1.0);
    const std::span<const double> view(x, bytes / sizeof(double));
    std::vector<std::pair<std::size_t, double>> rows;
    std::printf("   %8s %10s %14s %16s\n", "stride", "bytes", "ns per double", "ns per line read");
    for (std::size_t stride = 1; stride <= 64; stride *= 2) {
        const double t = best_s([&] { g_sink = g_sink + ch07::demo::stride_sum(view, stride); }, o.repeats);
        const double elems = double(view.size() / stride);
        const double lines_read = double(bytes) / double(std::max(line, stride * sizeof(double)));
        rows.emplace_back(stride, 1e9 * t / elems);
        std::printf("   %8zu %8zu B %14.3f %16.3f\n", stride, stride * sizeof(double), 1e9 * t / elems, 1e9 * t / lines_read);
    }
    // Measured saturation: the first stride whose time per double reaches 75% of the largest.
    double top = 0.0;
    for (const auto& row : rows) top = std::max(top, row.second);
    std::size_t measured = rows.back().first;
    for (const auto& row : rows)
        if (row.second >= 0.75 * top) {
            measured = row.first;
            break;
        }
    std::printf("\n   predicted saturation: stride %zu; measured (first stride within 75%% of the slowest): stride %zu\n",
                predicted, measured);
    std::printf("   (the adjacent-line prefetcher pairs lines, so 2 lines can behave as one unit: saturation at\n"
                "   twice the predicted stride is the same story.)\n");
}

// ---------------------------------------------------------------------------------------------------
void layout_section(const Options& o) {
    const std::size_t n = o.quick ? 100000 : 2000000;
    std::printf("\n== 3. Array of structures against structure of arrays: %zu particles of 7 doubles ==\n\n", n);
    std::vector<ch07::Particle> aos = ch07::demo::make_particles(n, 5);
    ch07::Particles soa(aos);  // exercise 07.1
    const double dt = 1e-3;
    const double t_adv_aos = best_s([&] { ch07::demo::advance_aos(aos, dt); }, o.repeats);
    const double t_adv_soa = best_s([&] { soa.advance(dt); }, o.repeats);
    const double t_sum_aos = best_s([&] { g_sink = g_sink + ch07::demo::sum_x_aos(aos); }, o.repeats);
    const double t_sum_soa = best_s([&] { g_sink = g_sink + soa.sum(ch07::Field::x); }, o.repeats);
    std::printf("   %-34s %10s %10s %8s  %s\n", "operation", "AoS", "SoA", "ratio", "bytes read per particle AoS/SoA");
    std::printf("   %-34s %7.2f ms %7.2f ms %7.2fx  %s\n", "advance (x += vx dt, y, z)", 1e3 * t_adv_aos,
                1e3 * t_adv_soa, t_adv_aos / t_adv_soa, "56 / 48: almost every byte is used either way");
    std::printf("   %-34s %7.2f ms %7.2f ms %7.2fx  %s\n", "sum of x", 1e3 * t_sum_aos, 1e3 * t_sum_soa,
                t_sum_aos / t_sum_soa, "56 / 8: the AoS loop reads 7 times the bytes");
    std::printf("   (the AoS working set is %s: beyond the caches, the ratio follows the bytes read)\n",
                size_text(n * sizeof(ch07::Particle)).c_str());
}

// ---------------------------------------------------------------------------------------------------
void pages_section(const Options& o) {
    const std::size_t bytes = o.quick ? 16 * MiB : 256 * MiB;
    const std::size_t pages = bytes / ch07::demo::kPage;
    const std::string mode = ch07::demo::thp_mode();
    std::printf("\n== 4. Pages and the TLB: the first touch of %s (%zu pages of 4 KiB) ==\n", size_text(bytes).c_str(), pages);
    std::printf("   /sys/kernel/mm/transparent_hugepage/enabled: %s\n\n", mode.c_str());
    auto first_touch = [&](bool huge, std::size_t& in_huge) {
        std::vector<double> t;
        for (int r = 0; r < o.repeats; ++r) {
            Region reg(bytes, huge);
            t.push_back(seconds([&] { ch07::demo::touch_pages(reg); }));
            in_huge = ch07::mapping_of(reg.data()).anon_huge_bytes;
        }
        return wb::median(t);
    };
    std::size_t huge_small = 0, huge_huge = 0;
    const double t_small = first_touch(false, huge_small);
    const double t_huge = first_touch(true, huge_huge);
    std::printf("   %-36s %14s %18s\n", "pages", "us per 4 KiB", "in huge pages");
    std::printf("   %-36s %14.3f %15s\n", "4 KiB (MADV_NOHUGEPAGE)", 1e6 * t_small / double(pages), size_text(huge_small).c_str());
    std::printf("   %-36s %14.3f %15s\n", "2 MiB (MADV_HUGEPAGE, 2 MiB aligned)", 1e6 * t_huge / double(pages),
                size_text(huge_huge).c_str());
    std::printf("   ratio: %.1fx. One fault per 4 KiB (a trap into the kernel, a page zeroed, a page-table entry)\n"
                "   against one fault per 512 of them, and one TLB entry covering 2 MiB instead of 4 KiB.\n",
                t_small / t_huge);
    if (mode == "never")
        std::printf("   THP is 'never' here: madvise cannot give huge pages, so both rows use 4 KiB pages and cost\n"
                    "   about the same. (Root can write 'madvise' into that file; hugetlbfs is the other way.)\n");
    try {
        const double t_ex = best_s([&] { ch07::HugeBuffer b(bytes); }, o.repeats);  // exercise 07.3
        ch07::HugeBuffer b(bytes);
        std::printf("   exercise 07.3's HugeBuffer (map, advise, touch, unmap): %.3f us per 4 KiB; %s in huge pages\n",
                    1e6 * t_ex / double(pages), size_text(ch07::mapping_of(b.data()).anon_huge_bytes).c_str());
    } catch (const wb::NotStarted& e) {
        std::printf("   (exercise 07.3 not finished: %s)\n", e.what());
    }
}

// ---------------------------------------------------------------------------------------------------
void prefetch_section(const Options& o) {
    const std::size_t bytes = o.quick ? 8 * MiB : 256 * MiB;
    const std::size_t lines = bytes / ch07::demo::kLine;
    std::printf("\n== 5. Hardware prefetching: one double from each of the %zu lines of %s, three orders ==\n\n",
                lines, size_text(bytes).c_str());
    Region r(bytes, true);
    double* x = r.as<double>();
    std::fill(x, x + bytes / sizeof(double), 1.0);
    const std::span<const double> view(x, bytes / sizeof(double));
    std::printf("   %-40s %12s\n", "order", "ns per line");
    double seq = 0.0;
    for (const char* kind : {"sequential", "page_stride", "random"}) {
        const std::vector<std::uint32_t> idx = ch07::demo::line_order(lines, kind, 3);
        const double t = best_s([&] { g_sink = g_sink + ch07::demo::gather_sum(view, idx); }, o.repeats);
        const double ns = 1e9 * t / double(lines);
        if (seq == 0.0) seq = ns;
        const char* what = std::string(kind) == "sequential" ? "sequential (line after line)"
                           : std::string(kind) == "page_stride" ? "page_stride (4160 bytes apart)"
                                                                : "random (a shuffled order)";
        std::printf("   %-40s %12.2f  (%.1fx sequential)\n", what, ns, ns / seq);
    }
    std::printf("   The same lines, the same loads, the same index array read in order. The prefetchers follow a\n"
                "   stream within a 4 KiB page; a stride past the page or a random order gives them nothing to\n"
                "   follow, and each line waits for memory (many misses overlap, which is why random is not the\n"
                "   full latency of section 1).\n");
}

// ---------------------------------------------------------------------------------------------------
void transpose_section(const Options& o) {
    const std::size_t n = o.quick ? 500 : 4000;
    const double bytes = 2.0 * double(n) * double(n) * sizeof(double);
    std::printf("\n== 6. The tiled transpose: %zu x %zu doubles (%s per matrix) ==\n", n, n,
                size_text(n * n * sizeof(double)).c_str());
    const double predicted = ch07::demo::lines_naive(n, n) / ch07::demo::lines_tiled(n, n);
    std::printf("   PREDICT: the plain loops read `in` along rows (one line per 8 doubles) but write `out` down a\n"
                "   column: once a column's %zu lines no longer stay in the cache, every write brings in a line.\n"
                "   Lines brought in: naive n^2/8 + n^2, tiled 2 n^2/8. If time follows the lines, naive / tiled\n"
                "   = %.1fx.\n\n",
                n, predicted);
    // The matrices on 2 MiB boundaries in huge pages (as in the benchmarks): aligned rows for the
    // streaming stores below, and no TLB misses in any of the rows.
    const Region rin(n * n * sizeof(double), true), rout(n * n * sizeof(double), true);
    const std::span<double> in(rin.as<double>(), n * n), out(rout.as<double>(), n * n);
    std::vector<double> expected(n * n);
    for (std::size_t i = 0; i < in.size(); ++i) in[i] = double(i);
    auto out_ok = [&] { return std::equal(out.begin(), out.end(), expected.begin()); };
    const double t_copy = best_s([&] { std::copy(in.begin(), in.end(), out.begin()); }, o.repeats);
    const double t_naive = best_s([&] { ch07::demo::transpose_naive(in.data(), out.data(), n, n); }, o.repeats);
    std::copy(out.begin(), out.end(), expected.begin());  // the definition, to check the others against
    std::printf("   %-30s %10s %10s\n", "", "time", "GB/s");
    std::printf("   %-30s %7.2f ms %10.1f\n", "copy (std::copy, same bytes)", 1e3 * t_copy, bytes / t_copy / 1e9);
    std::printf("   %-30s %7.2f ms %10.1f\n", "naive transpose", 1e3 * t_naive, bytes / t_naive / 1e9);
    try {
        const double t_tiled = best_s([&] { ch07::transpose_tiled(in.data(), out.data(), n, n); }, o.repeats);  // 07.2
        std::printf("   %-30s %7.2f ms %10.1f   %s\n", "tiled transpose (07.2)", 1e3 * t_tiled, bytes / t_tiled / 1e9,
                    out_ok() ? "" : "WRONG RESULT");
        std::printf("\n   naive / tiled: predicted %.1fx, measured %.1fx; tiled reaches %.0f%% of the copy's bandwidth\n",
                    predicted, t_naive / t_tiled, 100.0 * t_copy / t_tiled);
        std::printf("   (the prediction counts lines in; naive also writes each line back many times, while the\n"
                    "   prefetchers and the write-combining of the hardware soften both)\n");
    } catch (const wb::NotStarted& e) {
        std::printf("   (exercise 07.2 not finished: %s)\n", e.what());
    }
    const wb::Isa isa = wb::widest_isa();
    const double t_simd = best_s([&] { ch07::demo::transpose_simd(in.data(), out.data(), n, n, isa, !o.quick); }, o.repeats);
    std::printf("   %-30s %7.2f ms %10.1f   %s\n", (std::string("tiled, ") + wb::isa_name(isa) + " blocks" + (o.quick ? "" : ", streaming")).c_str(),
                1e3 * t_simd, bytes / t_simd / 1e9, out_ok() ? "" : "WRONG RESULT");
    std::printf("   with register blocks%s: %.0f%% of the copy's bandwidth (the issue's goal: at least 50%%).\n"
                "   Streaming stores write whole lines of `out` without first reading them from memory.\n",
                o.quick ? "" : " and streaming stores", 100.0 * t_copy / t_simd);
}

/// Every dispatched kernel of the chapter against its definition, on every path this CPU runs: exact
/// results are expected (the read kernel sums small integers, which every order adds exactly).
bool check_paths() {
    bool ok = true;
    std::string paths;
    for (wb::Isa isa : wb::isas_on_this_cpu()) {
        paths += std::string(paths.empty() ? "" : ", ") + wb::isa_name(isa);
        for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{31}, std::size_t{1000}, std::size_t{4099}}) {
            std::vector<double> x(n);
            double exact = 0.0;
            for (std::size_t i = 0; i < n; ++i) exact += (x[i] = double(i % 7));
            if (ch07::demo::read_sum(x, isa) != exact) {
                std::printf("   read_sum on %s, n = %zu: WRONG\n", wb::isa_name(isa), n);
                ok = false;
            }
        }
        const std::size_t shapes[][2] = {{1, 1}, {8, 8}, {37, 53}, {64, 40}, {100, 9}, {3, 130}};
        for (const auto& sh : shapes) {
            const std::size_t rows = sh[0], cols = sh[1];
            std::vector<double> in(rows * cols), out(rows * cols), expected(rows * cols);
            for (std::size_t k = 0; k < in.size(); ++k) in[k] = double(k);
            ch07::demo::transpose_naive(in.data(), expected.data(), rows, cols);
            for (bool stream : {false, true}) {
                // Rows of 8 or 40 doubles in a vector's memory (16-byte aligned at least) take the
                // streaming path where the allocation happens to be 64-byte aligned; 64 x 40 in
                // huge-page memory below takes it for certain.
                std::fill(out.begin(), out.end(), -1.0);
                ch07::demo::transpose_simd(in.data(), out.data(), rows, cols, isa, stream);
                if (out != expected) {
                    std::printf("   transpose_simd on %s, %zu x %zu, stream %d: WRONG\n", wb::isa_name(isa), rows, cols,
                                int(stream));
                    ok = false;
                }
            }
        }
    }
    {
        const Region a(64 * 40 * sizeof(double), true), b(64 * 40 * sizeof(double), true);
        std::vector<double> expected(64 * 40);
        for (std::size_t k = 0; k < expected.size(); ++k) a.as<double>()[k] = double(k);
        ch07::demo::transpose_naive(a.as<double>(), expected.data(), 64, 40);
        for (wb::Isa isa : wb::isas_on_this_cpu()) {
            ch07::demo::transpose_simd(a.as<double>(), b.as<double>(), 64, 40, isa, true);
            if (!std::equal(expected.begin(), expected.end(), b.as<double>())) {
                std::printf("   transpose_simd on %s, 64 x 40 aligned, streaming: WRONG\n", wb::isa_name(isa));
                ok = false;
            }
        }
    }
    std::printf("Dispatched kernels (read_sum, transpose_simd) checked on %s: %s\n", paths.c_str(), ok ? "exact" : "WRONG");
    return ok;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    wb::Cli cli("ch07_program",
                "The memory hierarchy on this machine: latency and bandwidth against the working-set size, the\n"
                "cache edges found in them against what sysfs claims, strides and cache lines, arrays of\n"
                "structures against structures of arrays, huge pages and the TLB, hardware prefetching, the\n"
                "tiled transpose, then blocking: matrix multiply and blur.");
    cli.option("--max-mib", o.max_mib, "largest working set of the staircase, in MiB", 1, 4096);
    cli.option("--repeats", o.repeats, "timed runs per measurement (the best is shown)", 1, 100);
    cli.flag("--quick", o.quick, "small sizes and few repeats: a smoke run of a few seconds");
    cli.parse(argc, argv);
    try {
        (void)wb::widest_isa();
    } catch (const std::invalid_argument& e) {
        std::fprintf(stderr, "ch07_program: %s\n", e.what());
        return 2;
    }
    if (o.quick) o.repeats = std::min(o.repeats, 2);

    std::printf("%s\n", wb::machine_banner().c_str());
#ifdef WB_PROGRAM_ON_EXERCISES
    std::printf("Built on your own exercises (./wb run 07 --mine); without --mine it runs the reference solutions.\n");
#endif
    if (!check_paths()) return 1;
    for (void (*section)(const Options&) :
         {staircase_section, stride_section, layout_section, pages_section, prefetch_section, transpose_section}) {
        try {
            section(o);
        } catch (const wb::NotStarted& e) {
            std::printf("\n   (this section needs an exercise that is not finished: %s)\n", e.what());
        }
    }
    std::fflush(stdout);
    ch07::blocking::print_report(std::cout, o.quick);
    std::cout.flush();
    return 0;
}
