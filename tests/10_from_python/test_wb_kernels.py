"""The module wb_kernels (chapter 10): results against NumPy, wrong arrays refused, threads, exceptions."""
import sys
import threading

import numpy as np
import pytest

import wb_kernels as k
from wbpy import mandelbrot, splitmix

# The elementwise kernel: C++ uses glibc's exp, log, log1p and sin, NumPy its own vector routines; each
# is correct to a few units in the last place, and the kernel's value is at most about 1.2 in size.
KERNEL_TOL = 1e-13


def inputs(n=1000):
    return k.ch05_fill_inputs(n, 42)


def test_sum_matches_numpy():
    x = np.random.default_rng(1).random(100_001)
    # Summing 1e5 numbers in [0, 1) in another order (NumPy's is pairwise) moves the result by at most
    # about n * 2^-53 relative; 1e-10 is far above that and far below any real mistake.
    assert k.sum(x) == pytest.approx(np.sum(x), rel=1e-10)
    for t in (1, 2, 3, 4):
        assert k.sum(x, threads=t) == pytest.approx(np.sum(x), rel=1e-10)


def test_sum_of_integers_is_exact_in_any_thread_count():
    x = (np.arange(1 << 16) % 1024).astype(np.float64)
    for t in (1, 2, 3, 4, 0):
        assert k.sum(x, t) == 64 * 523776.0


def test_evaluate_matches_numpy_and_writes_in_place():
    x, y = inputs()
    out = np.zeros_like(x)
    assert k.ch05_evaluate(x, y, out) is None
    want = np.log1p(np.exp(-0.25 * x) * np.log(y)) + np.sin(x * y)
    np.testing.assert_allclose(out, want, rtol=0, atol=KERNEL_TOL)
    out2 = np.zeros_like(x)
    k.ch05_evaluate(x, y, out2, threads=3)
    np.testing.assert_array_equal(out, out2)  # the same C++ per element, whatever the thread count


@pytest.mark.parametrize("bad", [np.arange(10), np.arange(10, dtype=np.float32), np.array([1 + 2j] * 10)])
def test_wrong_dtype_is_a_type_error_naming_the_argument(bad):
    with pytest.raises(TypeError, match="x: expected an array of dtype float64"):
        k.sum(bad)


def test_strided_and_2d_arrays_are_value_errors():
    x = np.ones(20)
    with pytest.raises(ValueError, match="not contiguous"):
        k.sum(x[::2])
    with pytest.raises(ValueError, match="1-dimensional"):
        k.sum(np.ones((4, 5)))


def test_read_only_output_is_refused():
    x, y = inputs(10)
    out = np.zeros(10)
    out.flags.writeable = False
    with pytest.raises(ValueError, match="out: the array is read-only"):
        k.ch05_evaluate(x, y, out)


def test_cpp_exceptions_arrive_as_python_exceptions():
    x, y = inputs(10)
    with pytest.raises(ValueError, match="differ in length"):  # std::invalid_argument
        k.ch05_evaluate(x, y, np.zeros(9))
    with pytest.raises(IndexError):  # std::out_of_range
        k.first(np.empty(0))
    with pytest.raises(ValueError, match="schedule"):
        k.ch05_mandelbrot(8, 4, 10, 1, "fair", 1)
    with pytest.raises(ValueError):
        k.sum(np.ones(3), threads=-1)


def test_returned_arrays_own_their_memory():
    img = k.ch02_mandelbrot(32, 16, 50)
    assert img.dtype == np.uint32 and img.shape == (32 * 16,)
    assert type(img.base).__name__ == "PyCapsule" and not img.flags.owndata
    view = img.reshape(16, 32)[3]
    del img
    assert view.shape == (32,)  # still readable: the view keeps the capsule alive


def test_mandelbrot_images_equal_numpy_pixel_for_pixel():
    frame = (-2.0, 1.0, 0.0, 1.5, 64, 32, 200)
    want = mandelbrot.image_numpy(frame, np.uint32).ravel()
    for t in (1, 2, 3):
        np.testing.assert_array_equal(k.ch02_mandelbrot(64, 32, 200, t), want)
    want5 = mandelbrot.image_numpy((-2.0, 0.6, 0.0, 1.3, 40, 20, 100), np.int32).ravel()
    for sched in ("static", "dynamic", "guided"):
        np.testing.assert_array_equal(k.ch05_mandelbrot(40, 20, 100, 2, sched, 1), want5)


def test_splitmix_and_pi_counts_equal_the_numpy_versions():
    np.testing.assert_array_equal(k.splitmix_uniform(1000, 7), splitmix.uniform(1000, 7))
    assert k.pi_hits_serial(50_000, 1) == splitmix.hits_numpy(50_000, 1)
    blocks = sum(splitmix.block_hits_numpy((200_000, 1, b)) for b in range(4))
    for t in (1, 2, 3, 4):
        assert k.pi_hits_blocks(200_000, 1, t) == blocks


def test_python_threads_calling_the_module_get_right_results():
    x, y = inputs(20_000)
    want = np.empty_like(x)
    k.ch05_evaluate(x, y, want)
    outs = [np.empty_like(x) for _ in range(4)]
    threads = [threading.Thread(target=k.ch05_evaluate, args=(x, y, o)) for o in outs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    for o in outs:
        np.testing.assert_array_equal(o, want)


def test_the_lock_is_released_during_the_work():
    # A second Python thread is made runnable just before a long C++ call (a few hundred milliseconds)
    # and counts loop iterations until the call returns. With a long switch interval the interpreter
    # never takes the lock from the main thread by force, so the counting thread can run only if the
    # module gives the lock back: holding it, the count is 0. (A count, not a time.)
    old = sys.getswitchinterval()
    sys.setswitchinterval(0.5)
    go, done, counted = threading.Event(), threading.Event(), []

    def python_work():
        go.wait()
        c = 0
        while not done.is_set():
            c += 1
        counted.append(c)

    t = threading.Thread(target=python_work)
    t.start()
    try:
        go.set()
        k.pi_hits_serial(30_000_000, 1)
        done.set()
        t.join(timeout=30)
    finally:
        sys.setswitchinterval(old)
    assert counted[0] > 1000
