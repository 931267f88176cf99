// ch10/arrays.hpp: taking a NumPy array into C++ without a copy, and refusing the wrong ones.
//
// Given code, shared by the module wb_kernels and the exercises of chapter 10. pybind11's
// py::array_t<double> would *convert* a float32 or a strided array into a fresh float64 copy without a
// word (its default `forcecast`); the workbook wants the opposite: no copy ever, and a clear Python
// exception naming the argument when an array is not what the kernel reads.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstddef>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace ch10 {

namespace py = pybind11;

// [view]
/// A view of `a` as a span of T: no copy. Throws TypeError when the dtype is not T's (float64 for
/// double), ValueError when `a` is not one-dimensional or not C-contiguous, and ValueError when
/// `writable` is asked for and `a` is read-only. `name` is the argument's name, for the message.
template <class T>
std::span<T> view_1d(const py::array& a, const char* name, bool writable = false) {
    using Elem = std::remove_const_t<T>;
    if (!a.dtype().is(py::dtype::of<Elem>()))
        throw py::type_error(std::string(name) + ": expected an array of dtype " +
                             std::string(py::str(py::dtype::of<Elem>())) + ", got " +
                             std::string(py::str(a.dtype())) + " (convert it with .astype(), which copies)");
    if (a.ndim() != 1)
        throw py::value_error(std::string(name) + ": expected a 1-dimensional array, got " +
                              std::to_string(a.ndim()) + " dimensions");
    if (!(a.flags() & py::array::c_style))
        throw py::value_error(std::string(name) +
                              ": the array is not contiguous (a strided view such as x[::2]); "
                              "pass np.ascontiguousarray(x), which copies");
    if (writable && !a.writeable()) throw py::value_error(std::string(name) + ": the array is read-only");
    // mutable_data() checks writeability itself; for a read-only view data() is enough.
    auto* p = writable ? static_cast<Elem*>(const_cast<py::array&>(a).mutable_data())
                       : const_cast<Elem*>(static_cast<const Elem*>(a.data()));
    return {p, static_cast<std::size_t>(a.shape(0))};
}
// [view]

// [owning]
/// A new 1-dimensional NumPy array that takes over `v`'s memory: no copy. The vector is moved to the
/// heap and a capsule deletes it when NumPy frees the array (the array's `base` is the capsule).
template <class T>
py::array_t<T> to_numpy(std::vector<T>&& v) {
    auto* owner = new std::vector<T>(std::move(v));
    py::capsule free_when_done(owner, [](void* p) { delete static_cast<std::vector<T>*>(p); });
    return py::array_t<T>({owner->size()}, {sizeof(T)}, owner->data(), free_when_done);
}
// [owning]

}  // namespace ch10
