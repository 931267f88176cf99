// lab.cpp: see lab.hpp.
#include "lab.hpp"

#include <fcntl.h>
#include <omp.h>
#include <poll.h>
#include <sched.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <new>
#include <stdexcept>
#include <system_error>

#include "ch03/shared_sum.hpp"

namespace ch03::lab {
namespace {

[[noreturn]] void fail(const char* what) { throw std::system_error(errno, std::generic_category(), what); }

// Reads exactly n bytes; false on end-of-file or error.
bool read_all(int fd, void* buf, std::size_t n) noexcept {
    auto* p = static_cast<unsigned char*>(buf);
    while (n > 0) {
        const ssize_t r = ::read(fd, p, n);
        if (r > 0) {
            p += r;
            n -= static_cast<std::size_t>(r);
        } else if (r == 0 || errno != EINTR) {
            return false;
        }
    }
    return true;
}

bool write_all(int fd, const void* buf, std::size_t n) noexcept {
    const auto* p = static_cast<const unsigned char*>(buf);
    while (n > 0) {
        const ssize_t w = ::write(fd, p, n);
        if (w > 0) {
            p += w;
            n -= static_cast<std::size_t>(w);
        } else if (w < 0 && errno != EINTR) {
            return false;
        }
    }
    return true;
}

// Waits up to about a second for pid to exit by itself, then kills it; always reaps.
void reap_or_kill(pid_t pid) noexcept {
    for (int tries = 0; tries < 1000; ++tries) {
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid) return;
        ::usleep(1000);
    }
    kill_and_reap(pid);
}

// The worker of PipeSum: for each request (a count, then that many doubles) send back their sum.
[[noreturn]] void pipe_worker(int data_fd, int result_fd) {
    constexpr std::size_t kBufDoubles = 1 << 15;  // 256 KiB
    std::vector<double> buf(kBufDoubles);
    auto* bytes = reinterpret_cast<unsigned char*>(buf.data());
    for (;;) {
        std::uint64_t count = 0;
        if (!read_all(data_fd, &count, sizeof count)) ::_exit(0);  // end-of-file: the parent is done
        double total = 0.0;
        std::size_t left = count * sizeof(double), have = 0;  // have: bytes in buf not yet summed
        while (left > 0) {
            const std::size_t want = std::min(left, kBufDoubles * sizeof(double) - have);
            const ssize_t r = ::read(data_fd, bytes + have, want);
            if (r <= 0) {
                if (r < 0 && errno == EINTR) continue;
                ::_exit(3);
            }
            have += static_cast<std::size_t>(r);
            left -= static_cast<std::size_t>(r);
            const std::size_t whole = have / sizeof(double);
            total += sum_kernel(buf.data(), whole);
            const std::size_t rest = have - whole * sizeof(double);  // a double split across reads
            std::memmove(bytes, bytes + whole * sizeof(double), rest);
            have = rest;
        }
        if (!write_all(result_fd, &total, sizeof total)) ::_exit(4);
    }
}

}  // namespace

// ------------------------------------------------------------------------------------------------
PrivateArray::PrivateArray(std::size_t n) : n_(n) {
    if (n == 0) return;
    void* p = ::mmap(nullptr, n * sizeof(double), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) fail("mmap");
    data_ = static_cast<double*>(p);
}

PrivateArray::~PrivateArray() {
    if (data_) ::munmap(data_, n_ * sizeof(double));
}

// ------------------------------------------------------------------------------------------------
PipeSum::PipeSum(int procs) {
    if (procs < 1) throw std::invalid_argument("PipeSum: procs >= 1");
    try {
        for (int i = 0; i < procs; ++i) {
            int data[2], result[2];
            if (::pipe2(data, O_CLOEXEC) != 0) fail("pipe2");
            if (::pipe2(result, O_CLOEXEC) != 0) {
                ::close(data[0]);
                ::close(data[1]);
                fail("pipe2");
            }
            workers_.push_back({-1, data[1], result[0]});  // from here on, close_all() closes them
            ::fcntl(data[1], F_SETPIPE_SZ, 1 << 20);       // 1 MiB instead of 64 KiB: fewer wake-ups (best effort)
            const int child_in = data[0], child_out = result[1];
            const std::vector<Worker>& all = workers_;
            try {
                workers_.back().pid = fork_child([child_in, child_out, &all] {
                    // Close every parent-side end, ours and the earlier workers': a write end left
                    // open in some child would keep its reader from ever seeing end-of-file.
                    for (const Worker& w : all) {
                        ::close(w.data_fd);
                        ::close(w.result_fd);
                    }
                    pipe_worker(child_in, child_out);
                });
            } catch (...) {
                ::close(child_in);
                ::close(child_out);
                throw;
            }
            ::close(child_in);
            ::close(child_out);
            ::fcntl(data[1], F_SETFL, O_NONBLOCK);  // sum() writes to whichever pipe has room
        }
    } catch (...) {
        close_all();
        throw;
    }
}

