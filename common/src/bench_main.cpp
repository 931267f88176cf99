// The main() of every chapter benchmark: stamps the results with the machine, compiler and flags,
// measures the last-level cache edge (so that the docs can tell in-cache rows from memory-bound ones),
// and records how busy the machine was, warning when other programs compete for the cores.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "wb/bench.hpp"
#include "wb/machine.hpp"

namespace {
bool g_smoke = false;
std::size_t g_llc_bytes = 0;

std::string fixed(double v, int digits) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

void warn_if_busy(double others, unsigned cpus, const char* when) {
    if (others < 0 || others < wb::busy_threshold_cores(cpus)) return;
    std::fprintf(stderr,
                 "wb: WARNING: other programs kept %.2f of %u cores busy %s. The timings are slower and "
                 "noisier than on a quiet machine; the results record this. Close them and run again "
                 "for clean numbers.\n",
                 others, cpus, when);
}

// The JSON context is written before the benchmarks run; what is only known at the end is added
// to the file afterwards, as the first entries of "context".
void add_to_context(const std::string& path, const std::string& key, const std::string& value) {
    std::ifstream in(path);
    if (!in) return;
    std::stringstream text;
    text << in.rdbuf();
    in.close();
    std::string s = text.str();
    const std::string anchor = "\"context\": {";
    auto at = s.find(anchor);
    if (at == std::string::npos) return;
    s.insert(at + anchor.size(), "\n    \"" + key + "\": \"" + value + "\",");
    std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp);
        out << s;
        if (!out) return;
    }
    std::rename(tmp.c_str(), path.c_str());
}
}  // namespace

bool wb::bench::smoke() { return g_smoke; }
std::size_t wb::bench::llc_bytes() { return g_llc_bytes; }

int main(int argc, char** argv) {
    // Our own switch, removed before Google Benchmark sees the arguments.
    int kept = 1;
    std::string out_file, out_format = "json";
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--wb_smoke") == 0) {
            g_smoke = true;
            continue;
        }
        if (std::strncmp(argv[i], "--benchmark_out=", 16) == 0) out_file = argv[i] + 16;
        if (std::strncmp(argv[i], "--benchmark_out_format=", 23) == 0) out_format = argv[i] + 23;
        argv[kept++] = argv[i];
    }
    argc = kept;
    argv[argc] = nullptr;

    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
    benchmark::AddCustomContext("wb_cpu_model", wb::cpu_model());
    benchmark::AddCustomContext("wb_vector_isa", wb::vector_isa());
    benchmark::AddCustomContext("wb_logical_cores", std::to_string(wb::logical_cores()));
    benchmark::AddCustomContext("wb_compiler", wb::compiler());
    benchmark::AddCustomContext("wb_flags", wb::build_flags());
    benchmark::AddCustomContext("wb_date", wb::now_utc());

    wb::CpuSample start{};
    if (!g_smoke) {
        // The sweep doubles as the first load window: whatever else ran meanwhile competed with it.
        double load = wb::load_average();
        start = wb::cpu_sample();
        wb::CacheEdge edge = wb::measure_cache_edge();
        wb::CpuSample after = wb::cpu_sample();
        g_llc_bytes = edge.llc_bytes;
        std::string sweep;
        for (const auto& p : edge.points) {
            if (!sweep.empty()) sweep += ' ';
            sweep += fixed(double(p.bytes) / (1 << 20), 1);
            sweep += ':';
            sweep += fixed(p.gb_per_s, 1);
        }
        double others = wb::other_busy_cores(start, after);
        benchmark::AddCustomContext("wb_llc_bytes_measured", std::to_string(edge.llc_bytes));
        benchmark::AddCustomContext("wb_llc_found", edge.found ? "yes" : "no");
        benchmark::AddCustomContext("wb_llc_sweep", sweep);
        benchmark::AddCustomContext("wb_llc_sweep_seconds", fixed(edge.seconds, 2));
        if (others >= 0) {
            benchmark::AddCustomContext("wb_other_load_start", fixed(others, 2));
            benchmark::AddCustomContext("wb_busy_threshold", fixed(wb::busy_threshold_cores(after.cpus), 2));
        }
        if (load >= 0) benchmark::AddCustomContext("wb_load_average", fixed(load, 2));
        warn_if_busy(others, after.cpus, "while the benchmarks started");
    }

    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();

    if (!g_smoke) {
        wb::CpuSample end = wb::cpu_sample();
        double others = wb::other_busy_cores(start, end);
        warn_if_busy(others, end.cpus, "on average while the benchmarks ran");
        if (others >= 0 && !out_file.empty() && out_format == "json")
            add_to_context(out_file, "wb_other_load_run", fixed(others, 2));
    }
    return 0;
}
