// ch02/pool_core.hpp: the machinery of the process pool (given code; read it, do not edit it).
//
// PoolCore owns the worker processes, the socket to each, the queue of tasks not yet handed out and
// the outcomes not yet collected. It forks workers, sends a task, reads an answer, notices a dead
// worker, reaps and replaces it, stops a task past its deadline, and shuts everything down. What it
// does not do is decide *when* to do which: that is the scheduler (ch02/scheduler.hpp, exercise
// 02.3), which calls the five functions of the section "For the scheduler" below. ch02::Pool
// (ch02/pool.hpp) is the face the rest of the program sees.
//
// Faults. A worker that dies (a crash, a signal from outside) closes its socket: receive() sees end
// of stream, reaps the worker (with reap() of exercise 02.2), fails its task with an error naming
// the task, the function and the signal, and forks a replacement. The failed task is not run again:
// a task that crashes its worker would crash the next one too. time_out() kills a worker whose task
// ran past its deadline and replaces it the same way. shutdown() kills busy workers, lets idle ones
// exit, and reaps every one of them.
//
// Not thread-safe: create and use a pool from one thread, the same thread that keeps it alive
// (workers are told to die when the thread that forked them ends).
#pragma once

#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <deque>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "ch02/dead_worker.hpp"
#include "ch02/functions.hpp"
#include "ch02/wire.hpp"
#include "ch02/worker_loop.hpp"
#include "wb/exercise.hpp"

namespace ch02 {

/// A task failed: its function threw, its worker died, or it ran past the timeout. what() says which.
class TaskError : public std::runtime_error {
   public:
    TaskError(TaskId task, const std::string& message) : std::runtime_error(message), task_(task) {}
    TaskId task() const { return task_; }

   private:
    TaskId task_;
};

/// The pool can no longer run tasks: a worker failed outside any task (its worker loop threw, or the
/// protocol broke). Like Python's BrokenProcessPool. what() carries the worker's own message.
class BrokenPool : public std::runtime_error {
   public:
    using std::runtime_error::runtime_error;
};

struct PoolOptions {
    int workers = 0;                             ///< worker processes; 0: one per logical core
    std::chrono::milliseconds task_timeout{0};   ///< longest a task may run; 0: no limit
    std::chrono::milliseconds reap_grace{2000};  ///< how long to wait for a worker to exit before SIGKILL
    bool core_dumps = false;                     ///< let crashing workers write core files
};

/// The end of one task, as the worker (or the pool, for a dead worker) reported it.
struct Outcome {
    bool ok = false;
    Bytes value;        ///< the serialized result, when ok
    std::string error;  ///< what went wrong, when not ok
};

struct WorkerStats {
    std::size_t tasks = 0;     ///< tasks finished in this slot (results and errors)
    double busy_seconds = 0;   ///< time from sending each task to receiving its answer, summed
    std::size_t restarts = 0;  ///< replacement workers forked into this slot
};

struct PoolStats {
    std::size_t workers_started = 0;  ///< forks, replacements included
    std::size_t tasks_sent = 0;
    std::size_t crashes = 0;           ///< tasks whose worker died under them
    std::size_t timeouts = 0;          ///< tasks stopped by the timeout
    std::uint64_t bytes_sent = 0;      ///< frames to workers, headers included
    std::uint64_t bytes_received = 0;  ///< frames from workers, headers included
    std::vector<WorkerStats> per_worker;
};

/// Exit codes of a worker process (a signal shows in the wait status instead).
inline constexpr int worker_exit_ok = 0;
inline constexpr int worker_exit_fatal = 3;     ///< the worker loop threw
inline constexpr int worker_exit_orphaned = 4;  ///< the parent died before the worker started

WB_IMPL_BEGIN

class PoolCore {
   public:
    using Clock = std::chrono::steady_clock;

