// chNN_perf: the learner's version against the reference, timed alternately in one process.
//
// Each round times the learner's call and then the reference's (the order flips every round, so a
// machine that slows down or speeds up during the run hurts both alike). The ratio of the two times is
// taken per round; the verdict uses the median and quartiles of those ratios:
//   pass          the lower quartile reaches the goal,
//   fail          the upper quartile is below it,
//   inconclusive  the goal lies between the quartiles: the machine is noisier than the difference.
#include <chrono>
#include <cstdio>
#include <exception>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "wb/cli.hpp"
#include "wb/exercise.hpp"
#include "wb/perf.hpp"
#include "wb/stats.hpp"

void wb_perf_cases_exercise(wb::perf::Registry& reg);
void wb_perf_cases_solution(wb::perf::Registry& reg);

namespace {

using Clock = std::chrono::steady_clock;

// A row for a case that was not timed: why, in the verdict column.
void print_unmeasured(const wb::perf::Case& c, const std::string& why) {
    std::printf("%-40s %12s %12s %8s %8.2f  %s\n", c.name.c_str(), "-", "-", "-", c.goal, why.c_str());
}

// The exercise id a case's name starts with ("04.3 counter_partial, ..." -> "04.3").
std::string id_of(const std::string& name) { return name.substr(0, name.find(' ')); }

std::set<std::string> split_ids(const std::string& list) {
    std::set<std::string> ids;
    std::stringstream in(list);
    for (std::string id; std::getline(in, id, ',');)
        if (!id.empty()) ids.insert(id);
    return ids;
}

std::string json_escape(const std::string& s) {
    std::string out;
    for (char ch : s) {
        if (ch == '"' || ch == '\\') out += '\\';
        if (static_cast<unsigned char>(ch) < 0x20) continue;
        out += ch;
    }
    return out;
}

struct Row {
    std::string name, verdict;  // verdict: pass, FAIL, inconclusive, not started, skipped, error
    double goal = 0, mine_ms = 0, ref_ms = 0, median = 0, q1 = 0, q3 = 0;
    std::string detail;
};

double seconds_for(const std::function<void()>& work, int reps) {
    const auto t0 = Clock::now();
    for (int i = 0; i < reps; ++i) work();
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
    int rounds = 11;
    double sample_seconds = 0.05;
    wb::Cli cli(argv[0], "Times the learner's exercises against the reference solutions, alternating, in one process.");
    cli.option("--rounds", rounds, "timed rounds per case (odd numbers give a true median)", 3, 1001);
    cli.option("--sample-seconds", sample_seconds, "least duration of one timed sample", 0.001, 10.0);
    std::string skip, only, json_path;
    cli.option("--skip", skip, "comma-separated exercise ids (e.g. 01.1,01.3) whose cases are not run");
    cli.option("--only", only, "comma-separated exercise ids: run only their cases");
    cli.option("--json", json_path, "also write the verdicts to this file as JSON (read by ./wb grade)");
    cli.parse(argc, argv);

    wb::perf::Registry mine, ref;
    wb_perf_cases_exercise(mine);
    wb_perf_cases_solution(ref);
    if (mine.cases().size() != ref.cases().size()) {
        std::fprintf(stderr, "perf.cpp registered different cases for the two sides\n");
        return 2;
    }
    // Case names start with their exercise id ("01.3 process_workers, ..."): the grader skips the
    // exercises whose tests do not pass, so a learner's hanging or crashing code is reported once, there.
    std::set<std::string> known;
    for (const auto& c : ref.cases()) known.insert(id_of(c.name));
    const std::set<std::string> skipped = split_ids(skip), wanted = split_ids(only);
    for (const auto* ids : {&skipped, &wanted})
        for (const auto& id : *ids)
            if (!known.count(id)) {
                std::string list;
                for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
                cli.fail("no speed case for exercise '" + id + "' (this report has: " + list + ")");
            }

    int failures = 0;
    std::vector<Row> rows;
    std::printf("%-40s %12s %12s %8s %8s  %s\n", "case", "yours", "reference", "speed", "goal", "verdict");
    for (std::size_t c = 0; c < ref.cases().size(); ++c) {
        const auto& rc = ref.cases()[c];
        const auto& mc = mine.cases()[c];
        Row row;
        row.name = rc.name;
        row.goal = rc.goal;
        if (!wanted.empty() && !wanted.count(id_of(rc.name))) continue;
        if (skipped.count(id_of(rc.name))) {
            print_unmeasured(rc, "skipped: its tests do not pass yet");
            row.verdict = "skipped";
            rows.push_back(row);
            continue;
        }
        std::function<void()> mine_work, ref_work;
        try {
            ref_work = rc.prepare();
            mine_work = mc.prepare();
            // One untimed call each: first-touch page faults, lazy start-up, and "not started" show here.
            mine_work();
            ref_work();
        } catch (const wb::NotStarted&) {
            print_unmeasured(rc, "not started");
            row.verdict = "not started";
            rows.push_back(row);
            continue;
        } catch (const std::exception& e) {
            print_unmeasured(rc, std::string("error: ") + e.what());
            row.verdict = "error";
            row.detail = e.what();
            rows.push_back(row);
            ++failures;
            continue;
        }
        // Calibrate: enough repetitions that one sample of the reference lasts sample_seconds.
        int reps = 1;
        while (seconds_for(ref_work, reps) < sample_seconds && reps < (1 << 24)) reps *= 2;

        std::vector<double> ratio, t_mine, t_ref;
        for (int r = 0; r < rounds; ++r) {
            double a, b;
            if (r % 2 == 0) {
                a = seconds_for(mine_work, reps);
                b = seconds_for(ref_work, reps);
            } else {
                b = seconds_for(ref_work, reps);
                a = seconds_for(mine_work, reps);
            }
            t_mine.push_back(a / reps);
            t_ref.push_back(b / reps);
            ratio.push_back(b / a);  // > 1: the learner's version is faster
        }
        row.q1 = wb::quantile(ratio, 0.25);
        row.median = wb::median(ratio);
        row.q3 = wb::quantile(ratio, 0.75);
        row.mine_ms = 1e3 * wb::median(t_mine);
        row.ref_ms = 1e3 * wb::median(t_ref);
        row.verdict = row.q1 >= rc.goal ? "pass" : (row.q3 < rc.goal ? "FAIL" : "inconclusive");
        if (row.verdict == "FAIL") ++failures;
        std::printf("%-40s %10.3gms %10.3gms %7.2fx %7.2fx  %s  [quartiles %.2f..%.2f]\n", rc.name.c_str(),
                    row.mine_ms, row.ref_ms, row.median, rc.goal,
                    row.verdict == "inconclusive" ? "inconclusive (noisy machine)" : row.verdict.c_str(), row.q1,
                    row.q3);
        rows.push_back(row);
    }
    std::printf("speed = reference time / your time, per round, median of %d alternating rounds\n", rounds);
    if (!json_path.empty()) {
        std::ofstream out(json_path);
        out << "{\"rounds\": " << rounds << ", \"cases\": [";
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const Row& r = rows[i];
            out << (i ? ",\n  " : "\n  ") << "{\"id\": \"" << json_escape(id_of(r.name)) << "\", \"name\": \""
                << json_escape(r.name) << "\", \"verdict\": \"" << r.verdict << "\", \"goal\": " << r.goal
                << ", \"speed\": " << r.median << ", \"q1\": " << r.q1 << ", \"q3\": " << r.q3
                << ", \"yours_ms\": " << r.mine_ms << ", \"reference_ms\": " << r.ref_ms << ", \"detail\": \""
                << json_escape(r.detail) << "\"}";
        }
        out << "\n]}\n";
        if (!out) {
            std::fprintf(stderr, "could not write %s\n", json_path.c_str());
            return 2;
        }
    }
    return failures == 0 ? 0 : 1;
}
