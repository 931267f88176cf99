#!/usr/bin/python3
"""Checks every measured-shape claim of the lessons against the committed reference run.

A lesson marks a sentence that quotes a measured shape with an HTML comment (invisible on the page):

    <!-- claim: t("counter/mutex/threads:2") > 2 * t("counter/serial") -->

The expression is Python, evaluated with these functions and nothing else:
  t(name[, stem])        real time in ns of a benchmark (the median when it has repetitions)
  bw(name[, stem])       its bytes per second
  c(name, counter[, stem]) one of its counters
  ctx(key[, stem])       a field of the run's context (e.g. "wb_vector_isa")
and min, max, abs. `name` is the benchmark's name as the results tables print it, without
`/repeats:N`, `/real_time`, `/manual_time`, `/min_time:...` or `/iterations:N`; `stem` is another
chapter's reference file (e.g. "00_measuring_performance"), the lesson's own chapter by default.

  check_claims.py [--reference DIR] [FILE ...]   # default: every chapters/*/README.md
Exit 0 when every claim holds, 1 when one does not or cannot be evaluated.
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLAIM = re.compile(r"<!--\s*claim:\s*(.+?)\s*-->", re.S)
SUFFIX = re.compile(r"/(repeats:\d+|real_time|manual_time|min_time:[0-9.]+s?|iterations:\d+)")


def shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def normalize(name: str) -> str:
    return SUFFIX.sub("", name)


class Reference:
    def __init__(self, folder: Path):
        self.folder = folder
        self.cache: dict[str, tuple[dict, dict[str, list[dict]]]] = {}

    def load(self, stem: str) -> tuple[dict, dict[str, list[dict]]]:
        if stem not in self.cache:
            path = self.folder / f"{stem}.json"
            if not path.exists():
                raise LookupError(f"no reference file {shown(path)}")
            data = json.loads(path.read_text())
            benches = list(data.get("benchmarks", []))
            # The chapter's Python rows (python/wbpy), written beside it; a row that did not run has no time.
            py = self.folder / f"{stem}.python.json"
            if py.exists():
                benches += [b for b in json.loads(py.read_text()).get("benchmarks", []) if not b.get("error_occurred")]
            runs: dict[str, list[dict]] = {}
            for b in benches:
                if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
                    continue
                runs.setdefault(normalize(b.get("run_name", b["name"])), []).append(b)
            self.cache[stem] = (data.get("context", {}), runs)
        return self.cache[stem]

    def entries(self, stem: str, name: str) -> list[dict]:
        _, runs = self.load(stem)
        key = normalize(name)
        if key not in runs:
            close = [k for k in runs if k.split("/")[0] == key.split("/")[0]][:6]
            raise LookupError(f"no benchmark '{name}' in {stem}.json (same family: {close})")
        found = runs[key]
        medians = [b for b in found if b.get("run_type") == "aggregate"]
        return medians or found

    def value(self, stem: str, name: str, field: str) -> float:
        vals = [float(b[field]) for b in self.entries(stem, name) if field in b]
        if not vals:
            raise LookupError(f"benchmark '{name}' in {stem}.json has no '{field}'")
        return statistics.median(vals)


def ns(b_time: float, unit: str) -> float:
    return b_time * {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[unit]


def evaluate(expr: str, ref: Reference, default_stem: str) -> bool:
    def t(name, stem=None):
        stem = stem or default_stem
        e = ref.entries(stem, name)
        return statistics.median(ns(float(b["real_time"]), b.get("time_unit", "ns")) for b in e)

    def bw(name, stem=None):
        return ref.value(stem or default_stem, name, "bytes_per_second")

    def c(name, counter, stem=None):
        return ref.value(stem or default_stem, name, counter)

    def ctx(key, stem=None):
        context, _ = ref.load(stem or default_stem)
        return context[key]

    env = {"__builtins__": {}, "t": t, "bw": bw, "c": c, "ctx": ctx, "min": min, "max": max, "abs": abs}
    return bool(eval(compile(expr, "<claim>", "eval"), env, {}))  # noqa: S307 (authored lesson text)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reference", default=str(ROOT / "docs" / "reference"))
    ap.add_argument("files", nargs="*")
    args = ap.parse_args()
    ref = Reference(Path(args.reference))
    files = [Path(f) for f in args.files] or sorted(ROOT.glob("chapters/*/README.md"))
    total, bad = 0, []
    for page in files:
        stem = page.resolve().parent.name
        text = page.read_text()
        for m in CLAIM.finditer(text):
            total += 1
            line = text.count("\n", 0, m.start()) + 1
            expr = " ".join(m.group(1).split())
            try:
                ok = evaluate(expr, ref, stem)
                why = "does not hold in the reference run"
            except Exception as e:  # a typo in a claim is as wrong as a false claim
                ok, why = False, f"cannot be evaluated: {e}"
            if not ok:
                bad.append(f"{shown(page)}:{line}: {expr}\n      {why}")
    for b in bad:
        print("  claim " + b)
    print(f"lesson claims: {total - len(bad)} of {total} hold in {shown(Path(args.reference))}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