    /// Forks the workers; each gets a copy of `table`. Throws std::system_error if a fork fails
    /// (after reaping the workers already started).
    PoolCore(FunctionTable table, PoolOptions options);
    ~PoolCore() { shutdown(); }
    PoolCore(const PoolCore&) = delete;
    PoolCore& operator=(const PoolCore&) = delete;

    // ---- For the scheduler (exercise 02.3) ---------------------------------------------------------
    // [scheduler_view]
    /// Worker slots, numbered 0 .. size()-1. A slot keeps its number when its worker is replaced.
    std::size_t size() const { return workers_.size(); }
    /// Whether a worker process is in `slot`. Always true, except in a broken pool.
    bool alive(std::size_t slot) const { return workers_.at(slot).pid > 0; }
    /// Whether the worker in `slot` is running a task (it holds at most one).
    bool busy(std::size_t slot) const { return workers_.at(slot).task.has_value(); }
    /// The parent's end of the socket to the worker in `slot`, for poll(); -1 when !alive(slot).
    /// It becomes readable when the worker has answered, and also when the worker has died.
    int fd(std::size_t slot) const { return workers_.at(slot).fd; }
    /// When the task of the worker in `slot` must have ended; Clock::time_point::max() when there is
    /// no limit (no task_timeout, or the worker is idle).
    Clock::time_point deadline(std::size_t slot) const {
        const Worker& w = workers_.at(slot);
        return w.task ? w.task->deadline : Clock::time_point::max();
    }
    /// Tasks submitted and not yet handed to a worker.
    std::size_t queued() const { return queue_.size(); }

    /// Hands the oldest queued task to the idle worker in `slot`, which is then busy. A worker found
    /// dead on the way (killed while idle) is reaped and replaced, and the task goes to the new one.
    /// Throws std::logic_error if the queue is empty or the worker is not idle.
    void send_next(std::size_t slot);
    /// Reads what the worker in `slot` sent: files its answer (the worker is then idle), or, at end of
    /// stream, reaps the dead worker, fails its task and forks a replacement. Blocks until something
    /// arrives: call it for a socket that poll() reported.
    void receive(std::size_t slot);
    /// Stops the busy worker in `slot` (SIGKILL), fails its task as timed out, reaps the worker and
    /// forks a replacement. Throws std::logic_error if the worker is not busy.
    void time_out(std::size_t slot);
    // [scheduler_view]

    // ---- For ch02::Pool ------------------------------------------------------------------------------
    /// Queues a task; returns its id. Throws BrokenPool or std::logic_error when the pool is unusable.
    TaskId submit(FnId fn, Bytes args);
    /// Whether task `id` was submitted and not yet collected or discarded.
    bool outstanding(TaskId id) const { return outstanding_.contains(id); }
    std::size_t outstanding() const { return outstanding_.size(); }
    /// Whether task `id` has ended and its outcome waits to be collected.
    bool finished(TaskId id) const { return done_.contains(id); }
    /// Returns and forgets the outcome of a finished task.
    Outcome collect(TaskId id);
    /// Forgets task `id`: removes it from the queue, or drops its result when it arrives. No-op if unknown.
    void discard(TaskId id) noexcept;
    /// Throws std::logic_error after shutdown, BrokenPool once the pool is broken.
    void check_usable() const;
    /// Stops every worker and reaps it: busy ones are killed, idle ones see their socket close and exit.
    void shutdown() noexcept;
    bool closed() const { return closed_; }
    std::vector<pid_t> pids() const;
    std::optional<pid_t> pid_running(TaskId id) const;
    const PoolStats& stats() const { return stats_; }
    const FunctionTable& functions() const { return table_; }

