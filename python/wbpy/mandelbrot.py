"""The Mandelbrot escape time of chapters 02 and 05 in NumPy and Numba: iterations of z <- z^2 + c from
z = 0 until |z|^2 > 4 or max_iter, on pixel centres (x_min + (col + 0.5) * dx, y_min + (row + 0.5) * dy).
Every operation is the C++ one in the same order (2.0 * zx * zy + cy, x2 - y2 + cx). NumPy and Numba
round each operation; g++ may fuse a multiplication and an addition into one FMA instruction (its
default -ffp-contract=fast, also under -std=c++20), rounding once. On most pixels that changes nothing;
near the set's boundary the iteration amplifies a last-bit difference into another escape time. So
the images must be equal except on at most ALLOW of the pixels (measured: 2 of 51200 for chapter 05's
frame, 19 of 524288 for chapter 02's view).
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np


ALLOW = 1e-4
WHY = "fused multiply-adds in the C++ build change the last bit of some iterates near the boundary"


def axes(x_min, x_max, y_min, y_max, width, height):
    dx, dy = (x_max - x_min) / width, (y_max - y_min) / height
    return x_min + (np.arange(width) + 0.5) * dx, y_min + (np.arange(height) + 0.5) * dy


def escape_numpy(cr: np.ndarray, ci: np.ndarray, max_iter: int, dtype) -> np.ndarray:
    """NumPy whole-array escape times of the points (cr, ci) (same shape). Each step works on the points
    still iterating only: the escaped ones are dropped (compacted) as they leave."""
    shape = cr.shape
    cr, ci = cr.ravel().copy(), ci.ravel().copy()
    out = np.full(cr.size, max_iter, dtype=dtype)
    idx = np.arange(cr.size)
    zr, zi = np.zeros_like(cr), np.zeros_like(ci)
    for it in range(max_iter):
        zr2, zi2 = zr * zr, zi * zi
        gone = zr2 + zi2 > 4.0
        if gone.any():
            out[idx[gone]] = it
            keep = ~gone
            idx, zr, zi, zr2, zi2, cr, ci = idx[keep], zr[keep], zi[keep], zr2[keep], zi2[keep], cr[keep], ci[keep]
            if idx.size == 0:
                break
        zi = 2.0 * zr * zi + ci
        zr = zr2 - zi2 + cr
    return out.reshape(shape)


def image_numpy(frame: tuple, dtype, rows: tuple[int, int] | None = None) -> np.ndarray:
    """Rows [r0, r1) (default: all) of the frame (x_min, x_max, y_min, y_max, width, height, max_iter)."""
    x_min, x_max, y_min, y_max, width, height, max_iter = frame
    cx, cy = axes(x_min, x_max, y_min, y_max, width, height)
    r0, r1 = rows or (0, height)
    cr, ci = np.meshgrid(cx, cy[r0:r1])
    return escape_numpy(cr, ci, max_iter, dtype)


def block_task(args) -> np.ndarray:
    """A process-pool task: rows [r0, r1) of the frame, with NumPy."""
    frame, dtype, r0, r1 = args
    return image_numpy(frame, dtype, (r0, r1))


def blocks(height: int, chunk: int) -> list[tuple[int, int]]:
    return [(r, min(r + chunk, height)) for r in range(0, height, chunk)]


def numba_kernels(numba):
    """Numba versions, compiled on first call: serial, prange over rows, a nogil block function for
    Python threads, and a @guvectorize row function (target "parallel")."""
    njit, prange = numba.njit, numba.prange

    @njit(inline="always")
    def escape(cx, cy, max_iter):
        zx = 0.0
        zy = 0.0
        i = 0
        while i < max_iter:
            x2 = zx * zx
            y2 = zy * zy
            if x2 + y2 > 4.0:
                break
            zy = 2.0 * zx * zy + cy
            zx = x2 - y2 + cx
            i += 1
        return i

    @njit
    def serial(cx, cy, max_iter, out):
        for r in range(cy.size):
            for c in range(cx.size):
                out[r, c] = escape(cx[c], cy[r], max_iter)

    @njit(parallel=True)
    def rows_prange(cx, cy, max_iter, out):
        for r in prange(cy.size):
            for c in range(cx.size):
                out[r, c] = escape(cx[c], cy[r], max_iter)

    @njit(nogil=True)
    def rows_nogil(cx, cy, max_iter, out, r0, r1):
        for r in range(r0, r1):
            for c in range(cx.size):
                out[r, c] = escape(cx[c], cy[r], max_iter)

    @numba.guvectorize(["void(float64[:], float64, int64, int32[:])", "void(float64[:], float64, int64, uint32[:])"],
                       "(n),(),()->(n)", target="parallel")
    def row_gu(cx, cy, max_iter, out):
        for c in range(cx.size):
            out[c] = escape(cx[c], cy, max_iter)

    return serial, rows_prange, rows_nogil, row_gu


def threads_dynamic(rows_nogil, executor: ThreadPoolExecutor, cx, cy, max_iter, out, chunk: int):
    """Blocks of `chunk` rows handed to the executor's threads as they come free (a dynamic schedule):
    the nogil Numba function runs in parallel on the Python threads."""
    list(executor.map(lambda rr: rows_nogil(cx, cy, max_iter, out, rr[0], rr[1]), blocks(cy.size, chunk)))
    return out
