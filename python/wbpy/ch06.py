"""Chapter 06's kernels in Python: the exp "ufunc" of the flags study (flags/exp/...), the sums
(sum/..., sumsq/...), the moving average (moving_mean/...), Mandelbrot on one core (mandelbrot/...)
and the N-body accelerations (nbody/...).

Sizes and inputs are those of chapters/06_simd/bench.cpp and flags/bench_flags.cpp, made by the C++
code itself through wb_kernels (ch06::uniform and ch06::make_bodies draw from std::mt19937_64): the exp
over 1024 doubles in [-50, 50) (seed 1); the sums over n = 4096 (seed 1, in the L1 cache) and 2^24
doubles (seed 2, 128 MiB); the moving average over the 2^24 doubles, windows w = 16 and 256; the frame
-2.0..0.6 x -1.3..1.3 at 400 x 300 pixels, 200 iterations; 2048 bodies (seed 9). --quick shrinks them as
the C++ smoke run does.

What the rows show: NumPy runs each operation over a whole array in its own compiled loops, which are
vectorized (np.exp, np.sum) but make a pass through memory per operation; Numba's @njit compiles the
plain loop with LLVM, which keeps IEEE order (a sum stays one chain of additions, as in sum/serial)
unless fastmath=True grants the reassociation that `#pragma omp simd reduction` grants in C++.
"""
from __future__ import annotations

import math

import numpy as np

from . import mandelbrot as M
from .bench import Bench, Check

U = 2.0 ** -53          # the unit roundoff of a double
SOFTENING2 = 1e-3       # ch06::kSoftening2
EXP_N = 1024            # flags/bench_flags.cpp's kN
# ULPs allowed between an exp and the long double reference. glibc's exp (C++ and Numba) is within one
# ULP; NumPy's own vector exp (AVX2 / AVX-512F builds) allows itself a few more. An exp that is wrong
# (a lost term of its polynomial, a wrong reduction) is off by thousands of ULPs, so 4 catches it.
EXP_ULP = 4
# N-body: the tolerance exercise 06.5 states for every path, per component of a_i, relative to the size
# of the sum, force_scale(b, i) = sum_j m_j (|dx| + |dy| + |dz|) / r^3: the summation order (NumPy adds
# the 2048 terms pairwise, C++ in one chain) changes the last bits of each of those terms' sum only.
NBODY_REL = 1e-12


def sum_check(got, want: float, x: np.ndarray, square: bool) -> Check:
    """Sums in another order than C++'s one chain. Any order's rounding error is at most (n-1) u
    sum(|terms|) (recursive summation's worst case; pairwise and lane-wise orders do better), so two
    orders differ by at most twice that. A lost or repeated element moves the sum by |x_i| or x_i^2,
    almost always more."""
    terms = x * x if square else np.abs(x)
    bound = 2 * (x.size - 1) * U * float(np.sum(terms))
    err = abs(float(got) - want)
    if err == 0:
        return Check(True, "= C++")
    if err <= bound:
        return Check(True, f"C++ ±{err:.1e} (order; bound {bound:.1e})")
    return Check(False, f"differs from C++ by {err:.3g}, more than the {bound:.2g} any order allows")


