#!/usr/bin/python3
"""Chapter 10's program: what a call from Python into C++ costs, measured on this machine.

Two predictions, each printed beside its measurement:
  1. One module call per element: n calls cost about n x (the cost of one call + one element's work),
     both measured first on their own. The program predicts the loop's time and then times it.
  2. The interpreter lock: two Python threads each calling the C++ kernel on half of the data. Because
     the module releases the lock, the prediction is min(2, cores) times one thread's speed.
Run with ./wb run 10 (or build/<preset>/.../ch10_program). --quick: small sizes, a few seconds.
"""
import argparse
import os
import platform
import sys
import threading
import time

import numpy as np


def best_of(fn, repeats, calls=1):
    """The fastest of `repeats` timings of `calls` calls of fn, per call."""
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(calls):
            fn()
        best = min(best, (time.perf_counter() - t0) / calls)
    return best


def us(s):
    return f"{s * 1e6:9.3f} µs"


def main() -> int:
    ap = argparse.ArgumentParser(description="Chapter 10: the cost of calling C++ from Python, measured.")
    ap.add_argument("--quick", action="store_true", help="small sizes: a smoke run of a few seconds")
    ap.add_argument("--n", type=int, default=None, help="elements per call (default 262144, quick 4096)")
    args = ap.parse_args()
    n = args.n or (4096 if args.quick else 1 << 18)
    if n < 2:
        ap.error("--n must be at least 2")
    try:
        import wb_kernels as k
    except ImportError as e:
        print(f"the module wb_kernels is not built ({e}); build it: cmake --build --preset default --target wb_kernels",
              file=sys.stderr)
        return 2
    cores = len(os.sched_getaffinity(0))
    print(f"Python {platform.python_version()} ({sys.executable}), NumPy {np.__version__}, {cores} cores, "
          f"{platform.machine()}")
    reps = 3 if args.quick else 7

    x, y = k.ch05_fill_inputs(n, 42)
    out = np.empty(n)
    print("\n-- the boundary: one call, no work")
    calls = 20_000 if args.quick else 200_000
    noop = best_of(k.noop, reps, calls)
    x8 = np.ones(8)
    first = best_of(lambda: k.first(x8), reps, calls)
    kern = k.kernel
    scalar = best_of(lambda: kern(1.5, 2.5), reps, calls)
    pyfn = best_of(lambda: None, reps, calls)
    print(f"  a Python function doing nothing     {us(pyfn)}")
    print(f"  wb_kernels.noop()                   {us(noop)}")
    print(f"  wb_kernels.first(x) (array checked) {us(first)}")
    print(f"  wb_kernels.kernel(a, b) (2 floats)  {us(scalar)}")

    print(f"\n-- prediction 1: one call per element, n = {n}")
    whole = best_of(lambda: k.ch05_evaluate(x, y, out, 1), reps)
    per_element_work = whole / n
    predicted = n * (scalar + 0.0) + 0.0  # the call with two floats already includes one element's work
    xs, ys = x.tolist(), y.tolist()
    loop = best_of(lambda: [kern(a, b) for a, b in zip(xs, ys)], reps)
    npy = best_of(lambda: np.log1p(np.exp(-0.25 * x) * np.log(y)) + np.sin(x * y), reps)
    print(f"  one element's work inside C++ (from one call over all): {us(per_element_work)}")
    print(f"  model: n x (one kernel(a, b) call) = {predicted * 1e3:9.3f} ms")
    print(f"  measured, a Python loop of n calls  = {loop * 1e3:9.3f} ms  ({loop / predicted:.2f}x the model)")
    print(f"  one call over all n elements        = {whole * 1e3:9.3f} ms  ({loop / whole:.0f}x faster than the loop)")
    print(f"  NumPy whole-array                   = {npy * 1e3:9.3f} ms")

    print("\n-- prediction 2: two Python threads, each calling C++ on half the data")
    half = n // 2
    parts = [(x[:half], y[:half], out[:half]), (x[half:], y[half:], out[half:])]

    def two_threads():
        ts = [threading.Thread(target=k.ch05_evaluate, args=(a, b, o, 1)) for a, b, o in parts]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
    both = best_of(two_threads, reps)
    model = min(2, cores)
    print(f"  model: the lock is released, so the speedup is min(2, cores) = {model}")
    print(f"  measured: one thread {whole * 1e3:.3f} ms, two threads {both * 1e3:.3f} ms: speedup {whole / both:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
