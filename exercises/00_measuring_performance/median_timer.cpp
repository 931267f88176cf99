#include "ch00/median_timer.hpp"
namespace ch00 {
WB_IMPL_BEGIN
double median_seconds(const std::function<void()>& work, int runs) {
    // EXERCISE: time each run. Hint: std::chrono::steady_clock
    WB_TODO("00.1");
}
WB_IMPL_END
}
