// Reference solution of exercise 03.3: several processes summing one array in shared memory.
#include "ch03/shared_sum.hpp"

#include <semaphore.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>

namespace ch03 {
WB_IMPL_BEGIN

double sum_kernel(const double* p, std::size_t n) {
    // Sixteen independent partial sums: the compiler keeps them in four 256-bit registers, and the
    // adds of one step do not wait for each other (one running sum would wait ~4 cycles per add).
    constexpr std::size_t kLanes = 16;
    double acc[kLanes] = {};
    std::size_t i = 0;
    for (; i + kLanes <= n; i += kLanes) {
        for (std::size_t k = 0; k < kLanes; ++k) acc[k] += p[i + k];
    }
    double s = 0.0;
    for (; i < n; ++i) s += p[i];
    for (double a : acc) s += a;
    return s;
}

void SharedSum::start_workers() {
    // Fork once. Each child inherits both mappings (the same physical pages as ours) and loops in
    // worker_main until told to quit; it never returns here.
    for (int i = 1; i < procs_; ++i) {
        Control* control = control_;
        double* array = array_;
        const std::size_t n = n_;
        const int procs = procs_;
        workers_.push_back(fork_child([control, array, n, procs, i] { worker_main(control, array, n, procs, i); }));
    }
    // First touch: each process writes its own slice, so every process has its slice's pages mapped
    // before the first timed sum (a page fault costs more than reading the whole page).
    control_->command.store(kTouch, std::memory_order_relaxed);
    for (int i = 1; i < procs_; ++i) sem_post(&control_->slots[i].go);
    const auto [b, e] = slice(n_, procs_, 0);
    std::fill(array_ + b, array_ + e, 0.0);
    wait_for_workers();
}

void SharedSum::worker_main(Control* control, double* array, std::size_t n, int procs, int me) {
    const auto [b, e] = slice(n, procs, me);
    for (;;) {
        sem_wait_retry(&control->slots[me].go);  // sleeps in the kernel: no CPU used while idle
        // sem_post/sem_wait order memory: what the parent wrote before posting is visible here.
        switch (control->command.load(std::memory_order_relaxed)) {
            case kQuit:
                ::_exit(0);
            case kTouch:
                std::fill(array + b, array + e, 0.0);
                break;
            default:
                control->slots[me].partial = sum_kernel(array + b, e - b);
                break;
        }
        sem_post(&control->done);
    }
}

double SharedSum::sum() {
    if (std::find(workers_.begin(), workers_.end(), -1) != workers_.end())
        throw std::runtime_error("SharedSum: a worker process has died");
    control_->command.store(kSum, std::memory_order_relaxed);
    for (int i = 1; i < procs_; ++i) sem_post(&control_->slots[i].go);
    const auto [b, e] = slice(n_, procs_, 0);
    double total = sum_kernel(array_ + b, e - b);  // our own slice while the workers do theirs
    wait_for_workers();
    for (int i = 1; i < procs_; ++i) total += control_->slots[i].partial;  // fixed order: same result every call
    return total;
}

WB_IMPL_END
}  // namespace ch03
