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


def your_exercises(n: int) -> int:
    """./wb run 10 --mine: the learner's three modules (build/<preset>/.../py/exercise) on the program's
    data, each compared with NumPy. An unfinished one is named, not a traceback."""
    import importlib
    print("-- your exercises (exercises/10_from_python/), each compared with NumPy")
    rng = np.random.default_rng(7)
    a = rng.random((64, n // 64 or 1))
    f = rng.random(a.shape[0])
    x = rng.random(n)
    checks = {
        "10.1 scale_rows": ("scale_rows", lambda m: (lambda b: (m.scale_rows(b, f), b)[1])(a.copy()),
                            lambda: a * f[:, None]),
        "10.2 release_gil": ("release_gil", lambda m: (m.overlap_reset(0), m.sum_released(x))[1],
                             lambda: float(np.cumsum(x)[-1])),
        "10.3 owning_array": ("owning_array", lambda m: m.running_sum(x), lambda: np.cumsum(x)),
    }
    unfinished = 0
    for label, (module, call, want) in checks.items():
        try:
            got = call(importlib.import_module(module))
        except RuntimeError as e:
            if "NOT STARTED" not in str(e):
                raise
            print(f"  {label:<18} not started yet: {e}")
            unfinished += 1
            continue
        except ImportError as e:
            print(f"  {label:<18} not built ({e})")
            unfinished += 1
            continue
        # np.cumsum adds in index order, as the exercises do: equal to the bit when right.
        same = np.array_equal(np.asarray(got), np.asarray(want()))
        print(f"  {label:<18} {'equals NumPy' if same else 'DIFFERS from NumPy: run ./wb grade 10'}")
    if unfinished:
        print(f"  ({unfinished} not finished: ./wb hint 10.K gives a hint, ./wb grade 10 grades them)")
    return 0


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
        k.noop  # noqa: B018  (a folder named wb_kernels on the path would import as an empty package)
    except (ImportError, AttributeError) as e:
        print(f"the module wb_kernels is not built ({e}); build it: cmake --build --preset default --target wb_kernels",
              file=sys.stderr)
        return 2
    cores = len(os.sched_getaffinity(0))
    if os.environ.get("WB_PROGRAM_ON_EXERCISES") == "1":
        return your_exercises(n)
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
    predicted = n * scalar  # one kernel(a, b) call already includes one element's work
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