   private:
    struct Queued {
        TaskId id;
        FnId fn;
        Bytes args;
    };
    struct Running {
        TaskId id;
        FnId fn;
        Clock::time_point sent;
        Clock::time_point deadline;  ///< Clock::time_point::max() when there is no timeout
    };
    struct Worker {
        pid_t pid = -1;               ///< -1: no process in this slot (only in a broken pool)
        int fd = -1;                  ///< the parent's end of the socket pair
        std::optional<Running> task;  ///< the task it is running; empty while idle
        std::string fatal;            ///< message of a fatal frame, reported when the worker is reaped
    };

    void start_worker(std::size_t slot);
    [[noreturn]] void child_main(int fd, pid_t parent);
    void worker_died(std::size_t slot);
    std::string retire(std::size_t slot);
    void finish(TaskId id, Outcome outcome);
    std::string label(const Running& r) const;

    FunctionTable table_;
    PoolOptions options_;
    std::vector<Worker> workers_;
    std::deque<Queued> queue_;
    std::unordered_map<TaskId, Outcome> done_;
    std::unordered_set<TaskId> outstanding_;  ///< submitted, not yet collected or discarded
    std::unordered_set<TaskId> discarded_;    ///< running, but nobody wants the answer
    TaskId next_id_ = 1;
    PoolStats stats_;
    std::string broken_;  ///< why the pool broke; empty while it works
    bool closed_ = false;
};

inline PoolCore::PoolCore(FunctionTable table, PoolOptions options) : table_(std::move(table)), options_(options) {
    const int n =
        options_.workers > 0 ? options_.workers : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    workers_.resize(static_cast<std::size_t>(n));
    stats_.per_worker.resize(workers_.size());
    try {
        for (std::size_t slot = 0; slot < workers_.size(); ++slot) start_worker(slot);
    } catch (...) {
        shutdown();  // the destructor will not run for a half-built object
        throw;
    }
}

// [fork]
inline void PoolCore::start_worker(std::size_t slot) {
    int sv[2];
    // A socket pair is a two-way pipe (Python's multiprocessing.Pipe() is one too). CLOEXEC: a program
    // that later execs something does not hand it our sockets.
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        throw std::system_error(errno, std::generic_category(), "socketpair");
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) {
        const int err = errno;
        ::close(sv[0]);
        ::close(sv[1]);
        throw std::system_error(err, std::generic_category(), "fork");
    }
    if (pid == 0) {  // the child: a copy of this whole process, with one thread
        ::close(sv[0]);
        child_main(sv[1], parent);  // never returns
    }
    ::close(sv[1]);  // the parent keeps its own end only, or it would never see end of stream
    Worker& w = workers_[slot];
    w.pid = pid;
    w.fd = sv[0];
    w.task.reset();
    w.fatal.clear();
    ++stats_.workers_started;
}

inline void PoolCore::child_main(int fd, pid_t parent) {
    // Die with the parent, whatever kills it: no orphaned workers. (Check afterwards: the parent may
    // have died before the prctl. Strictly, the signal comes when the parent *thread* that forked us
    // ends, hence: keep a pool in the thread that created it.)
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(worker_exit_orphaned);
    // A crash must be a plain crash, not a test framework's or sanitizer's handler running in a copy of
    // the parent: default actions for the fatal signals, nothing blocked.
    for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTERM, SIGINT}) ::signal(sig, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    if (!options_.core_dumps) {
        const rlimit no_core{0, 0};
        ::setrlimit(RLIMIT_CORE, &no_core);
    }
    // The other workers' sockets came along with the copy: close them, or those workers would not see
    // end of stream when the parent closes its end at shutdown.
    for (const Worker& w : workers_)
        if (w.fd >= 0) ::close(w.fd);

    int code = worker_exit_fatal;
    try {
        code = worker_loop(fd, table_);
    } catch (const std::exception& e) {
        try {
            write_frame(fd, FrameKind::fatal, 0, 0, as_bytes(e.what()));
        } catch (...) {
        }
    } catch (...) {
    }
    // _exit, not exit or return: no atexit handlers, no flushing of stdio buffers copied from the
    // parent (they would print twice), no destructors of the parent's objects, no test framework.
    ::_exit(code);
}
// [fork]

