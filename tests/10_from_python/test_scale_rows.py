"""Exercise 10.1: scale_rows(a, factors) scales the caller's own matrix, and refuses what it cannot."""
import numpy as np
import pytest

from scale_rows import scale_rows


def matrix(rows=5, cols=7, dtype=np.float64):
    return np.arange(rows * cols, dtype=dtype).reshape(rows, cols) + 1


def test_scales_in_place_like_numpy():
    a = matrix()
    f = np.linspace(0.5, 2.5, 5)
    want = a * f[:, None]  # one multiplication per element on both sides: equal to the last bit
    same_object = a
    assert scale_rows(a, f) is None
    assert a is same_object
    np.testing.assert_array_equal(a, want)


def test_writes_through_a_view_into_a_bigger_array():
    big = matrix(6, 7)
    view = big[1:4]  # rows 1..3: C-contiguous, shares big's memory
    scale_rows(view, np.array([2.0, 3.0, 4.0]))
    np.testing.assert_array_equal(big[1:4], matrix(6, 7)[1:4] * np.array([2.0, 3.0, 4.0])[:, None])
    np.testing.assert_array_equal(big[[0, 4, 5]], matrix(6, 7)[[0, 4, 5]])


@pytest.mark.parametrize("dtype", [np.float32, np.int64])
def test_wrong_dtype_is_a_type_error_and_nothing_changes(dtype):
    a = matrix(dtype=dtype)
    before = a.copy()
    with pytest.raises(TypeError):
        scale_rows(a, np.ones(5))
    np.testing.assert_array_equal(a, before)


@pytest.mark.parametrize("make", [
    lambda: matrix(5, 14)[:, ::2],                 # strided columns
    lambda: np.asfortranarray(matrix(5, 7)),       # column-major
    lambda: matrix(5, 7).ravel(),                  # one dimension
    lambda: matrix(5, 7).reshape(5, 7, 1),         # three dimensions
])
def test_layouts_it_cannot_write_are_value_errors(make):
    a = make()
    before = a.copy()
    with pytest.raises(ValueError):
        scale_rows(a, np.full(5, 3.0))
    np.testing.assert_array_equal(a, before)


def test_read_only_is_a_value_error():
    a = matrix()
    a.flags.writeable = False
    with pytest.raises(ValueError):
        scale_rows(a, np.ones(5))


def test_factor_count_must_match_rows():
    with pytest.raises(ValueError):
        scale_rows(matrix(), np.ones(4))
