"""Chapter 07's kernels in Python: the transpose (transpose/...), the matrix multiply against NumPy's `@`
(matmul/...), the separable blur (blur/...) and particles as an array of structures against a structure of
arrays (particles_advance/..., particles_sum_x/...).

Sizes and inputs are those of chapters/07_memory_hierarchy/bench.cpp and blocking/bench_blocking.cpp:
a 4000 x 4000 transpose of in[i] = i; matrices of n = 256, 512, 1024 drawn by std::mt19937_64 seeded 7
(through wb_kernels); a 2048 x 2048 float image (seed 3) blurred with k = 3, 5, 9, 15 Gaussian taps
(ch07::gaussian_taps); 2 000 000 particles of ch07::demo::make_particles(seed 5). --quick shrinks them
as the C++ smoke run does.

What the rows show: NumPy's a.T.copy() is a strided copy in C, with the naive loop's cache behaviour;
`a @ b` calls the BLAS NumPy was built with (OpenBLAS on Debian), as matmul/openblas does, on every
core unless told otherwise; a structured dtype is the array of structures, its field a strided view.
"""
from __future__ import annotations

import ctypes

import numpy as np

from .bench import Bench, Check

U = 2.0 ** -53
U32 = 2.0 ** -24          # the unit roundoff of a float
TILE = 32                 # ch07::kTile
DT = 1e-6                 # the particles benchmarks' time step
FIELDS = ("x", "y", "z", "vx", "vy", "vz", "mass")  # ch07::Particle, 56 bytes
PARTICLE = np.dtype([(f, np.float64) for f in FIELDS])


def openblas_threads():
    """(set, get) of the OpenBLAS that NumPy loaded (found in /proc/self/maps, as threadpoolctl does), or
    (None, why)."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "blas" in line.lower() and line.split()[-1].startswith("/")}
    except OSError as e:
        return None, f"cannot read /proc/self/maps: {e}"
    for p in sorted(paths):
        try:
            lib = ctypes.CDLL(p)
            return (lib.openblas_set_num_threads, lib.openblas_get_num_threads), ""
        except (OSError, AttributeError):
            continue
    return None, "NumPy's BLAS is not OpenBLAS (no openblas_set_num_threads): its thread count cannot be set"


def blur_numpy(img, h, v):
    """The separable blur as whole-array operations, in the C++ order: for each tap, a shifted view of
    the edge-padded image times the tap, added into the float32 result (rows, then columns)."""
    rh, rv = h.size // 2, v.size // 2
    height, width = img.shape
    p = np.pad(img, ((0, 0), (rh, rh)), mode="edge")
    tmp = np.zeros_like(img)
    for i in range(h.size):
        tmp += h[i] * p[:, i:i + width]
    p = np.pad(tmp, ((rv, rv), (0, 0)), mode="edge")
    out = np.zeros_like(img)
    for j in range(v.size):
        out += v[j] * p[j:j + height, :]
    return out


def sum_check(got, want: float, x) -> Check:
    """Another summation order than C++'s one chain: at most 2 (n-1) u sum|x| apart (see ch06.py)."""
    bound = 2 * (x.size - 1) * U * float(np.sum(np.abs(x)))
    err = abs(float(got) - want)
    if err <= bound:
        return Check(True, "= C++" if err == 0 else f"C++ ±{err:.1e} (order; bound {bound:.1e})")
    return Check(False, f"differs from C++ by {err:.3g}, more than the {bound:.2g} any order allows")


