// Speed goals of chapter 00, checked by ./wb grade 00: the learner's kernels against the reference.
#include <array>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "ch00/fma_chains.hpp"
#include "ch00/keep_alive.hpp"
#include "ch00/triad.hpp"
#include "wb/perf.hpp"

namespace {

struct Arrays {
    explicit Arrays(std::size_t n) : a(n, 0.0), b(n, 1.0), c(n, 2.0) {}
    std::vector<double> a, b, c;
};

std::function<void()> triad_case(std::size_t n) {
    auto d = std::make_shared<Arrays>(n);
    return [d] { ch00::triad(d->a, d->b, d->c, 3.0); };
}

}  // namespace

WB_PERF_CASES(reg) {
    // A sum that is really computed reads at most a few doubles per ns on any core; a loop the
    // optimizer deleted "reads" thousands. The check runs untimed, before the speed is compared.
    reg.add("00.2 seconds_per_sum, 2^12 doubles", 0.8, [] {
        auto x = std::make_shared<std::vector<double>>(std::size_t{1} << 12, 0.5);
        const double per_ns = static_cast<double>(x->size()) / (1e9 * ch00::seconds_per_sum(*x, 2000));
        if (!(per_ns < 200.0))
            throw std::runtime_error("seconds_per_sum reports " + std::to_string(per_ns) +
                                     " elements per ns, more than any core can read: the optimizer deleted the loop");
        return [x] { ch00::seconds_per_sum(*x, 16); };
    });
    // In cache the threads share the arithmetic; in memory they share the bandwidth.
    reg.add("00.3 triad, 2^16 doubles (in cache)", 0.8, [] { return triad_case(std::size_t{1} << 16); });
    reg.add("00.3 triad, 2^23 doubles (in memory)", 0.8, [] { return triad_case(std::size_t{1} << 23); });
    reg.add("00.4 fma_chains, 2^16 steps", 0.8, [] {
        auto x = std::make_shared<std::array<double, ch00::kChains>>();
        x->fill(0.5);
        return [x] { ch00::fma_chains(*x, 0.999, 0.001, 1 << 16); };
    });
}
