// emu.cpp: the launch emulator of ch08/emu.hpp.
#include "ch08/emu.hpp"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace ch08::emu {

namespace {

constexpr std::size_t kMaxSharedBytes = 48 * 1024;  // what a launch gets without opting in to more

std::uint64_t volume(const Dim3& d) { return std::uint64_t{d.x} * d.y * d.z; }

Dim3 unflatten(std::uint64_t i, const Dim3& d) {
    return {static_cast<unsigned>(i % d.x), static_cast<unsigned>((i / d.x) % d.y),
            static_cast<unsigned>(i / (std::uint64_t{d.x} * d.y))};
}

void validate(const Launch& l) {
    auto bad = [](const std::string& what) { throw std::invalid_argument("invalid configuration argument: " + what); };
    if (volume(l.grid) == 0) bad("the grid has no blocks");
    if (volume(l.block) == 0) bad("the block has no threads");
    if (volume(l.block) > 1024) bad(std::to_string(volume(l.block)) + " threads per block (at most 1024)");
    if (l.block.x > 1024 || l.block.y > 1024 || l.block.z > 64) bad("a block dimension beyond 1024 x 1024 x 64");
    if (l.grid.y > 65535 || l.grid.z > 65535) bad("grid.y or grid.z beyond 65535");
    if (l.shared_bytes > kMaxSharedBytes)
        bad(std::to_string(l.shared_bytes) + " bytes of shared memory per block (at most 48 KiB)");
}

// The order in which the n items 0..n-1 are visited.
std::vector<std::uint32_t> visit_order(std::uint64_t n, Order order, std::mt19937_64& gen) {
    std::vector<std::uint32_t> v(n);
    std::iota(v.begin(), v.end(), 0u);
    if (order == Order::descending) std::reverse(v.begin(), v.end());
    if (order == Order::shuffled) std::shuffle(v.begin(), v.end(), gen);
    return v;
}

struct Aborted {};  // unwinds the other threads of a block after one has failed

}  // namespace

// One block in barrier mode: a host thread per GPU thread, one running at a time (it holds the turn).
class BlockRun {
public:
    BlockRun(const Launch& l, const Options& o, Dim3 block_idx, std::mt19937_64& gen, ErasedKernel fn,
             const void* kernel)
        : launch_(l), options_(o), gen_(gen), fn_(fn), kernel_(kernel), n_(static_cast<unsigned>(volume(l.block))),
          block_idx_(block_idx), state_(n_, State::ready), slot_(n_), shared_(l.shared_bytes / 16 + 1), turn_(n_) {
        std::memset(shared_.data(), 0xCD, shared_.size() * sizeof(Chunk));
        order_ = visit_order(n_, o.order, gen_);
    }

    void run(Report& report) {
        std::vector<std::thread> threads;
        threads.reserve(n_);
        {
            std::lock_guard<std::mutex> lk(m_);
            current_ = pick_locked();
        }
        for (unsigned i = 0; i < n_; ++i) threads.emplace_back([this, i] { body(i); });
        {
            std::unique_lock<std::mutex> lk(m_);
            done_cv_.wait(lk, [&] { return finished_ || error_; });
            if (error_) wake_all_locked();
        }
        for (auto& th : threads) th.join();
        if (error_) std::rethrow_exception(error_);
        report.threads += n_;
        report.block_barriers += barriers_;
        report.warp_shuffles += shuffles_;
    }

    void* shared() { return shared_.data(); }

    void syncthreads(unsigned me) { arrive(me, State::at_block_barrier); }

    std::uint64_t exchange_down(unsigned me, std::uint64_t bits, unsigned delta) {
        slot_[me] = bits;
        arrive(me, State::at_warp_barrier);  // every lane has put its value
        const unsigned lane = me % kWarpSize, src = me + delta;
        const std::uint64_t got = (lane + delta < kWarpSize && src < n_) ? slot_[src] : bits;
        arrive(me, State::at_warp_barrier);  // every lane has read, so the slots may be reused
        if (lane == 0) {
            std::lock_guard<std::mutex> lk(m_);
            ++shuffles_;
        }
        return got;
    }

private:
    enum class State { ready, at_block_barrier, at_warp_barrier, done };
    struct alignas(16) Chunk {
        unsigned char b[16];
    };

    void body(unsigned me) {
        try {
            wait_turn(me);
            Thread t;
            t.blockIdx = block_idx_;
            t.blockDim = launch_.block;
            t.gridDim = launch_.grid;
            t.threadIdx = unflatten(me, launch_.block);
            t.block_ = this;
            t.linear_ = me;
            fn_(kernel_, t);
            std::lock_guard<std::mutex> lk(m_);
            state_[me] = State::done;
            hand_on_locked();
        } catch (const Aborted&) {
        } catch (...) {
            std::lock_guard<std::mutex> lk(m_);
            if (!error_) error_ = std::current_exception();
            wake_all_locked();
        }
    }

    void wait_turn(unsigned me) {
        std::unique_lock<std::mutex> lk(m_);
        turn_[me].wait(lk, [&] { return current_ == static_cast<int>(me) || aborting_; });
        if (aborting_) throw Aborted{};
    }

