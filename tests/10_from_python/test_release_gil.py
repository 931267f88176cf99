"""Exercise 10.2: sum_released gives the interpreter lock back, so two Python threads run it at once."""
import threading

import numpy as np
import pytest

import release_gil as m


def test_sum_equals_numpy_in_index_order():
    x = np.random.default_rng(3).random(10_001)
    m.overlap_reset(0)
    want = 0.0
    for v in x:
        want += v
    assert m.sum_released(x) == want


def test_two_python_threads_inside_at_once():
    x = np.ones(100_000)
    # Each call waits up to 3 s inside the work for a second thread. Holding the lock, the first caller
    # keeps the second one out for all that time, and each is seen alone.
    m.overlap_reset(3000)
    results = []
    threads = [threading.Thread(target=lambda: results.append(m.sum_released(x))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert results == [100_000.0, 100_000.0]
    assert m.overlap_most() == 2, "only one thread at a time was inside the C++ work: is the lock still held?"


def test_wrong_dtype_still_raises():
    m.overlap_reset(0)
    with pytest.raises(TypeError):
        m.sum_released(np.ones(4, dtype=np.float32))
