"""Exercise 10.3: running_sum returns an array that owns the C++ vector it was computed in."""
import gc

import numpy as np

import owning_array as m


def test_equals_numpy_cumsum():
    x = np.random.default_rng(5).random(1000)
    # np.cumsum adds in index order, as std::partial_sum does: equal to the bit.
    np.testing.assert_array_equal(m.running_sum(x), np.cumsum(x))


def test_owns_the_cpp_memory_without_copy_and_frees_it_once():
    gc.collect()
    before = m.live_bytes()
    n = 4096
    r = m.running_sum(np.ones(n))
    # Exactly the result's bytes are held by C++ while it lives: not 0 (a copy was returned and the
    # vector freed), not twice (a copy kept beside it).
    assert m.live_bytes() - before == n * 8
    assert r.base is not None and type(r.base).__name__ == "PyCapsule", "the array's base should own the vector"
    assert not r.flags.owndata
    view = r[::2]          # a view keeps the memory alive after r is gone
    del r
    gc.collect()
    assert m.live_bytes() - before == n * 8
    assert view[-1] == n - 1.0
    del view
    gc.collect()
    assert m.live_bytes() == before, "the vector was not freed when NumPy freed the array"


def test_empty_input():
    r = m.running_sum(np.empty(0))
    assert r.shape == (0,)
