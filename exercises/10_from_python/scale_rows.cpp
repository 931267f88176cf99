// EXERCISE 10.1 Goal: bind a C++ kernel to NumPy without copying: scale_rows(a, factors) multiplies row i
// of the matrix `a` by factors[i], in place, in the caller's own array. A binding that silently converts
// (a float32 matrix, a strided view) would scale a temporary copy, and the caller's data would not change.
//
// What the grade checks: tests/10_from_python/test_scale_rows.py (pytest): the rows are scaled in the
// caller's array (compared with NumPy, exactly); a float32 or integer matrix raises TypeError; a matrix
// that is not 2-dimensional, not C-contiguous (a[:, ::2], a Fortran-ordered array), read-only, or whose
// row count differs from len(factors), raises ValueError; nothing is copied.
// Read first: chapters/10_from_python/README.md, section "No copy: the buffer protocol".
// Stuck? `./wb hint 10.1` shows a hint, one stage per call.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstddef>
#include <span>
#include <string>

#include "ch10/arrays.hpp"
#include "wb/exercise.hpp"

namespace py = pybind11;

namespace {

void scale_rows(const py::array& a, const py::array& factors) {
    const std::span<const double> f = ch10::view_1d<const double>(factors, "factors");
    // EXERCISE: refuse every matrix this loop cannot write in place: a Python TypeError for the
    // wrong element type, a Python ValueError for the wrong number of dimensions, a strided layout or a
    // read-only array, each naming the argument.
    WB_TODO("10.1");
    const auto rows = static_cast<std::size_t>(a.shape(0)), cols = static_cast<std::size_t>(a.shape(1));
    if (rows != f.size()) throw py::value_error("factors: one per row of a");
    // EXERCISE: p must point at the first element of the caller's own matrix (no copy).
    double* p = nullptr;
    for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t j = 0; j < cols; ++j) p[i * cols + j] *= f[i];
}

}  // namespace

PYBIND11_MODULE(scale_rows, m) {
    m.def("scale_rows", &scale_rows, py::arg("a"), py::arg("factors"),
          "Multiplies row i of the float64 C-contiguous matrix a by factors[i], in place.");
}