PipeSum::~PipeSum() { close_all(); }

void PipeSum::close_all() noexcept {
    for (auto& w : workers_) {
        if (w.data_fd >= 0) ::close(w.data_fd);  // end-of-file for the worker: it exits
        w.data_fd = -1;
    }
    for (auto& w : workers_) {
        if (w.pid > 0) reap_or_kill(w.pid);
        if (w.result_fd >= 0) ::close(w.result_fd);
        w.pid = -1;
        w.result_fd = -1;
    }
    workers_.clear();
}

//! [pipe_sum]
double PipeSum::sum(std::span<const double> data) {
    const int procs = static_cast<int>(workers_.size());
    struct Stream {
        std::uint64_t header;       // how many doubles follow
        const unsigned char* body;  // the slice
        std::size_t total, sent;    // bytes of header + body, bytes written so far
    };
    std::vector<Stream> streams(static_cast<std::size_t>(procs));
    for (int i = 0; i < procs; ++i) {
        const auto [b, e] = SharedSum::slice(data.size(), procs, i);
        streams[i] = {e - b, reinterpret_cast<const unsigned char*>(data.data() + b), 8 + (e - b) * sizeof(double), 0};
    }
    // Every byte is copied into a pipe buffer in the kernel by write() and copied out again by the
    // worker's read(): two copies, and the parent alone does all the writing.
    std::vector<pollfd> fds;
    for (;;) {
        fds.clear();
        for (int i = 0; i < procs; ++i)
            if (streams[i].sent < streams[i].total) fds.push_back({workers_[i].data_fd, POLLOUT, 0});
        if (fds.empty()) break;
        if (::poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) fail("poll");
        for (int i = 0; i < procs; ++i) {
            Stream& s = streams[i];
            if (s.sent >= s.total) continue;
            const unsigned char* from;
            std::size_t n;
            if (s.sent < 8) {
                from = reinterpret_cast<const unsigned char*>(&s.header) + s.sent;
                n = 8 - s.sent;
            } else {
                from = s.body + (s.sent - 8);
                n = std::min<std::size_t>(s.total - s.sent, 1 << 20);
            }
            const ssize_t w = ::write(workers_[i].data_fd, from, n);
            if (w > 0)
                s.sent += static_cast<std::size_t>(w);
            else if (w < 0 && errno != EAGAIN && errno != EINTR)
                fail("write to worker");
        }
    }
    double total = 0.0;
    for (int i = 0; i < procs; ++i) {
        double partial = 0.0;
        if (!read_all(workers_[i].result_fd, &partial, sizeof partial))
            throw std::runtime_error("PipeSum: a worker did not answer");
        total += partial;
    }
    return total;
}
//! [pipe_sum]

// ------------------------------------------------------------------------------------------------
double threads_sum(std::span<const double> data, int threads) {
    double total = 0.0;
#pragma omp parallel num_threads(threads) reduction(+ : total)
    {
        const auto [b, e] = SharedSum::slice(data.size(), omp_get_num_threads(), omp_get_thread_num());
        total += sum_kernel(data.data() + b, e - b);
    }
    return total;
}

double fork_per_call_sum(std::span<const double> data, int procs) {
    SharedMapping partials(static_cast<std::size_t>(procs) * 64);
    auto* out = partials.as<double>();
    std::vector<Child> children;
    children.reserve(static_cast<std::size_t>(procs));
    for (int i = 1; i < procs; ++i) {
        children.emplace_back([&data, out, procs, i] {
            const auto [b, e] = SharedSum::slice(data.size(), procs, i);
            out[8 * i] = sum_kernel(data.data() + b, e - b);
        });
    }
    const auto [b, e] = SharedSum::slice(data.size(), procs, 0);
    double total = sum_kernel(data.data() + b, e - b);
    for (auto& c : children)
        if (!c.wait_ok()) throw std::runtime_error("fork_per_call_sum: a child failed");
    for (int i = 1; i < procs; ++i) total += out[8 * i];
    return total;
}