inline std::vector<pid_t> PoolCore::pids() const {
    std::vector<pid_t> out;
    for (const Worker& w : workers_)
        if (w.pid > 0) out.push_back(w.pid);
    return out;
}

inline std::optional<pid_t> PoolCore::pid_running(TaskId id) const {
    for (const Worker& w : workers_)
        if (w.task && w.task->id == id) return w.pid;
    return std::nullopt;
}

inline void PoolCore::check_usable() const {
    if (closed_) throw std::logic_error("the pool has been shut down");
    if (!broken_.empty()) throw BrokenPool(broken_);
}

inline TaskId PoolCore::submit(FnId fn, Bytes args) {
    check_usable();
    const TaskId id = next_id_++;
    queue_.push_back({id, fn, std::move(args)});
    outstanding_.insert(id);
    return id;
}

inline Outcome PoolCore::collect(TaskId id) {
    Outcome out = std::move(done_.at(id));
    done_.erase(id);
    outstanding_.erase(id);
    return out;
}

inline void PoolCore::discard(TaskId id) noexcept {
    if (outstanding_.erase(id) == 0) return;
    if (done_.erase(id) != 0) return;
    const auto queued = std::find_if(queue_.begin(), queue_.end(), [id](const Queued& q) { return q.id == id; });
    if (queued != queue_.end())
        queue_.erase(queued);
    else
        discarded_.insert(id);  // running now: drop the answer when it comes
}

inline void PoolCore::finish(TaskId id, Outcome outcome) {
    if (discarded_.erase(id) != 0) return;
    done_[id] = std::move(outcome);
}

inline std::string PoolCore::label(const Running& r) const {
    return "task " + std::to_string(r.id) + " (" + table_.name(r.fn) + ")";
}

// [send]
inline void PoolCore::send_next(std::size_t slot) {
    if (queue_.empty()) throw std::logic_error("send_next: no task is queued");
    if (!alive(slot) || busy(slot))
        throw std::logic_error("send_next: worker slot " + std::to_string(slot) +
                               (busy(slot) ? " is busy: a worker holds one task at a time" : " has no process"));
    Queued task = std::move(queue_.front());
    queue_.pop_front();
    for (int attempt = 0;; ++attempt) {
        Worker& w = workers_[slot];
        if (write_frame(w.fd, FrameKind::task, task.fn, task.id, task.args)) {
            const auto now = Clock::now();
            const auto deadline =
                options_.task_timeout.count() > 0 ? now + options_.task_timeout : Clock::time_point::max();
            w.task = Running{task.id, task.fn, now, deadline};
            ++stats_.tasks_sent;
            stats_.bytes_sent += sizeof(FrameHeader) + task.args.size();
            return;
        }
        // The worker died while idle (killed from outside, say): it never saw this task. Replace it
        // and try again; a pool whose fresh workers keep dying is broken.
        worker_died(slot);
        if (!broken_.empty() || attempt == 2) {
            if (broken_.empty()) broken_ = "workers die before they can take a task";
            queue_.push_front(std::move(task));  // still outstanding; shutdown() forgets it
            throw BrokenPool(broken_);
        }
    }
}
// [send]

