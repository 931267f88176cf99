#include "ch00/median_timer.hpp"
#include <chrono>
#include <vector>
#include "wb/stats.hpp"
namespace ch00 {
WB_IMPL_BEGIN
double median_seconds(const std::function<void()>& work, int runs) {
    std::vector<double> t;
    for (int i = 0; i < runs; ++i) {
        auto a = std::chrono::steady_clock::now();
        work();
        t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - a).count());
    }
    return wb::median(t);
}
WB_IMPL_END
}
