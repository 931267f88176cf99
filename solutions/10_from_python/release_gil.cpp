// EXERCISE 10.2 Goal: let two Python threads run this C++ sum at the same time. While a thread holds the
// interpreter lock (the GIL), no other Python thread runs at all: a C++ function that keeps it for its
// whole work makes a thread pool of Python callers as slow as one thread. Give the lock back for the part
// of the function that touches no Python object, as Numba's nogil=True does.
//
// What the grade checks: tests/10_from_python/test_release_gil.py (pytest): the sum equals NumPy's (exactly:
// same order of additions); two Python threads calling sum_released are seen inside the work at the same
// time (ch10::Overlap, no timing involved); a wrong dtype still raises TypeError.
// Read first: chapters/10_from_python/README.md, section "The interpreter lock".
// Stuck? `./wb hint 10.2` shows a hint, one stage per call.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <span>

#include "ch10/arrays.hpp"
#include "ch10/observe.hpp"
#include "wb/exercise.hpp"

namespace py = pybind11;

namespace {

double sum_released(const py::array& x) {
    // Reading the array's dtype, shape and flags calls into Python: it needs the lock.
    const std::span<const double> v = ch10::view_1d<const double>(x, "x");
    // From here on only C++ data is touched.
    py::gil_scoped_release release;
    const ch10::Overlap::Scope inside;  // counts the threads in here at once
    double total = 0.0;
    for (double e : v) total += e;
    return total;  // the lock is taken back when `release` ends, before pybind11 builds the Python float
}

}  // namespace

PYBIND11_MODULE(release_gil, m) {
    m.def("sum_released", &sum_released, py::arg("x"), "Sum of a float64 array, in index order.");
    m.def("overlap_reset", [](int linger_ms) { ch10::Overlap::reset(linger_ms); }, py::arg("linger_ms"),
          "Forget the threads seen so far; each call then waits up to linger_ms for a second thread.");
    m.def("overlap_most", [] { return ch10::Overlap::most.load(); },
          "The most threads seen inside sum_released's work at once since overlap_reset.");
}