def benchmarks(b: Bench) -> None:
    k, T, nb = b.module, b.threads, b.numba
    if nb:
        nb.set_num_threads(T)
        njit = nb.njit

        @njit
        def transpose_naive(a, out):
            n, m = a.shape
            for i in range(n):
                for j in range(m):
                    out[j, i] = a[i, j]
            return out

        @njit
        def transpose_tiled(a, out):
            n, m = a.shape
            for i0 in range(0, n, TILE):
                for j0 in range(0, m, TILE):
                    for i in range(i0, min(i0 + TILE, n)):
                        for j in range(j0, min(j0 + TILE, m)):
                            out[j, i] = a[i, j]
            return out

        @njit
        def matmul_ikj(a, b_, c):
            n = a.shape[0]
            c[:, :] = 0.0
            for i in range(n):
                for kk in range(n):
                    aik = a[i, kk]
                    for j in range(n):
                        c[i, j] += aik * b_[kk, j]
            return c

        @njit
        def blur_loops(img, h, v, tmp, out):
            height, width = img.shape
            rh, rv = h.size // 2, v.size // 2
            for y in range(height):
                for x in range(width):
                    tmp[y, x] = np.float32(0.0)
                for i in range(h.size):
                    wi = h[i]
                    for x in range(width):
                        xx = min(max(x + i - rh, 0), width - 1)
                        tmp[y, x] += wi * img[y, xx]
            for y in range(height):
                for x in range(width):
                    out[y, x] = np.float32(0.0)
                for j in range(v.size):
                    vj = v[j]
                    yy = min(max(y + j - rv, 0), height - 1)
                    for x in range(width):
                        out[y, x] += vj * tmp[yy, x]
            return out

        @njit
        def sum_x_aos(p):
            s = 0.0
            for i in range(p.size):
                s += p[i].x
            return s

    # ---- the transpose (n x n doubles, in[i] = i) ----
    n = 200 if b.quick else 4000
    a = np.arange(n * n, dtype=np.float64).reshape(n, n)
    out = np.zeros((n, n))
    # out[j, i] = in[i, j] = i n + j: known without C++.
    want_t = np.arange(n, dtype=np.float64)[:, None] + n * np.arange(n, dtype=np.float64)[None, :]
    def same_t(got) -> Check:
        c = Check.equal(got, want_t)
        return Check(c.ok, "= in[i, j] at every [j, i]" if c.ok else c.text.replace("C++", "the transpose"))
    kw = dict(bytes_=16.0 * n * n, check=same_t, check_needs_module=False)
    b.run(f"transpose/py_numpy/n:{n}", lambda: a.T.copy(), note="a.T.copy(): NumPy's strided copy", **kw)
    b.run(f"transpose/py_numba/n:{n}", lambda: transpose_naive(a, out), note="@njit, the two plain loops",
          needs_numba=True, **kw)
    b.run(f"transpose/py_tiled/n:{n}", lambda: transpose_tiled(a, out), note=f"@njit, {TILE} x {TILE} tiles",
          needs_numba=True, **kw)
    del a, out, want_t

    # ---- the matrix multiply ----
    blas, blas_why = openblas_threads()
    for n in ((48,) if b.quick else (256, 512, 1024)):
        name = f"matmul/{{}}/n:{n}"
        flops = 2.0 * n ** 3
        if k is None:
            b.skip(name.format("py_*"), f"the inputs are the C++ benchmark's, made by wb_kernels ({b.module_why})")
            continue
        fa, fb = k.ch07_matmul_inputs(n)
        ma, mb = fa.reshape(n, n), fb.reshape(n, n)
        want = np.empty(n * n)
        k.ch07_matmul(fa, fb, want, n)
        want = want.reshape(n, n)
        # Each c_ij sums n products of numbers in [-1, 1): any order errs by at most n u sum|a_ik b_kj| <= n^2 u,
        # so two orders (BLAS's blocks, 07.5's blocks, Numba's k order) differ by at most 2 n^2 u (Check.close
        # measures relative to max(1, |c_ij|), no tighter). A wrong product is off by O(1).
        near = lambda got, w=want, t=2.0 * n * n * U: Check.close(got, w, t, "another order of the n products")  # noqa: E731
        c = np.empty((n, n))
        if n != 512:
            if blas:
                setn, getn = blas
                before = getn()

                def one_thread():
                    setn(1)
                    try:
                        return np.matmul(ma, mb, out=c)
                    finally:
                        setn(before)
                b.run(name.format("py_numpy") + "/threads:1", one_thread, check=near, items=flops,
                      note="a @ b: NumPy's BLAS (OpenBLAS) on one thread, as matmul/openblas")
            else:
                b.skip(name.format("py_numpy") + "/threads:1", blas_why)
            b.run(name.format("py_numpy") + f"/threads:{T}", lambda: np.matmul(ma, mb, out=c), check=near, items=flops,
                  note=f"a @ b: NumPy's BLAS with its default threads ({blas[1]() if blas else '?'})")
            b.run(name.format("py_wb_kernels"), lambda: k.ch07_matmul(fa, fb, c.reshape(-1), n) or c, check=near,
                  items=flops, note=f"the C++ 07.5 kernel ({k.widest_isa()}), called from Python",
                  twin=f"matmul/blocked/n:{n}")
        if n <= 512:
            b.run(name.format("py_numba"), lambda: matmul_ikj(ma, mb, c), check=near, items=flops,
                  note="@njit, the i, k, j loops (as matmul/ikj)", needs_numba=True)

    # ---- the separable blur ----
    side = 64 if b.quick else 2048
    if k is None:
        b.skip("blur/py_*", f"the image is the C++ benchmark's, made by wb_kernels ({b.module_why})")
    else:
        img = k.ch07_blur_image(side).reshape(side, side)
        out = np.empty_like(img)
        tmp = np.empty_like(img)
        try:
            from scipy import ndimage
        except ImportError as e:
            ndimage, scipy_why = None, f"SciPy cannot be imported ({e}; Debian: python3-scipy)"
        for kt in (3, 5, 9, 15):
            taps = k.ch07_gaussian_taps(kt)
            # The C++ normalization: each tap over their sum in double (exact here: at most 15 floats),
            # rounded to float.
            h = (taps.astype(np.float64) / taps.astype(np.float64).sum()).astype(np.float32)
            want = np.empty(side * side, dtype=np.float32)
            k.ch07_blur(img.reshape(-1), want, side, side, taps)
            want = want.reshape(side, side)
            # NumPy and Numba do the C++ operations in the C++ order, in float32: equal, bit for bit.
            exact = lambda got, w=want: Check.equal(got, w, "pixels")  # noqa: E731
            name = f"blur/{{}}/k:{kt}"
            px = side * side
            b.run(name.format("py_numpy"), lambda h=h: blur_numpy(img, h, h), check=exact, items=px,
                  bytes_=16.0 * px, note="shifted slices of the edge-padded image, float32, two passes")
            b.run(name.format("py_numba"), lambda h=h: blur_loops(img, h, h, tmp, out), check=exact, items=px,
                  bytes_=16.0 * px, note="@njit, two passes, edges clamped", needs_numba=True)
            if ndimage is None:
                b.skip(name.format("py_scipy"), scipy_why)
            else:
                # SciPy adds in double and rounds once; C++ rounds each of its 2 k multiply-adds to float on
                # values in [0, 1] (normalized taps, pixels in [0, 1)): (2 k + 3) float roundoffs bound it.
                tol = (2 * kt + 3) * U32
                b.run(name.format("py_scipy"),
                      lambda h=h: ndimage.correlate1d(ndimage.correlate1d(img, h, axis=1, mode="nearest"), h, axis=0,
                                                      mode="nearest"),
                      check=lambda got, w=want, t=tol: Check.close(got, w, t, "float32 roundings of C++"),
                      items=px, bytes_=16.0 * px, note="scipy.ndimage.correlate1d along rows, then columns")
        del img, out, tmp

    # ---- particles: array of structures (a structured dtype) against a structure of arrays ----
    n = 1000 if b.quick else 2_000_000
    if k is None:
        b.skip("particles_*/py_*", f"the particles are the C++ benchmark's, made by wb_kernels ({b.module_why})")
        return
    flat, want_sum = k.ch07_particles(n, 5, 0, DT)
    stepped, _ = k.ch07_particles(n, 5, 1, DT)
    want_step = stepped.reshape(n, 7)
    aos = flat.copy().view(PARTICLE)            # 56-byte records, like std::vector<ch07::Particle>
    soa = {f: np.ascontiguousarray(aos[f]) for f in FIELDS}
    name = f"{{}}/{{}}/n:{n}"
    b.run(name.format("particles_sum_x", "py_numpy_aos"), lambda: aos["x"].sum(),
          check=lambda got: sum_check(got, want_sum, soa["x"]), items=n, note="p['x'].sum(): a strided view, 8 bytes in 56")
    b.run(name.format("particles_sum_x", "py_numpy_soa"), lambda: soa["x"].sum(),
          check=lambda got: sum_check(got, want_sum, soa["x"]), items=n, note="x.sum() on its own array")
    b.run(name.format("particles_sum_x", "py_numba_aos"), lambda: sum_x_aos(aos),
          check=lambda got: Check.equal(got, want_sum), items=n, note="@njit loop over the records, in order",
          needs_numba=True)

    # One step from the particles as made must give the C++ advance_aos's step, bit for bit (x + vx dt, the
    # product rounded, then the sum, in both); the timing then goes on stepping, as the C++ benchmark does.
    def advance_aos():
        for f in "xyz":
            aos[f] += aos["v" + f] * DT
        return aos
    def advance_soa():
        for f in "xyz":
            soa[f] += soa["v" + f] * DT
        return soa
    b.run(name.format("particles_advance", "py_numpy_aos"), advance_aos,
          check=lambda got: Check.equal(got.view(np.float64).reshape(n, 7), want_step), items=n,
          note="p['x'] += p['vx'] * dt, ... on the record array's fields")
    b.run(name.format("particles_advance", "py_numpy_soa"), advance_soa,
          check=lambda got: Check.equal(np.stack([got[f] for f in FIELDS], axis=1), want_step), items=n,
          note="x += vx * dt, ... on one array per field")
