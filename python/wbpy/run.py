"""python3 -m wbpy.run NN [--quick] [--min-time S] [--out FILE]: chapter NN's Python benchmarks.

Prints one line per benchmark and, with --out, writes them as Google Benchmark JSON (what
tools/results_to_docs.py reads). Exit status 2 on a bad argument or a chapter without a Python side;
0 otherwise, also when Numba is missing (those rows then say why) or a result disagrees with C++ (that
row is written as an error and the run goes on), so that ./wb all always gets its pages; 1 with
--strict when any row failed its check.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys

from . import bench as B


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m wbpy.run", description=__doc__.split("\n\n")[0],
                                 epilog="Usage examples: python3 -m wbpy.run 05 --quick")
    ap.add_argument("chapter", help="chapter number, e.g. 05")
    ap.add_argument("--quick", action="store_true", help="tiny sizes and times: a smoke run of a few seconds")
    ap.add_argument("--min-time", type=float, default=0.25, help="seconds per repetition (default 0.25)")
    ap.add_argument("--out", help="write the rows as Google Benchmark JSON to this file")
    ap.add_argument("--strict", action="store_true", help="exit 1 when a result disagrees with C++")
    ap.add_argument("--no-module-because", default="", help=argparse.SUPPRESS)  # CMake: why wb_kernels is not built
    args = ap.parse_args(argv)
    if not args.chapter.isdigit():
        ap.error(f"'{args.chapter}' is not a chapter number")
    nn = f"{int(args.chapter):02d}"
    try:
        chapter = importlib.import_module(f"wbpy.ch{nn}")
    except ModuleNotFoundError:
        ap.error(f"chapter {nn} has no Python side (no python/wbpy/ch{nn}.py)")
    if args.min_time <= 0:
        ap.error("--min-time must be positive")

    module, why = None, args.no_module_because
    try:
        import wb_kernels as module  # noqa: F811
    except ImportError as e:
        why = why or f"cannot import wb_kernels: {e} (build it: cmake --build --preset default --target wb_kernels)"
    b = B.Bench(nn, args.quick, args.min_time, module, why)
    print(f"Python kernels of chapter {nn} ({'quick' if args.quick else f'{args.min_time:g} s x {b.repetitions}'};"
          f" Numba: {b.numba.__version__ if b.numba else 'missing: ' + b.numba_why};"
          f" wb_kernels: {'built' if module else 'missing: ' + why}; {b.threads} cores)", flush=True)
    chapter.benchmarks(b)
    if args.out:
        b.write(args.out)
        print(f"wrote {len(b.rows)} rows to {args.out}")
    wrong = [r for r in b.rows if r.get("error_message", "").startswith("WRONG RESULT")]
    if wrong:
        print(f"{len(wrong)} result(s) disagree with C++", file=sys.stderr)
    return 1 if wrong and args.strict else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    raise SystemExit(main())
