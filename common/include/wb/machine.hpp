// wb/machine.hpp: what machine, compiler and flags a measurement was taken with.
#pragma once

#include <string>

namespace wb {

std::string cpu_model();         ///< "model name" from /proc/cpuinfo, or "unknown"
unsigned logical_cores();        ///< std::thread::hardware_concurrency(), at least 1
std::string vector_isa();        ///< the widest vector instructions the CPU has: "AVX-512", "AVX2", "SSE4.2", ...
std::string compiler();          ///< e.g. "g++ 12.2.0" or "clang++ 14.0.6"
std::string build_flags();       ///< the flags this workbook was built with (set by cmake/workbook.cmake)
std::string now_utc();           ///< ISO 8601 date and time
/// One line for the top of a program's output: CPU, cores, compiler, flags.
std::string machine_banner();

}  // namespace wb
