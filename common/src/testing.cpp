// Implementation of wb/testing.hpp, reading /proc and /dev/shm.
#include "wb/testing.hpp"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>
#include <time.h>

namespace wb::testing {
namespace {

std::vector<std::string> list_dir(const char* path) {
    std::vector<std::string> names;
    if (DIR* d = opendir(path)) {
        while (dirent* e = readdir(d)) {
            std::string n = e->d_name;
            if (n != "." && n != "..") names.push_back(n);
        }
        closedir(d);
    }
    return names;
}

// Reads the state letter and parent pid from /proc/<pid>/stat ("pid (comm) S ppid ...").
bool read_stat(const std::string& pid, char& state, pid_t& ppid) {
    std::ifstream in("/proc/" + pid + "/stat");
    std::string line;
    if (!std::getline(in, line)) return false;
    auto close = line.rfind(')');
    if (close == std::string::npos) return false;
    std::istringstream rest(line.substr(close + 1));
    long parent = 0;
    if (!(rest >> state >> parent)) return false;
    ppid = static_cast<pid_t>(parent);
    return true;
}

template <class Pred>
std::vector<pid_t> children_where(Pred keep) {
    std::vector<pid_t> out;
    const pid_t self = getpid();
    for (const auto& name : list_dir("/proc")) {
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        char state = '?';
        pid_t ppid = 0;
        if (read_stat(name, state, ppid) && ppid == self && keep(state))
            out.push_back(static_cast<pid_t>(std::atol(name.c_str())));
    }
    return out;
}

}  // namespace

std::vector<pid_t> child_processes() {
    return children_where([](char) { return true; });
}

std::vector<pid_t> zombie_children() {
    return children_where([](char s) { return s == 'Z'; });
}

int open_descriptors() {
    // The directory stream itself holds one descriptor while we count.
    return static_cast<int>(list_dir("/proc/self/fd").size()) - 1;
}

std::vector<std::string> shm_entries(const std::string& prefix) {
    std::vector<std::string> out;
    for (const auto& n : list_dir("/dev/shm"))
        if (n.rfind(prefix, 0) == 0) out.push_back(n);
    return out;
}

std::vector<int> thread_counts() {
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    std::vector<int> counts;
    for (int t = 1; t <= cores + 2; ++t) counts.push_back(t);
    return counts;
}

namespace {
double clock_seconds(clockid_t id) {
    timespec ts{};
    clock_gettime(id, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}
}  // namespace

WorkSpread measure_spread(const std::function<void()>& work) {
    const double w0 = clock_seconds(CLOCK_MONOTONIC);
    const double p0 = clock_seconds(CLOCK_PROCESS_CPUTIME_ID);
    const double c0 = clock_seconds(CLOCK_THREAD_CPUTIME_ID);
    work();
    WorkSpread s;
    s.caller_seconds = clock_seconds(CLOCK_THREAD_CPUTIME_ID) - c0;
    s.cpu_seconds = clock_seconds(CLOCK_PROCESS_CPUTIME_ID) - p0;
    s.wall_seconds = clock_seconds(CLOCK_MONOTONIC) - w0;
    return s;
}

}  // namespace wb::testing
