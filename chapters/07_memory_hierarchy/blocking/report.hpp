// blocking/report.hpp: the blocking part of ch07_program (matrix multiply, blur), printed after the
// sections of the rest of the chapter.
#pragma once

#include <ostream>

namespace ch07::blocking {

/// Prints sections 7 (matrix multiply: GFLOP/s of every version, the share of this core's FMA peak,
/// Eigen and OpenBLAS beside them) and 8 (blur: direct against separable, the ratio the flop count
/// predicts beside the measured one). `quick`: small sizes, a smoke run of about a second.
/// Throws std::invalid_argument when WB_ISA names a path this CPU lacks.
void print_report(std::ostream& out, bool quick);

}  // namespace ch07::blocking
