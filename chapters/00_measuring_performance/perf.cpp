#include "wb/perf.hpp"
#include "ch00/median_timer.hpp"
WB_PERF_CASES(reg) {
    reg.add("00.1 median timer", 0.5, [] { return [] { ch00::median_seconds([] {}, 100); }; });
}
