// ch04_race_*: runs one of the chapter's racy variants once, so that ThreadSanitizer can report it.
// Normal builds run these as smoke tests; in the tsan build each test passes only if TSan reports a
// data race. Run one by hand: ./ch04_race_counter --race counter
#include <cstdio>
#include <string>
#include <vector>

#include "ch04/pi_streams.hpp"
#include "variants.hpp"
#include "wb/cli.hpp"

int main(int argc, char** argv) {
    std::string race = "counter";
    wb::Cli cli("ch04_race_demo", "Runs one racy variant of chapter 04, for ThreadSanitizer to report.");
    cli.option("--race", race, "which race to run", {"counter", "flag", "pi", "omp_sum"});
    cli.parse(argc, argv);

    namespace v = ch04::variants;
    if (race == "counter") {
        // Long enough for the two threads to overlap for sure, except under TSan, which reports the
        // race at the first overlap and runs every access many times slower.
        const long long per_thread = v::under_tsan ? 20000 : 1000000;
        const long long got = v::count_racy(2, per_thread, 30);
        std::printf("racy counter: %lld of %lld increments survived\n", got, 2 * per_thread);
    } else if (race == "flag") {
        const std::vector<double> sums = v::publish_and_read_relaxed(10000, 2);
        std::printf("relaxed flag: the readers summed %.0f and %.0f\n", sums[0], sums[1]);
    } else if (race == "pi") {
        const std::uint64_t samples = 1 << 20;
        std::printf("shared generator: pi ~ %.5f\n", ch04::pi_estimate(v::pi_hits_shared_racy(samples, 1, 2), samples));
    } else {
        const std::vector<double> x(10000, 1.0);  // short: TSan drops reports of very long racy loops
        std::printf("racy OpenMP sum of %zu ones: %.0f\n", x.size(), v::omp_sum_racy(x, 2));
    }
    return 0;
}