def ulp_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Doubles between a and b elementwise (flags/accuracy.hpp's ulp_distance, on NumPy arrays)."""
    def line(d):
        bits = d.view(np.int64)
        return np.where(bits < 0, -(bits & np.int64(0x7FFFFFFFFFFFFFFF)), bits)
    la, lb = line(np.ascontiguousarray(a, dtype=np.float64)), line(np.ascontiguousarray(b, dtype=np.float64))
    return np.abs(la - lb)


def exp_check(got, want) -> Check:
    d = int(ulp_distance(np.asarray(got), want).max())
    if d > EXP_ULP:
        return Check(False, f"max {d} ULP from the long double exp, more than the {EXP_ULP} allowed")
    return Check(True, f"max {d} ULP from the long double exp")


def nbody_numpy(x, y, z, m):
    """Every pair at once: n x n arrays (32 MiB each at n = 2048), row i holding body i's pulls."""
    dx, dy, dz = x[None, :] - x[:, None], y[None, :] - y[:, None], z[None, :] - z[:, None]
    r2 = dx * dx + dy * dy + dz * dz + SOFTENING2
    s = m[None, :] / (r2 * np.sqrt(r2))
    return (dx * s).sum(axis=1), (dy * s).sum(axis=1), (dz * s).sum(axis=1)


def force_scale(x, y, z, m):
    """ch06::force_scale of every body (the scale of the N-body tolerance), row by row in NumPy."""
    out = np.empty(x.size)
    for i in range(x.size):
        dx, dy, dz = x - x[i], y - y[i], z - z[i]
        r2 = dx * dx + dy * dy + dz * dz + SOFTENING2
        out[i] = np.sum(m * (np.abs(dx) + np.abs(dy) + np.abs(dz)) / (r2 * np.sqrt(r2)))
    return out


def benchmarks(b: Bench) -> None:
    k, T, nb = b.module, b.threads, b.numba
    if k is None:
        why = ("the inputs are the C++ benchmark's (std::mt19937_64), made by wb_kernels, which is not built "
               f"({b.module_why})")
        for fam in ("flags/exp", "sum", "sumsq", "moving_mean", "mandelbrot", "nbody"):
            b.skip(f"{fam}/py_*", why)
        return
    isa = k.widest_isa()
    if nb:
        nb.set_num_threads(T)
        njit, prange = nb.njit, nb.prange

        @njit
        def exp_loop(x, out):
            for i in range(x.size):
                out[i] = math.exp(x[i])
            return out

        @nb.vectorize(["float64(float64)"])
        def exp_vec(v):
            return math.exp(v)

        def make_sum(square, fastmath):
            @njit(fastmath=fastmath)
            def total(x):
                s = 0.0
                for i in range(x.size):
                    s += x[i] * x[i] if square else x[i]
                return s
            return total
        sums = {(sq, fm): make_sum(sq, fm) for sq in (False, True) for fm in (False, True)}

        @njit
        def moving_sliding(x, w, out):
            s = 0.0
            for j in range(w):
                s += x[j]
            out[0] = s / w
            for i in range(1, out.size):
                s += x[i + w - 1] - x[i - 1]
                out[i] = s / w
            return out

        def make_nbody(parallel, fastmath):
            @njit(parallel=parallel, fastmath=fastmath)
            def accel(x, y, z, m, ax, ay, az):
                n = x.size
                for i in prange(n):
                    sx = 0.0
                    sy = 0.0
                    sz = 0.0
                    for j in range(n):
                        dx = x[j] - x[i]
                        dy = y[j] - y[i]
                        dz = z[j] - z[i]
                        r2 = dx * dx + dy * dy + dz * dz + SOFTENING2
                        s = m[j] / (r2 * math.sqrt(r2))
                        sx += dx * s
                        sy += dy * s
                        sz += dz * s
                    ax[i] = sx
                    ay[i] = sy
                    az[i] = sz
                return ax, ay, az
            return accel
        nbody_serial, nbody_fast, nbody_prange = make_nbody(False, False), make_nbody(False, True), make_nbody(True, False)

    # ---- the exp "ufunc" (flags/exp/<variant>: 1024 doubles, in the L1 cache) ----
    lo, hi = k.ch06_exp_range()
    xe = k.ch06_uniform(EXP_N, lo, hi, 1)
    want_e = k.ch06_exp_reference(xe)
    oe = np.empty(EXP_N)
    check_e = lambda got: exp_check(got, want_e)  # noqa: E731
    b.run("flags/exp/py_numpy", lambda: np.exp(xe, out=oe), check=check_e, items=EXP_N, bytes_=16 * EXP_N,
          note="np.exp(x, out=out): NumPy's own vector exp")
    b.run("flags/exp/py_numba", lambda: exp_loop(xe, oe), check=check_e, items=EXP_N, bytes_=16 * EXP_N,
          note="@njit loop of math.exp", needs_numba=True)
    b.run("flags/exp/py_vectorize", lambda: exp_vec(xe), check=check_e, items=EXP_N, bytes_=16 * EXP_N,
          note="@vectorize of math.exp", needs_numba=True)

    # ---- sums ----
    for n in ((4096, 1 << 16) if b.quick else (4096, 1 << 24)):
        x = k.ch06_uniform(n, -1.0, 1.0, 1 if n == 4096 else 2)
        for square in (False, True):
            fam = "sumsq" if square else "sum"
            name = f"{fam}/{{}}/n:{n}"
            want = k.ch06_sum(x, "serial", square)
            near = lambda got, sq=square, w=want: sum_check(got, w, x, sq)  # noqa: E731
            exact = lambda got, w=want: Check.equal(got, w)  # noqa: E731
            kw = dict(items=n, bytes_=8 * n)
            if square:
                b.run(name.format("py_numpy"), lambda: np.sum(x * x), check=near, note="np.sum(x * x): a temporary x * x", **kw)
                b.run(name.format("py_dot"), lambda: x @ x, check=near, note="x @ x: BLAS ddot", **kw)
            else:
                b.run(name.format("py_numpy"), lambda: np.sum(x), check=near, note="np.sum: pairwise, vectorized", **kw)
            b.run(name.format("py_numba"), lambda sq=square: sums[(sq, False)](x), check=exact,
                  note="@njit loop: one chain, as C++ serial", needs_numba=True, **kw)
            b.run(name.format("py_fastmath"), lambda sq=square: sums[(sq, True)](x), check=near,
                  note="@njit(fastmath=True) loop: reassociated, vectorized", needs_numba=True, **kw)
            if not square:
                way = "intrinsics" if isa != "scalar" else "serial"
                b.run(name.format("py_wb_kernels"), lambda: k.ch06_sum(x, way), check=near,
                      note=f"the C++ {way} sum ({isa}), called from Python",
                      twin=f"sum/{isa if isa != 'scalar' else 'serial'}/n:{n}", **kw)
        del x

    # ---- moving average over 2^24 samples ----
    n = (1 << 16) if b.quick else (1 << 24)
    x = k.ch06_uniform(n, -1.0, 1.0, 2)
    for w in (16, 256):
        out = np.empty(n - w + 1)
        cum = np.empty(n + 1)
        cum[0] = 0.0

        def numpy_cumsum(w=w, out=out, cum=cum):
            np.cumsum(x, out=cum[1:])  # in index order, one chain, like the C++ running total
            np.subtract(cum[w:], cum[:-w], out=out)
            out /= w
            return out
        ref = {}
        for algo in ("naive", "sliding", "cumsum") if w == 16 else ("sliding", "cumsum"):
            ref[algo] = np.empty(n - w + 1)
            k.ch06_moving(x, w, ref[algo], algo)
        name = f"moving_mean/{{}}/w:{w}"
        kw = dict(items=n, bytes_=16 * n)
        b.run(name.format("py_numpy"), numpy_cumsum, check=lambda got, r=ref: Check.equal(got, r["cumsum"]),
              note="np.cumsum, then (P[i+w] - P[i]) / w: the C++ cumsum's operations", **kw)
        if w == 16:
            # np.convolve computes sum_k x[i+k] * (1/w); 1/16 is exact, so each product is exact and only the
            # additions round: at most w-1 of them on partial sums of magnitude <= 1 (|x| <= 1), against
            # w-1 additions and a division for C++'s naive loop: 2 (w + 1) u bounds the difference.
            tol = 2 * (w + 1) * U
            b.run(name.format("py_convolve"), lambda w=w: np.convolve(x, np.full(w, 1.0 / w), "valid"),
                  check=lambda got, r=ref, t=tol: Check.close(got, r["naive"], t, "another order of w additions"),
                  note="np.convolve(x, ones(w)/w, 'valid'): O(n w) like the naive loop", **kw)
        b.run(name.format("py_numba"), lambda w=w, out=out: moving_sliding(x, w, out),
              check=lambda got, r=ref: Check.equal(got, r["sliding"]), note="@njit sliding sum, as C++ sliding",
              needs_numba=True, **kw)
        want_c = np.empty(n - w + 1)
        k.ch06_moving(x, w, want_c, "compensated")
        b.run(name.format("py_wb_kernels"), lambda w=w, out=out: k.ch06_moving(x, w, out, "compensated") or out,
              check=lambda got, r=want_c: Check.equal(got, r), note="the C++ compensated mean (06.3), called from Python",
              twin=f"moving_mean/compensated/w:{w}", **kw)
        del ref, out, cum, want_c
    del x

    # ---- Mandelbrot, one core ----
    width, height, max_iter = (64, 48, 50) if b.quick else (400, 300, 200)
    frame = (-2.0, 0.6, -1.3, 1.3, width, height, max_iter)  # ch06::standard_frame
    # 06.4's solution equals escape_time() of the baseline build bit for bit (no fused multiply-adds),
    # and NumPy and Numba round every operation as written: the images must be equal, pixel for pixel.
    want_m = k.ch06_mandelbrot(width, height, max_iter, "simd").reshape(height, width)
    same = lambda img: Check.equal(img, want_m, "pixels")  # noqa: E731
    px = width * height
    b.run("mandelbrot/py_numpy", lambda: M.image_numpy(frame, np.int32), check=same, items=px,
          note="NumPy whole-array, escaped points dropped each step")
    cx, cy = M.axes(*frame[:6])
    img = np.empty((height, width), dtype=np.int32)
    if nb:
        serial = M.numba_kernels(nb)[0]
    b.run("mandelbrot/py_numba", lambda: serial(cx, cy, max_iter, img) or img, check=same, items=px,
          note="@njit, one pixel at a time", needs_numba=True)
    b.run("mandelbrot/py_wb_kernels", lambda: k.ch06_mandelbrot(width, height, max_iter, "simd"),
          check=lambda got: same(got.reshape(height, width)), items=px,
          note=f"the C++ 06.4 kernel ({isa}), called from Python",
          twin=f"mandelbrot/{isa}" if isa != "scalar" else "mandelbrot/serial")

    # ---- N-body ----
    nbod = 128 if b.quick else 2048
    bx, by, bz, bm = k.ch06_bodies(nbod, 9)
    want_a = k.ch06_nbody(bx, by, bz, bm, "reference", 1)
    scale = force_scale(bx, by, bz, bm)

    def near_a(got) -> Check:
        err = max(float(np.max(np.abs(np.asarray(g) - w) / scale)) for g, w in zip(got, want_a))
        if not err <= NBODY_REL:
            return Check(False, f"error {err:.2g} of force_scale vs C++, more than the {NBODY_REL:.0e} allowed")
        return Check(True, "= C++" if err == 0 else f"C++ ±{err:.0e} of force_scale")
    ax, ay, az = np.empty(nbod), np.empty(nbod), np.empty(nbod)
    pairs = nbod * nbod
    b.run("nbody/py_numpy/threads:1", lambda: nbody_numpy(bx, by, bz, bm), check=near_a, items=pairs,
          note="NumPy broadcasting: n x n arrays of every pair")
    b.run("nbody/py_numba/threads:1", lambda: nbody_serial(bx, by, bz, bm, ax, ay, az), check=near_a, items=pairs,
          note="@njit loops, sqrt and division", needs_numba=True)
    b.run("nbody/py_fastmath/threads:1", lambda: nbody_fast(bx, by, bz, bm, ax, ay, az), check=near_a, items=pairs,
          note="@njit(fastmath=True): the j loop vectorized", needs_numba=True)
    b.run(f"nbody/py_numba_prange/threads:{T}", lambda: nbody_prange(bx, by, bz, bm, ax, ay, az), check=near_a,
          items=pairs, note=f"@njit(parallel=True), prange over bodies, {T} threads", needs_numba=True)
    b.run(f"nbody/py_wb_kernels/threads:{T}", lambda: k.ch06_nbody(bx, by, bz, bm, "simd", T), check=near_a,
          items=pairs, note=f"the C++ 06.5 kernel ({isa}, rsqrt + Newton), called from Python",
          twin=f"nbody/{isa if isa != 'scalar' else 'scalar'}/threads:{T}")
