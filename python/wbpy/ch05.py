"""Chapter 05's kernels in Python: the elementwise kernel of the chunked loops (chunked/...) and the
Mandelbrot frame under different schedules (mandelbrot/...).

Sizes and inputs are those of chapters/05_parallel_loops/bench.cpp: n = 256, 4096 and 262144 elements
of ch05::fill_inputs(seed 42) (std::mt19937_64: the inputs come from the C++ code itself, through
wb_kernels), and the lopsided frame 320 x 160 with 500 iterations.
"""
from __future__ import annotations

import math
import multiprocessing as mp
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from . import mandelbrot as M
from .bench import Bench, Check

# Each side evaluates exp, log, log1p and sin with its own library (glibc's libm for C++ and Numba,
# NumPy's own vector routines for NumPy), each correct to a few units in the last place; the kernel
# adds two such terms of size up to about 1.2, so the results agree to a few times 2^-52 * 1.2.
# 1e-13 leaves a wide margin over that, and is far below any real error (a wrong operation is O(1)).
KERNEL_REL = 1e-13
FRAME = (-2.0, 0.6, 0.0, 1.3)  # ch05::lopsided_frame


def kernel_numpy(x, y):
    return np.log1p(np.exp(-0.25 * x) * np.log(y)) + np.sin(x * y)


def kernel_task(args):
    """A process-pool task: the kernel on one chunk (the chunk's arrays travel pickled, both ways)."""
    x, y = args
    return kernel_numpy(x, y)


