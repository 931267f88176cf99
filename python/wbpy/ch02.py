"""Chapter 02's kernel in Python: the Mandelbrot image (family mandelbrot), serial and on process pools.

Size and view are those of chapters/02_process_pools/bench.cpp (ch02::View: 1024 x 512 pixels of the
upper half of the set, x in [-2, 1], y in [0, 1.5], 1000 iterations). The pools get blocks of `chunk`
rows per task, as the C++ pool_dynamic/chunk:N does; each task computes its block with NumPy (a row
at a time in NumPy would pay NumPy's per-call cost a thousand times per row).
"""
from __future__ import annotations

import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np

from . import mandelbrot as M
from .bench import Bench, Check

VIEW = (-2.0, 1.0, 0.0, 1.5)  # ch02::View


def benchmarks(b: Bench) -> None:
    k, T, nb = b.module, b.threads, b.numba
    width, height, max_iter = (128, 64, 200) if b.quick else (1024, 512, 1000)
    frame = VIEW + (width, height, max_iter)
    want = k.ch02_mandelbrot(width, height, max_iter, 0).reshape(height, width) if k else None
    same = lambda img: Check.equal(np.asarray(img).reshape(height, width), want, "pixels", M.ALLOW, M.WHY)  # noqa: E731
    px = width * height
    b.run("mandelbrot/py_numpy", lambda: M.image_numpy(frame, np.uint32), check=same, items=px,
          note="NumPy whole-array, escaped points dropped each step")
    ctx = mp.get_context("forkserver")
    for chunk in (4, 32):
        tasks = [(frame, np.uint32, r0, r1) for r0, r1 in M.blocks(height, chunk)]
        with ctx.Pool(T) as pool:
            pool.map(abs, range(T))  # the workers start outside the timing
            b.run(f"mandelbrot/py_pool/chunk:{chunk}", lambda: np.concatenate(pool.map(M.block_task, tasks, chunksize=1)),
                  check=same, items=px, note=f"multiprocessing.Pool({T}).map, NumPy per block of {chunk} rows")
    with ProcessPoolExecutor(T, mp_context=ctx) as ex:
        list(ex.map(abs, range(T)))
        tasks = [(frame, np.uint32, r0, r1) for r0, r1 in M.blocks(height, 4)]
        b.run("mandelbrot/py_futures/chunk:4", lambda: np.concatenate(list(ex.map(M.block_task, tasks, chunksize=1))),
              check=same, items=px, note=f"concurrent.futures.ProcessPoolExecutor({T}).map, NumPy per block of 4 rows")
    cx, cy = M.axes(*frame[:6])
    out = np.empty((height, width), dtype=np.uint32)
    if nb:
        nb.set_num_threads(T)
        serial, rows_prange, rows_nogil, _ = M.numba_kernels(nb)
    b.run("mandelbrot/py_numba", lambda: serial(cx, cy, max_iter, out) or out, check=same, items=px,
          note="@njit", needs_numba=True)
    b.run("mandelbrot/py_numba_prange", lambda: rows_prange(cx, cy, max_iter, out) or out, check=same, items=px,
          note=f"@njit(parallel=True), prange over rows, {T} threads", needs_numba=True)
    with ThreadPoolExecutor(T) as ex:
        b.run("mandelbrot/py_numba_nogil_dynamic/chunk:4",
              lambda: M.threads_dynamic(rows_nogil, ex, cx, cy, max_iter, out, 4), check=same, items=px,
              note=f"@njit(nogil=True) on {T} Python threads, 4 rows per task", needs_numba=True)
    if k:
        b.run("mandelbrot/py_wb_kernels", lambda: k.ch02_mandelbrot(width, height, max_iter, 1), check=same, items=px,
              note="the C++ rows (ch02::mandelbrot_row), serial, called from Python",
              twin="mandelbrot/serial")
