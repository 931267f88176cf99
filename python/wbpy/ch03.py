"""Chapter 03's kernel in Python: summing 2^26 doubles (512 MiB) that live in shared memory (family sum).

Size and values are those of chapters/03_shared_memory/bench.cpp: a[i] = i % 1024. Every partial sum
of these integers is exact in double precision (below 2^53), so every variant, in any order, must give
exactly (n / 1024) * (0 + 1 + ... + 1023): the check needs no tolerance and no C++ call.
The array is one multiprocessing.shared_memory segment: the pool's processes attach to it by name
and sum their own slice in place (no pickling of data), as sum/shm does in C++.
"""
from __future__ import annotations

import multiprocessing as mp
from multiprocessing import shared_memory

import numpy as np

from .bench import Bench, Check

_segment = None  # the worker's attachment


def _attach(name: str) -> None:
    """Pool initializer: attach to the parent's segment. (Python 3.11 registers an attached segment with
    the resource tracker as if this process had made it; a forkserver's workers share the parent's
    tracker, so that second registration of the same name is harmless, and the parent unlinks it.)"""
    global _segment
    _segment = shared_memory.SharedMemory(name=name)


def _slice_sum(args) -> float:
    n, lo, hi = args
    return float(np.ndarray((n,), dtype=np.float64, buffer=_segment.buf)[lo:hi].sum())


def benchmarks(b: Bench) -> None:
    k, T, nb = b.module, b.threads, b.numba
    n = (1 << 20) if b.quick else (1 << 26)
    exact = float((n // 1024) * (1023 * 1024 // 2))
    exact_check = lambda s: Check.equal(s, exact, "sums")  # noqa: E731
    seg = shared_memory.SharedMemory(create=True, size=n * 8)
    try:
        a = np.ndarray((n,), dtype=np.float64, buffer=seg.buf)
        a[:] = np.arange(n) % 1024
        nbytes = n * 8
        opts = dict(check=exact_check, bytes_=nbytes, check_needs_module=False)
        b.run("sum/py_numpy", lambda: float(a.sum()), note="np.sum on the shared array", **opts)
        ctx = mp.get_context("forkserver")
        for procs in (1, 2, 4):
            cuts = np.linspace(0, n, procs + 1).astype(int)
            tasks = [(n, int(cuts[i]), int(cuts[i + 1])) for i in range(procs)]
            with ctx.Pool(procs, initializer=_attach, initargs=(seg.name,)) as pool:
                pool.map(_slice_sum, tasks)  # attach and touch outside the timing, as the C++ bench does
                b.run(f"sum/py_shm_pool/procs:{procs}", lambda: sum(pool.map(_slice_sum, tasks, chunksize=1)),
                      note=f"multiprocessing.Pool({procs}), each sums its slice of the shared_memory segment",
                      **opts)
        if nb:
            nb.set_num_threads(T)

            @nb.njit(parallel=True)
            def sum_prange(x):
                s = 0.0
                for i in nb.prange(x.size):
                    s += x[i]
                return s
        b.run(f"sum/py_numba_prange/threads:{T}", lambda: sum_prange(a), note="@njit(parallel=True), prange",
              needs_numba=True, **opts)
        if k:
            b.run("sum/py_wb_kernels", lambda: k.sum(a, 1), note="chapter 04's one-accumulator C++ loop, called from Python (not 03's sum_kernel: no twin)",
                  **opts)
        del a
    finally:
        seg.close()
        seg.unlink()