def benchmarks(b: Bench) -> None:
    k, T, nb = b.module, b.threads, b.numba
    if nb:
        nb.set_num_threads(T)
        @nb.vectorize(["float64(float64, float64)"])
        def kernel_vec(x, y):
            return math.log1p(math.exp(-0.25 * x) * math.log(y)) + math.sin(x * y)

        @nb.vectorize(["float64(float64, float64)"], target="parallel")
        def kernel_vec_par(x, y):
            return math.log1p(math.exp(-0.25 * x) * math.log(y)) + math.sin(x * y)

        @nb.njit(parallel=True)
        def kernel_prange(x, y, out):
            for i in nb.prange(x.size):
                out[i] = np.log1p(np.exp(-0.25 * x[i]) * np.log(y[i])) + np.sin(x[i] * y[i])
            return out

        @nb.njit(nogil=True)
        def kernel_nogil(x, y, out, lo, hi):
            for i in range(lo, hi):
                out[i] = np.log1p(np.exp(-0.25 * x[i]) * np.log(y[i])) + np.sin(x[i] * y[i])

    # ---- chunked ----
    executor = ThreadPoolExecutor(T)
    pool = mp.get_context("forkserver").Pool(T)
    pool.map(abs, range(T))  # the workers start outside the timing
    for n in ((256, 4096) if b.quick else (256, 4096, 1 << 18)):
        name = f"chunked/{{}}/n:{n}"
        if k is None:
            b.skip(name.format("py_*"), "the inputs are the C++ benchmark's (std::mt19937_64), made by wb_kernels, "
                   f"which is not built ({b.module_why})")
            continue
        x, y = k.ch05_fill_inputs(n, 42)
        want = np.empty(n)
        k.ch05_evaluate(x, y, want, 1)
        close = lambda got: Check.close(got, want, KERNEL_REL, "four libm functions per element")  # noqa: E731
        out = np.empty(n)
        items, nbytes = n, 24 * n
        cuts = np.linspace(0, n, T + 1).astype(int)
        b.run(name.format("py_numpy"), lambda: kernel_numpy(x, y), check=close, items=items, bytes_=nbytes,
              note="NumPy whole-array")
        b.run(name.format("py_vectorize"), lambda: kernel_vec(x, y), check=close, items=items, bytes_=nbytes,
              note="@vectorize", needs_numba=True)
        b.run(name.format("py_vectorize_parallel") + f"/threads:{T}", lambda: kernel_vec_par(x, y), check=close,
              items=items, bytes_=nbytes, note='@vectorize(target="parallel")', needs_numba=True)
        b.run(name.format("py_numba_prange") + f"/threads:{T}", lambda: kernel_prange(x, y, out), check=close,
              items=items, bytes_=nbytes, note="@njit(parallel=True), prange", needs_numba=True)

        def nogil_threads():
            list(executor.map(lambda t: kernel_nogil(x, y, out, cuts[t], cuts[t + 1]), range(T)))
            return out
        b.run(name.format("py_numba_nogil") + f"/threads:{T}", nogil_threads, check=close, items=items,
              bytes_=nbytes, note=f"@njit(nogil=True) on {T} Python threads, one chunk each", needs_numba=True)
        chunks = [(x[cuts[t]:cuts[t + 1]], y[cuts[t]:cuts[t + 1]]) for t in range(T)]
        b.run(name.format("py_pool") + f"/threads:{T}", lambda: np.concatenate(pool.map(kernel_task, chunks)),
              check=close, items=items, bytes_=nbytes, note=f"multiprocessing.Pool({T}), NumPy per chunk")
        b.run(name.format("py_wb_kernels"), lambda: k.ch05_evaluate(x, y, out, 1) or out, check=close,
              items=items, bytes_=nbytes, note="the C++ serial loop, called from Python",
              twin=f"chunked/serial/n:{n}")
        b.run(name.format("py_wb_kernels") + f"/threads:{T}", lambda: k.ch05_evaluate(x, y, out, T) or out,
              check=close, items=items, bytes_=nbytes, note="the C++ OpenMP loop, called from Python",
              twin=f"chunked/omp/n:{n}/threads:{T}")
    pool.close()
    pool.join()

    # ---- mandelbrot ----
    width, height, max_iter = (64, 32, 100) if b.quick else (320, 160, 500)
    frame = FRAME + (width, height, max_iter)
    want = k.ch05_mandelbrot(width, height, max_iter, 0, "dynamic", 1).reshape(height, width) if k else None
    same = lambda img: Check.equal(img, want, "pixels", M.ALLOW, M.WHY)  # noqa: E731
    px = width * height
    b.run("mandelbrot/py_numpy", lambda: M.image_numpy(frame, np.int32), check=same, items=px,
          note="NumPy whole-array, escaped points dropped each step")
    cx, cy = M.axes(*FRAME, width, height)
    out = np.empty((height, width), dtype=np.int32)
    if nb:
        serial, rows_prange, rows_nogil, row_gu = M.numba_kernels(nb)
    b.run("mandelbrot/py_numba", lambda: serial(cx, cy, max_iter, out) or out, check=same, items=px,
          note="@njit", needs_numba=True)
    b.run("mandelbrot/py_numba_prange", lambda: rows_prange(cx, cy, max_iter, out) or out, check=same, items=px,
          note=f"@njit(parallel=True), prange over rows, {T} threads", needs_numba=True)
    b.run("mandelbrot/py_guvectorize", lambda: row_gu(cx, cy, max_iter, out), check=same, items=px,
          note=f'@guvectorize(target="parallel") per row, {T} threads', needs_numba=True)
    b.run("mandelbrot/py_numba_nogil_dynamic/chunk:1",
          lambda: M.threads_dynamic(rows_nogil, executor, cx, cy, max_iter, out, 1), check=same, items=px,
          note=f"@njit(nogil=True) rows on {T} Python threads, one row per task", needs_numba=True)
    if k:
        b.run("mandelbrot/py_wb_kernels/chunk:1", lambda: k.ch05_mandelbrot(width, height, max_iter, T, "dynamic", 1),
              check=lambda img: same(img.reshape(height, width)), items=px,
              note="the C++ loop (OpenMP dynamic, 1), called from Python",
              twin="mandelbrot/dynamic/chunk:1")
    executor.shutdown()
