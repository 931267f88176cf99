// The main() of the Catch2 tests of an MPI chapter (wb_chapter(MPI)); tools/mpi_run.py starts the test
// binary under mpirun, so every rank runs this.
//
// Every rank runs the same test cases in the same order, so a test case may call collectives. A check
// that fails on one rank must not leave the others waiting in a collective that rank will never reach:
// the listener below prints the failed check, with the rank, the test case and its INFO messages, and
// ends the whole job with MPI_Abort. An exception that escapes a test case (wb::NotStarted from an
// untouched stub, for one) is a failed check to Catch2 and ends the job the same way. Only rank 0
// prints Catch2's report; the others write theirs to /dev/null.
#include <mpi.h>

#include <cstdio>
#include <string>
#include <vector>

#if __has_include(<catch2/catch_test_macros.hpp>)
#include <catch2/catch_session.hpp>
#include <catch2/catch_test_case_info.hpp>
#include <catch2/reporters/catch_reporter_event_listener.hpp>
#include <catch2/reporters/catch_reporter_registrars.hpp>
using WbListenerBase = Catch::EventListenerBase;
#define WB_ASSERTION_ENDED_RETURNS void
#define WB_ASSERTION_ENDED_RESULT
#else
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
using WbListenerBase = Catch::TestEventListenerBase;
#define WB_ASSERTION_ENDED_RETURNS bool
#define WB_ASSERTION_ENDED_RESULT true
#endif

namespace {

int world_rank() {
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    return rank;
}

class AbortOnFailure : public WbListenerBase {
public:
    using WbListenerBase::WbListenerBase;

    void testCaseStarting(Catch::TestCaseInfo const& info) override { test_case_ = info.name; }

    WB_ASSERTION_ENDED_RETURNS assertionEnded(Catch::AssertionStats const& stats) override {
        const Catch::AssertionResult& r = stats.assertionResult;
        if (!r.isOk()) {
            int size = 1;
            MPI_Comm_size(MPI_COMM_WORLD, &size);
            const int rank = world_rank();
            // The layout of Catch2's own report ("file:line: FAILED:", then the check and its messages),
            // which tools/workbook.py reads to show the learner the first failed check.
            std::string text = "\n==== rank " + std::to_string(rank) + " of " + std::to_string(size) +
                               ", test case \"" + test_case_ + "\":\n";
            const Catch::SourceLineInfo where = r.getSourceInfo();
            text += std::string(where.file) + ":" + std::to_string(where.line) + ": FAILED:\n";
            if (r.hasExpression())
                text += "  " + r.getExpressionInMacro() + "\n  with expansion: " + r.getExpandedExpression() + "\n";
            if (r.hasMessage()) text += "  " + r.getMessage() + "\n";
            for (const auto& info : stats.infoMessages) text += "  with message: " + info.message + "\n";
            text += "==== ending the whole job (MPI_Abort), so that no other rank waits for this one\n";
            std::fputs(text.c_str(), stderr);
            std::fflush(stderr);
            std::fflush(stdout);
            MPI_Abort(MPI_COMM_WORLD, 1);
        }
        return WB_ASSERTION_ENDED_RESULT;
    }

private:
    std::string test_case_;
};

}  // namespace

CATCH_REGISTER_LISTENER(AbortOnFailure)

int main(int argc, char** argv) {
    int provided = 0;
    // Threads may exist (OpenMP inside a rank), but only the main thread calls MPI.
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    std::vector<char*> args(argv, argv + argc);
    static char out_flag[] = "--out", dev_null[] = "/dev/null";
    if (world_rank() != 0) {
        args.push_back(out_flag);
        args.push_back(dev_null);
    }
    Catch::Session session;
    int rc = session.applyCommandLine(static_cast<int>(args.size()), args.data());
    if (rc == 0) rc = session.run();
    // A rank whose Catch2 run failed without a failed check (a bad command line, no test matched) must
    // not let the others finish as if all were well.
    int worst = rc;
    MPI_Allreduce(&rc, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    MPI_Finalize();
    return worst;
}
