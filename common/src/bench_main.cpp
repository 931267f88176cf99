// The main() of every chapter benchmark: stamps the results with the machine, compiler and flags.
#include <cstring>
#include <string>

#include "wb/bench.hpp"
#include "wb/machine.hpp"

namespace {
bool g_smoke = false;
}

bool wb::bench::smoke() { return g_smoke; }

int main(int argc, char** argv) {
    // Our own switch, removed before Google Benchmark sees the arguments.
    int kept = 1;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--wb_smoke") == 0) g_smoke = true;
        else argv[kept++] = argv[i];
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
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