// ------------------------------------------------------------------------------------------------
namespace {
constexpr std::uint64_t kStop = ~std::uint64_t{0};

// Spins until `done(value)` holds for the flag's value and returns that value. The CPU's pause hint
// between looks; every 64 looks it gives the CPU away, so that two processes sharing one core (a busy
// machine) still take turns instead of spinning through whole time slices.
template <class Done>
std::uint64_t await_flag(const std::atomic<std::uint64_t>& flag, Done done) noexcept {
    for (unsigned spins = 1;; ++spins) {
        const std::uint64_t v = flag.load(std::memory_order_acquire);
        if (done(v)) return v;
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
        if (spins % 64 == 0) ::sched_yield();
    }
}
}  // namespace

//! [handoff]
double line_handoff_ns(std::uint64_t handoffs, int repeats) {
    std::vector<double> ns;
    for (int r = 0; r < repeats; ++r) {
        SharedMapping memory(64);
        auto* flag = new (memory.data()) std::atomic<std::uint64_t>(0);
        // The partner answers every odd value v with v + 1, until the parent writes kStop.
        Child partner([flag] {
            for (;;) {
                const std::uint64_t v = await_flag(*flag, [](std::uint64_t x) { return x % 2 == 1; });
                if (v == kStop) return;
                flag->store(v + 1, std::memory_order_release);  // fetches the line from the parent's core
            }
        });
        // The parent writes v + 1 and waits for v + 2: two hand-offs per round. At most a quarter of a
        // second per run, however slow the hand-offs are on a busy machine.
        const auto t0 = std::chrono::steady_clock::now();
        std::uint64_t v = 0;
        double sec = 0.0;
        while (v < handoffs) {
            flag->store(v + 1, std::memory_order_release);  // fetches the line from the partner's core
            v = await_flag(*flag, [want = v + 2](std::uint64_t x) { return x == want; });
            if (v % 1024 == 0) {
                sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
                if (sec > 0.25) break;
            }
        }
        sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        flag->store(kStop, std::memory_order_release);
        if (!partner.wait_ok()) throw std::runtime_error("line_handoff_ns: the partner process failed");
        ns.push_back(1e9 * sec / static_cast<double>(v));
    }
    std::sort(ns.begin(), ns.end());
    return ns[ns.size() / 2];
}
//! [handoff]

// ------------------------------------------------------------------------------------------------
RingProducer::RingProducer(std::size_t capacity, std::uint64_t count)
    : memory_(SpscRing::bytes_needed(capacity)), ring_(SpscRing::create_in(memory_.data(), capacity)) {
    SpscRing* ring = ring_;
    child_ = Child([ring, count] {
        for (std::uint64_t i = 0; i < count; ++i) ring->push(i);
    });
}

PipeProducer::PipeProducer(std::size_t batch, std::uint64_t count) {
    int ends[2];
    if (::pipe2(ends, O_CLOEXEC) != 0) fail("pipe2");
    const int rd = ends[0], wr = ends[1];
    try {
        child_ = Child([rd, wr, batch, count] {
            ::close(rd);
            std::vector<std::uint64_t> buf(batch);
            for (std::uint64_t i = 0; i < count;) {
                const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(batch, count - i));
                for (std::size_t k = 0; k < n; ++k) buf[k] = i + k;
                if (!write_all(wr, buf.data(), n * sizeof(std::uint64_t))) return 5;
                i += n;
            }
            return 0;
        });
    } catch (...) {
        ::close(rd);
        ::close(wr);
        throw;
    }
    ::close(wr);
    fd_ = rd;
}

PipeProducer::~PipeProducer() {
    if (fd_ >= 0) ::close(fd_);  // first: a producer blocked in write() gets EPIPE/SIGPIPE and ends
}

bool PipeProducer::read_items(std::uint64_t* out, std::size_t n) noexcept {
    return read_all(fd_, out, n * sizeof(std::uint64_t));
}

bool PipeProducer::finish() noexcept {
    ::close(fd_);
    fd_ = -1;
    return child_.wait_ok();
}

}  // namespace ch03::lab
