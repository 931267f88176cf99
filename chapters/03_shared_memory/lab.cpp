// lab.cpp: see lab.hpp.
#include "lab.hpp"

#include <fcntl.h>
#include <omp.h>
#include <poll.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
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
