"""Timing, checking and the JSON of the Python benchmarks (Google Benchmark's form, so that
tools/results_to_docs.py reads them like the C++ ones).

Every benchmark row is named family/variant/param:value like the C++ rows it stands beside, with a
variant that starts with `py_`. Its figures:
  real_time       the median over `repetitions` of the time per call, each repetition calling the
                  function until min_time has passed (as Google Benchmark does), the first call excluded;
  first_call_ms   the first call on its own: for Numba the compilation (chapter 00: time it apart);
  label           what ran (threading layer, threads) and how the result compares with C++.
A row that could not run (Numba missing, the module missing for the inputs) is written with
error_occurred and the reason; a result that disagrees with C++ is an error too: no time is reported
for a wrong answer.
"""
from __future__ import annotations

import datetime
import json
import os
import platform
import socket
import statistics
import sys
import time
from typing import Any, Callable


def cores() -> int:
    """The cores this process may run on (what the C++ benchmarks call all cores)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class Check:
    """The outcome of comparing a Python result with the C++ one: ok, and a short text for the label."""

    def __init__(self, ok: bool, text: str):
        self.ok, self.text = ok, text

    @staticmethod
    def equal(got, want, what: str = "", allow: float = 0.0, why: str = "") -> "Check":
        """Equal to the C++ result; with `allow`, up to that fraction of the elements may differ (`why`)."""
        import numpy as np
        got, want = np.asarray(got), np.asarray(want)
        if got.shape != want.shape:
            return Check(False, f"shape {got.shape} differs from C++'s {want.shape}")
        diff = int(np.count_nonzero(got != want))
        if diff and diff <= allow * got.size:
            return Check(True, f"{diff} of {got.size} {what or 'values'} differ from C++ ({why})")
        if diff:
            return Check(False, f"{diff} of {got.size} {what or 'values'} differ from C++")
        return Check(True, "= C++" if got.size == 1 else "bitwise = C++")

    @staticmethod
    def close(got, want, rel: float, why: str) -> "Check":
        """Relative error (against max(1, |C++ value|) elementwise) at most `rel`; `why` says why that bound."""
        import numpy as np
        got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
        if got.shape != want.shape:
            return Check(False, f"shape {got.shape} differs from C++'s {want.shape}")
        err = float(np.max(np.abs(got - want) / np.maximum(1.0, np.abs(want)))) if got.size else 0.0
        if not err <= rel:
            return Check(False, f"relative error {err:.2g} vs C++, more than the {rel:.0e} allowed ({why})")
        return Check(True, f"C++ ±{err:.0e}" if err else "= C++")


class Bench:
    """Collects the rows of one chapter's Python benchmarks."""

    def __init__(self, chapter: str, quick: bool, min_time: float, module, module_why: str):
        self.chapter, self.quick, self.min_time = chapter, quick, min_time
        self.module, self.module_why = module, module_why   # wb_kernels, or None and why not
        self.rows: list[dict[str, Any]] = []
        self.repetitions = 1 if quick else 3
        self.numba, self.numba_why = load_numba()
        self.threads = cores()

    # -- rows ----------------------------------------------------------------------------------
    def skip(self, name: str, why: str) -> None:
        self.rows.append({"name": name, "run_name": name, "run_type": "iteration", "error_occurred": True,
                          "error_message": why, "iterations": 0, "real_time": 0.0, "cpu_time": 0.0,
                          "time_unit": "ns"})
        print(f"  {name:<48} not run: {why}", flush=True)

    def run(self, name: str, fn: Callable[[], Any], *, check: Callable[[Any], Check] | None = None,
            items: float | None = None, bytes_: float | None = None, note: str = "",
            needs_numba: bool = False, needs_module: bool = False, check_needs_module: bool = True,
            twin: str = "") -> None:
        """Times fn() (first call apart, then the median of the repetitions) and checks its result with
        check(result) (which compares with a C++ result from wb_kernels, unless check_needs_module is
        False: an exact value known without it). twin: for a C++ kernel called from Python, the name of
        the same kernel's row in the chapter's C++ benchmark (the docs compare the two)."""
        if needs_numba and self.numba is None:
            return self.skip(name, f"Numba cannot be imported ({self.numba_why})")
        if needs_module and self.module is None:
            return self.skip(name, f"needs the module wb_kernels, which is not built ({self.module_why})")
        t0 = time.perf_counter()
        result = fn()
        first = time.perf_counter() - t0
        if check is None or (self.module is None and check_needs_module):
            # Without wb_kernels there is no C++ result in this process: the row says so.
            verdict = Check(True, "not checked against C++: " + (self.module_why or "no C++ result to compare with"))
        else:
            verdict = check(result)
        if not verdict.ok:
            return self.skip(name, "WRONG RESULT: " + verdict.text)
        per_call, cpu_per_call, iters = [], [], 0
        budget = 0.02 if self.quick else self.min_time
        for _ in range(self.repetitions):
            n, elapsed = 1, 0.0
            while True:
                c0, w0 = time.process_time(), time.perf_counter()
                for _ in range(n):
                    fn()
                elapsed, cpu = time.perf_counter() - w0, time.process_time() - c0
                if elapsed >= budget or n >= 1 << 30:
                    break
                n = max(n + 1, min(n * 10, int(n * 1.4 * budget / max(elapsed, 1e-9))))
            per_call.append(elapsed / n)
            cpu_per_call.append(cpu / n)
            iters = n
        t = statistics.median(per_call)
        row: dict[str, Any] = {
            "name": name, "run_name": name, "run_type": "iteration", "repetitions": self.repetitions,
            "iterations": iters, "real_time": t * 1e9, "cpu_time": statistics.median(cpu_per_call) * 1e9,
            "time_unit": "ns", "first_call_ms": first * 1e3,
            "label": "; ".join(x for x in (note, verdict.text) if x)}
        if items:
            row["items_per_second"] = items / t
        if bytes_:
            row["bytes_per_second"] = bytes_ / t
        if twin:
            row["wb_cpp_twin"] = twin
        self.rows.append(row)
        print(f"  {name:<48} {fmt(t):>10}   first call {fmt(first):>10}   {row['label']}", flush=True)

    # -- output ----------------------------------------------------------------------------------
    def context(self) -> dict[str, Any]:
        import numpy as np
        ctx = {
            "date": datetime.datetime.now().isoformat(timespec="seconds"),
            "wb_date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
            "host_name": socket.gethostname(), "num_cpus": cores(), "wb_logical_cores": str(cores()),
            "wb_python": f"{platform.python_implementation()} {platform.python_version()} ({sys.executable})",
            "wb_numpy": np.__version__,
            "wb_cpu_model": cpu_model(),
            "wb_wb_kernels": "built" if self.module is not None else f"missing: {self.module_why}",
            "wb_quick": str(self.quick),
        }
        if self.numba is not None:
            ctx["wb_numba"] = self.numba.__version__
            ctx["wb_numba_threads"] = str(self.numba.config.NUMBA_NUM_THREADS)
            try:
                ctx["wb_numba_threading_layer"] = self.numba.threading_layer()
            except ValueError:  # no parallel function ran
                ctx["wb_numba_threading_layer"] = "not started"
        else:
            ctx["wb_numba"] = f"missing: {self.numba_why}"
        return ctx

    def write(self, path: str) -> None:
        data = {"context": self.context(), "benchmarks": self.rows}
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "w") as f:
            json.dump(data, f, indent=1)
            f.write("\n")


def fmt(s: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6), ("ns", 1e-9)):
        if s >= scale or unit == "ns":
            return f"{s / scale:.3g} {unit}"
    return ""


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


_numba_cache: tuple[Any, str] | None = None


def load_numba():
    """(numba, "") when Numba imports and compiles a function, else (None, why)."""
    global _numba_cache
    if _numba_cache is None:
        if os.environ.get("WB_NO_NUMBA"):
            _numba_cache = (None, "WB_NO_NUMBA is set")
        else:
            try:
                import numba
                numba.njit(lambda a: a + 1)(1)  # an import that works but cannot compile is missing too
                _numba_cache = (numba, "")
            except Exception as e:  # ImportError, or a Numba that does not match NumPy, or no LLVM
                _numba_cache = (None, f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}".strip())
    return _numba_cache
