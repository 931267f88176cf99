"""Chapter 10's measurements: what crossing from Python into C++ costs, against the work per call.

  call/py_noop              wb_kernels.noop(): the bare cost of a call into the module
  call/py_first             wb_kernels.first(x): a call with one array argument, checked (dtype, shape, flags)
  call/py_python_function   a Python function that does nothing: the same cost without leaving Python
  evaluate/py_wb_kernels/n:N    chapter 05's kernel over n elements in one call; its twin evaluate/serial/n:N
                                 (chapters/10_from_python/bench.cpp) is the same loop called from C++
  evaluate/py_per_element/n:N   one module call per element (wb_kernels.kernel in a Python loop)
  evaluate/py_numpy/n:N         NumPy whole-array
The inputs are ch05::fill_inputs(seed 42), as in the C++ benchmark.
"""
from __future__ import annotations

import numpy as np

from .bench import Bench, Check
from .ch05 import KERNEL_REL, kernel_numpy

SIZES = (1, 16, 256, 4096, 65536, 1 << 18)


def benchmarks(b: Bench) -> None:
    k = b.module
    if k is None:
        for name in ("call/py_noop", "call/py_first", "evaluate/py_*"):
            b.skip(name, f"needs the module wb_kernels, which is not built ({b.module_why})")
        return
    x1 = np.ones(8)

    def nothing():
        return None

    ok = lambda _: Check(True, "")  # noqa: E731  (nothing to compare: the call is what is measured)
    b.run("call/py_noop", k.noop, check=ok, items=1, note="wb_kernels.noop()")
    b.run("call/py_first", lambda: k.first(x1), check=ok, items=1, note="wb_kernels.first(x), 8 doubles")
    b.run("call/py_python_function", nothing, check=ok, items=1, note="a Python function doing nothing")
    for n in ((1, 16, 256) if b.quick else SIZES):
        x, y = k.ch05_fill_inputs(n, 42)
        want = np.empty(n)
        k.ch05_evaluate(x, y, want, 1)
        out = np.empty(n)
        close = lambda got: Check.close(got, want, KERNEL_REL, "libm against NumPy's routines")  # noqa: E731
        b.run(f"evaluate/py_wb_kernels/n:{n}", lambda: k.ch05_evaluate(x, y, out, 1) or out, check=close, items=n,
              note="one call, the C++ loop", twin=f"evaluate/serial/n:{n}")
        b.run(f"evaluate/py_numpy/n:{n}", lambda: kernel_numpy(x, y), check=close, items=n, note="NumPy whole-array")
        if n <= 4096:
            xs, ys, kern = x.tolist(), y.tolist(), k.kernel
            b.run(f"evaluate/py_per_element/n:{n}", lambda: [kern(a, c) for a, c in zip(xs, ys)], check=close,
                  items=n, note="one module call per element")
