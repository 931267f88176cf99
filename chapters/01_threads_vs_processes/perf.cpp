// ch01_perf: the learner's exercises against the reference, timed alternately (see wb/perf.hpp).
// Goals are loose (half the reference's speed): the kernel does most of the work in every case, so only
// a wasteful version (a byte per system call, a sleep, workers run one by one) falls short.
#include "wb/perf.hpp"

#include <algorithm>
#include <cstddef>
#include <memory>
#include <thread>
#include <vector>

#include "ch01/ping_pong.hpp"
#include "ch01/pipe_io.hpp"
#include "ch01/posix.hpp"
#include "ch01/process_workers.hpp"
#include "ch01/thread_workers.hpp"

namespace {

unsigned workers() { return std::max(2u, std::thread::hardware_concurrency()); }

}  // namespace

WB_PERF_CASES(reg) {
    reg.add("01.1 thread_workers, one per core", 0.5, [] {
        return [] { ch01::run_thread_workers(static_cast<int>(workers()), [](int i) { return 1.0 * i; }); };
    });
    reg.add("01.2 pipe_io, 4 MiB in 16 KiB pieces", 0.5, [] {
        // One thread writes a piece and reads it back: a piece fits in the pipe, so nothing blocks.
        struct State {
            ch01::Pipe pipe = ch01::make_pipe();
            std::vector<std::byte> out = std::vector<std::byte>(16 * 1024, std::byte{7});
            std::vector<std::byte> in = std::vector<std::byte>(16 * 1024);
        };
        auto s = std::make_shared<State>();
        return [s] {
            for (int k = 0; k < 256; ++k) {
                ch01::write_all(s->pipe.write_end.get(), s->out);
                ch01::read_all(s->pipe.read_end.get(), s->in);
            }
        };
    });
    reg.add("01.3 process_workers, one per core", 0.5, [] {
        return [] { ch01::run_process_workers(static_cast<int>(workers()), [](int i) { return 1.0 * i; }); };
    });
    reg.add("01.4 ping_pong, 2000 round trips", 0.5, [] { return [] { ch01::ping_pong(2000); }; });
}
