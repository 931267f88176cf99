"""Chapter 04's kernels in Python: Monte Carlo pi (pi/...) and the sum of 2^23 doubles (sum/...).

Sizes and inputs are those of chapters/04_race_conditions/bench.cpp: pi from 2^21 samples of
SplitMix64 seeded 1 (pi/serial: one stream; pi/per_block_streams: a stream per block of 65536
samples), the sum over SplitMix64{7}.uniform() numbers. Both draw the very C++ numbers (splitmix.py),
so the hit counts must equal the C++ ones exactly; a sum may differ in its last bits because the
additions happen in another order (bound below).
"""
from __future__ import annotations

import multiprocessing as mp

import numpy as np

from . import splitmix
from .bench import Bench, Check

SEED_PI, SEED_SUM = 1, 7
# Summing 2^23 numbers in [0, 1) in another order: each order's rounding error is at most about
# n * 2^-53 * sum (the worst case of recursive summation), so two orders differ by at most twice that,
# relative 2 * 2^23 * 2^-53 ~ 2e-9; in practice the errors are random and far smaller.
SUM_REL = 2e-9


def benchmarks(b: Bench) -> None:
    k, T = b.module, b.threads
    samples = (1 << 14) if b.quick else (1 << 21)
    n = (1 << 16) if b.quick else (1 << 23)

    # ---- pi ----
    serial_hits = k.pi_hits_serial(samples, SEED_PI) if k else None
    block_hits = k.pi_hits_blocks(samples, SEED_PI, 0) if k else None
    same_serial = lambda h: Check.equal(h, serial_hits, "hit counts")  # noqa: E731
    same_blocks = lambda h: Check.equal(h, block_hits, "hit counts")  # noqa: E731
    b.run("pi/py_numpy", lambda: splitmix.hits_numpy(samples, SEED_PI), check=same_serial, items=samples,
          note="NumPy whole-array SplitMix64, one stream")
    if b.numba:
        hits_serial, hits_blocks = splitmix.numba_kernels(b.numba)
        b.numba.set_num_threads(T)
    b.run("pi/py_numba", lambda: hits_serial(samples, SEED_PI), check=same_serial, items=samples,
          note="@njit, one stream", needs_numba=True)
    b.run(f"pi/py_numba_prange/threads:{T}", lambda: hits_blocks(samples, SEED_PI), check=same_blocks,
          items=samples, note="@njit(parallel=True), prange over the blocks", needs_numba=True)
    blocks = [(samples, SEED_PI, i) for i in range((samples + splitmix.BLOCK - 1) // splitmix.BLOCK)]
    with mp.get_context("forkserver").Pool(T) as pool:
        pool.map(splitmix.block_hits_numpy, blocks[:T])  # start the workers outside the timing
        b.run(f"pi/py_pool/threads:{T}", lambda: sum(pool.map(splitmix.block_hits_numpy, blocks)),
              check=same_blocks, items=samples, note=f"multiprocessing.Pool({T}), NumPy per block")
    if k:
        b.run("pi/py_wb_kernels", lambda: k.pi_hits_serial(samples, SEED_PI), check=same_serial, items=samples,
              note="wb_kernels' serial count (the same stream, its own loop: no twin), called from Python")

    # ---- sum ----
    x = splitmix.uniform(n, SEED_SUM)
    if k is not None and not np.array_equal(x, k.splitmix_uniform(n, SEED_SUM)):
        raise SystemExit("ch04: the NumPy SplitMix64 numbers differ from the C++ ones")
    want = k.sum(x, 1) if k else None
    close = lambda s: Check.close(s, want, SUM_REL, "another order of additions")  # noqa: E731
    nbytes = x.nbytes
    b.run("sum/py_numpy", lambda: float(np.sum(x)), check=close, bytes_=nbytes, note="np.sum (pairwise)")
    if b.numba:
        nb = b.numba

        @nb.njit
        def sum_loop(a):
            s = 0.0
            for v in a:
                s += v
            return s

        @nb.njit(parallel=True)
        def sum_prange(a):
            s = 0.0
            for i in nb.prange(a.size):
                s += a[i]
            return s
    b.run("sum/py_numba", lambda: sum_loop(x), check=close, bytes_=nbytes, note="@njit loop", needs_numba=True)
    b.run(f"sum/py_numba_prange/threads:{T}", lambda: sum_prange(x), check=close, bytes_=nbytes,
          note="@njit(parallel=True), prange reduction", needs_numba=True)
    if k:
        b.run("sum/py_wb_kernels", lambda: k.sum(x, 1), check=close, bytes_=nbytes,
              note="the C++ serial loop, called from Python", twin="sum/serial")
        b.run(f"sum/py_wb_kernels/threads:{T}", lambda: k.sum(x, T), check=close, bytes_=nbytes,
              note="the C++ OpenMP reduction, called from Python",
              twin=f"sum/omp_reduction/threads:{T}")
