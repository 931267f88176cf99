// EXERCISE 10.3 Goal: return a new NumPy array that owns memory C++ allocated, without copying it.
// running_sum(x) computes the prefix sums of x in a C++ vector; the array handed back must use that very
// memory, and must free it when (and only when) NumPy frees the array, after the last view of it is gone.
//
// What the grade checks: tests/10_from_python/test_owning_array.py (pytest): the result equals
// np.cumsum(x) exactly; while the result lives, exactly its bytes are held by C++ (ch10::live_bytes: so
// no copy was made and the vector was not freed early); once the array and its views are gone, none are
// (no leak); its base is the owner object, not a copy.
// Read first: chapters/10_from_python/README.md, section "Who owns a returned array".
// Stuck? `./wb hint 10.3` shows a hint, one stage per call.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <memory>
#include <numeric>
#include <span>

#include "ch10/arrays.hpp"
#include "ch10/observe.hpp"
#include "wb/exercise.hpp"

namespace py = pybind11;

namespace {

py::array_t<double> running_sum(const py::array& x) {
    const std::span<const double> v = ch10::view_1d<const double>(x, "x");
    ch10::CountedVector sums(v.size());
    std::partial_sum(v.begin(), v.end(), sums.begin());
    // Hand the vector to NumPy: it moves to the heap, and a capsule that deletes it becomes the array's base.
    auto owner = std::make_unique<ch10::CountedVector>(std::move(sums));
    py::capsule free_it(owner.get(), [](void* p) { delete static_cast<ch10::CountedVector*>(p); });
    ch10::CountedVector* kept = owner.release();  // the capsule owns it from here on
    return py::array_t<double>(static_cast<py::ssize_t>(kept->size()), kept->data(), free_it);
}

}  // namespace

PYBIND11_MODULE(owning_array, m) {
    m.def("running_sum", &running_sum, py::arg("x"), "Prefix sums of a float64 array, in a new array.");
    m.def("live_bytes", [] { return ch10::live_bytes().load(); }, "Bytes C++ holds in CountedVector now.");
}