    // The running thread `me` stops at a barrier of kind `s` and hands the turn on.
    void arrive(unsigned me, State s) {
        {
            std::lock_guard<std::mutex> lk(m_);
            state_[me] = s;
            if (s == State::at_block_barrier) {
                if (std::all_of(state_.begin(), state_.end(), [](State x) { return x == State::at_block_barrier; })) {
                    std::fill(state_.begin(), state_.end(), State::ready);
                    ++barriers_;
                    if (options_.order == Order::shuffled) order_ = visit_order(n_, Order::shuffled, gen_);
                }
            } else {
                const unsigned w0 = me - me % kWarpSize, w1 = std::min(n_, w0 + kWarpSize);
                if (std::all_of(state_.begin() + w0, state_.begin() + w1, [](State x) { return x == State::at_warp_barrier; }))
                    std::fill(state_.begin() + w0, state_.begin() + w1, State::ready);
            }
            hand_on_locked();
        }
        wait_turn(me);
    }

    // Gives the turn to the first ready thread in the order; finds the end of the block or a deadlock.
    void hand_on_locked() {
        current_ = pick_locked();
        if (current_ < 0) {
            if (std::all_of(state_.begin(), state_.end(), [](State x) { return x == State::done; })) {
                finished_ = true;
                done_cv_.notify_all();
            } else if (!error_) {
                error_ = std::make_exception_ptr(std::logic_error(deadlock_message()));
                wake_all_locked();
            }
            return;
        }
        turn_[static_cast<unsigned>(current_)].notify_one();
    }

    // Every waiting thread wakes up and unwinds (Aborted); the caller of run() rethrows error_.
    void wake_all_locked() {
        aborting_ = true;
        for (auto& c : turn_) c.notify_all();
        done_cv_.notify_all();
    }

    int pick_locked() const {
        for (std::uint32_t i : order_)
            if (state_[i] == State::ready) return static_cast<int>(i);
        return -1;
    }

    std::string deadlock_message() const {
        unsigned at_block = 0, at_warp = 0, done = 0;
        for (State s : state_) {
            at_block += s == State::at_block_barrier;
            at_warp += s == State::at_warp_barrier;
            done += s == State::done;
        }
        std::string m = "deadlock in block (" + std::to_string(block_idx_.x) + "," + std::to_string(block_idx_.y) +
                        "," + std::to_string(block_idx_.z) + "): ";
        if (at_block)
            m += std::to_string(at_block) + " of " + std::to_string(n_) +
                 " threads wait in syncthreads() for threads that never reach it (" + std::to_string(done) +
                 " have returned); a barrier must be reached by every thread of the block";
        else
            m += std::to_string(at_warp) +
                 " threads wait in a warp shuffle that other lanes of their warp never reach; every lane of a "
                 "warp must call shfl_down";
        return m;
    }

    const Launch& launch_;
    const Options& options_;
    std::mt19937_64& gen_;
    ErasedKernel fn_;
    const void* kernel_;
    unsigned n_;
    Dim3 block_idx_;
    std::vector<State> state_;
    std::vector<std::uint32_t> order_;
    std::vector<std::uint64_t> slot_;
    std::vector<Chunk> shared_;
    std::mutex m_;
    std::vector<std::condition_variable> turn_;  // one per thread: only the next one is woken
    std::condition_variable done_cv_;
    int current_ = -1;
    bool finished_ = false, aborting_ = false;
    std::exception_ptr error_;
    std::uint64_t barriers_ = 0, shuffles_ = 0;
};

void Thread::syncthreads() const {
    if (!block_) throw std::logic_error("syncthreads() in a kernel run without barriers (no shared memory in its launch)");
    block_->syncthreads(linear_);
}

void* Thread::shared() const {
    if (!block_) throw std::logic_error("shared() in a kernel launched with shared_bytes == 0");
    return block_->shared();
}

std::uint64_t Thread::exchange_down(std::uint64_t bits, unsigned delta) const {
    if (!block_) throw std::logic_error("shfl_down in a kernel run without barriers (set Options::barriers)");
    return block_->exchange_down(linear_, bits, delta);
}

Report run_erased(const Launch& launch, const Options& options, ErasedKernel fn, const void* kernel) {
    validate(launch);
    std::mt19937_64 gen(options.seed);
    Report report;
    const std::uint64_t blocks = volume(launch.grid), per_block = volume(launch.block);
    if (options.barriers || launch.shared_bytes > 0) {
        for (std::uint32_t b : visit_order(blocks, options.order, gen)) {
            BlockRun block(launch, options, unflatten(b, launch.grid), gen, fn, kernel);
            block.run(report);
        }
        return report;
    }
    const std::uint64_t total = blocks * per_block;
    if (total > (std::uint64_t{1} << 32)) throw std::invalid_argument("emu::run: more than 2^32 threads in one grid");
    Thread t;
    t.blockDim = launch.block;
    t.gridDim = launch.grid;
    for (std::uint32_t g : visit_order(total, options.order, gen)) {
        t.blockIdx = unflatten(g / per_block, launch.grid);
        t.linear_ = static_cast<unsigned>(g % per_block);
        t.threadIdx = unflatten(t.linear_, launch.block);
        fn(kernel, t);
    }
    report.threads = total;
    return report;
}

}  // namespace ch08::emu