// [receive]
inline void PoolCore::receive(std::size_t slot) {
    Worker& w = workers_.at(slot);
    if (w.fd < 0) throw std::logic_error("receive: worker slot " + std::to_string(slot) + " has no process");
    Frame f;
    bool got = false;
    try {
        got = read_frame(w.fd, f);
    } catch (const std::runtime_error& e) {  // garbage on the socket: this worker cannot be trusted
        w.fatal = std::string("protocol error: ") + e.what();
        ::kill(w.pid, SIGKILL);
    }
    if (!got) {  // end of stream: the worker has exited or been killed
        worker_died(slot);
        return;
    }
    stats_.bytes_received += sizeof(FrameHeader) + f.payload.size();
    if (f.kind == FrameKind::fatal) {  // the worker is exiting; its end of stream follows
        w.fatal = to_string(f.payload);
        return;
    }
    if (f.kind == FrameKind::task || !w.task || w.task->id != f.task) {
        w.fatal = "protocol error: unexpected frame for task " + std::to_string(f.task);
        ::kill(w.pid, SIGKILL);
        worker_died(slot);
        return;
    }
    const Running r = *w.task;
    w.task.reset();
    WorkerStats& ws = stats_.per_worker[slot];
    ++ws.tasks;
    ws.busy_seconds += std::chrono::duration<double>(Clock::now() - r.sent).count();
    if (f.kind == FrameKind::result)
        finish(r.id, Outcome{true, std::move(f.payload), {}});
    else
        finish(r.id, Outcome{false, {}, label(r) + " raised an exception: " + to_string(f.payload)});
}
// [receive]

// Closes the worker's socket and reaps it; returns how it ended, in words.
inline std::string PoolCore::retire(std::size_t slot) {
    Worker& w = workers_[slot];
    ::close(w.fd);
    w.fd = -1;
    const int status = reap(w.pid, options_.reap_grace);
    std::string why = "worker pid " + std::to_string(w.pid) + " " + describe_exit(status);
    w.pid = -1;
    if (!w.fatal.empty()) why += " (" + w.fatal + ")";
    return why;
}

// [died]
inline void PoolCore::worker_died(std::size_t slot) {
    Worker& w = workers_[slot];
    const std::optional<Running> task = w.task;
    const bool fatal = !w.fatal.empty();
    w.task.reset();
    const std::string why = retire(slot);
    if (task) {  // fail it, never run it again: it may be what killed the worker
        ++stats_.crashes;
        finish(task->id, Outcome{false, {}, label(*task) + " failed: " + why});
    }
    if (fatal) {  // the worker loop itself failed: a replacement would fail the same way
        broken_ = "the pool is broken: " + why;
        return;
    }
    ++stats_.per_worker[slot].restarts;
    start_worker(slot);
}
// [died]

inline void PoolCore::time_out(std::size_t slot) {
    if (!busy(slot)) throw std::logic_error("time_out: worker slot " + std::to_string(slot) + " is not busy");
    Worker& w = workers_[slot];
    const Running task = *w.task;
    w.task.reset();
    ::kill(w.pid, SIGKILL);  // safe: the pid stays ours until we reap it
    const std::string why = retire(slot);
    ++stats_.timeouts;
    const double limit = std::chrono::duration<double>(options_.task_timeout).count();
    char secs[32];
    std::snprintf(secs, sizeof secs, "%g", limit);
    finish(task.id, Outcome{false, {}, label(task) + " timed out after " + secs + " s; " + why});
    ++stats_.per_worker[slot].restarts;
    start_worker(slot);
}

// [shutdown]
inline void PoolCore::shutdown() noexcept {
    if (closed_) return;
    closed_ = true;
    for (Worker& w : workers_) {
        if (w.fd < 0) continue;
        if (w.task) ::kill(w.pid, SIGKILL);  // its answer is no longer wanted
        ::close(w.fd);                       // an idle worker reads end of stream and exits
        w.fd = -1;
    }
    for (Worker& w : workers_) {
        if (w.pid < 0) continue;
        try {
            reap(w.pid, options_.reap_grace);
        } catch (...) {  // e.g. exercise 02.2 not done yet: never leave a zombie behind
            ::kill(w.pid, SIGKILL);
            while (::waitpid(w.pid, nullptr, 0) < 0 && errno == EINTR) {
            }
        }
        w.pid = -1;
        w.task.reset();
    }
    queue_.clear();
    done_.clear();
    outstanding_.clear();
    discarded_.clear();
}
// [shutdown]

WB_IMPL_END
}  // namespace ch02
