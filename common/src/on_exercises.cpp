// Linked into each chapter's program when it is built on the learner's own exercises
// (./wb run NN --mine): an exercise that is not finished yet ends the program with a clear message
// instead of std::terminate's "terminate called after throwing an instance of ...".
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "wb/exercise.hpp"

namespace {

[[noreturn]] void explain_and_exit() {
    if (auto e = std::current_exception()) {
        try {
            std::rethrow_exception(e);
        } catch (const wb::NotStarted& n) {
            std::fprintf(stderr,
                         "\nThis program runs your own exercises (./wb run --mine), and one is not finished:\n  %s\n"
                         "Finish it (./wb grade shows what is left), or run the program on the reference "
                         "solutions: ./wb run without --mine.\n",
                         n.what());
            std::_Exit(3);
        } catch (const std::exception& x) {
            std::fprintf(stderr, "\nYour exercise code threw an exception that nothing caught: %s\n", x.what());
        } catch (...) {
            std::fprintf(stderr, "\nYour exercise code threw an exception that nothing caught.\n");
        }
    }
    std::abort();
}

const bool installed = [] {
    std::set_terminate(explain_and_exit);
    return true;
}();

}  // namespace
