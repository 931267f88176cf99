// flags/report.hpp: the compiler-flags study of chapter 06, printed by ch06_program.
#pragma once

#include <ostream>

namespace ch06::flags {

/// Prints the study of what each set of optimisation flags buys and costs: the model's prediction of
/// which loops vectorize and how much faster that makes them, then for every variant the time per
/// element of each kernel, its speed against `strict`, and the error of its exp, polynomial and sum
/// against correctly rounded references. `quick`: fewer and shorter timings (well under 2 s).
void print_report(std::ostream& out, bool quick);

}  // namespace ch06::flags
