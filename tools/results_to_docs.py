#!/usr/bin/python3
"""Turns the benchmark JSON of every chapter into Doxygen pages with tables and plots.

Input:  the reader's run (build/<preset>/results/NN_slug.json, written by chNN_bench_json) and the
        committed reference run (docs/reference/NN_slug.json). Either may be missing.
Output: <out>/results.md (index), <out>/results_chNN.md per chapter, <out>/img/*.png.
Nothing here reads what Doxygen writes: data flows benchmarks -> JSON -> this -> Doxygen.

Benchmark names follow CONTRIBUTING.md: family/variant/param:value/... The variant "serial" (else
"baseline") is the baseline of its family. Chapter 00's family "stream" gives the machine's memory
bandwidth (its highest bytes_per_second), which every memory-bound kernel is compared with.
"""
from __future__ import annotations

import argparse
import json
import math
import re
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

IGNORED_TOKENS = {"real_time", "manual_time", "process_time"}
IGNORED_PARAMS = {"min_time", "iterations", "repeats", "min_warmup_time"}
UNIT = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
SOURCES = ("yours", "reference")


@dataclass
class Row:
    family: str
    variant: str
    params: "OrderedDict[str, str]"
    seconds: float              # real time per iteration
    bytes_per_second: float | None
    items_per_second: float | None
    counters: dict = field(default_factory=dict)
    note: str = ""              # the benchmark's SetLabel text

    @property
    def key(self) -> tuple:
        return (self.variant, tuple(self.params.items()))

    def label(self) -> str:
        p = " ".join(f"{k}={v}" for k, v in self.params.items())
        return f"{self.variant} {p}".strip()


@dataclass
class Run:
    context: dict
    rows: list[Row]


def parse_name(name: str) -> tuple[str, str, OrderedDict]:
    tokens = name.split("/")
    family = tokens[0]
    variant_parts, params = [], OrderedDict()
    for t in tokens[1:]:
        if t in IGNORED_TOKENS:
            continue
        if ":" in t:
            k, v = t.split(":", 1)
            if k not in IGNORED_PARAMS:
                params[k] = v
        else:
            variant_parts.append(t)
    return family, "/".join(variant_parts) or "-", params


def load_run(path: Path) -> Run | None:
    if not path.exists():
        return None
    data = json.loads(path.read_text())
    benches = data.get("benchmarks", [])
    # A benchmark run with Repetitions contributes its median; the others their single run.
    with_median = {b.get("run_name") for b in benches if b.get("aggregate_name") == "median"}
    rows = []
    for b in benches:
        if b.get("error_occurred"):
            continue
        run_name = b.get("run_name", b["name"])
        if run_name in with_median:
            if b.get("aggregate_name") != "median":
                continue
            name = run_name
        else:
            if b.get("run_type", "iteration") != "iteration":
                continue
            name = b["name"]
        family, variant, params = parse_name(name)
        known = {"name", "run_name", "run_type", "family_index", "per_family_instance_index", "repetitions",
                 "repetition_index", "threads", "iterations", "real_time", "cpu_time", "time_unit",
                 "bytes_per_second", "items_per_second", "label", "aggregate_name", "aggregate_unit",
                 "error_occurred", "error_message"}
        counters = {k: v for k, v in b.items() if k not in known and isinstance(v, (int, float))}
        rows.append(Row(family, variant, params, b["real_time"] * UNIT[b.get("time_unit", "ns")],
                        b.get("bytes_per_second"), b.get("items_per_second"), counters, b.get("label", "")))
    return Run(data.get("context", {}), rows)


# --------------------------------------------------------------------------------------------
# Formatting
# --------------------------------------------------------------------------------------------
def fmt_time(s: float | None) -> str:
    if s is None:
        return ""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if s >= scale or unit == "ns":
            return f"{s / scale:.3g} {unit}"
    return ""


def fmt_rate(v: float | None, bytes_: bool) -> str:
    if v is None:
        return ""
    for unit, scale in (("G", 1e9), ("M", 1e6), ("k", 1e3), ("", 1.0)):
        if v >= scale or unit == "":
            return f"{v / scale:.3g} {unit}{'B/s' if bytes_ else 'items/s'}"
    return ""


def fmt_ratio(v: float | None, suffix: str = "x") -> str:
    return "" if v is None or not math.isfinite(v) else f"{v:.2f}{suffix}"


def stamp(ctx: dict) -> str:
    if not ctx:
        return "not run yet"
    return (f"{ctx.get('wb_cpu_model', '?')} ({ctx.get('wb_vector_isa', '?')}), {ctx.get('wb_logical_cores', ctx.get('num_cpus', '?'))} logical cores; "
            f"{ctx.get('wb_compiler', '?')}; flags `{ctx.get('wb_flags', '?')}`; {ctx.get('wb_date', ctx.get('date', '?'))}; "
            f"host {ctx.get('host_name', '?')}")


# --------------------------------------------------------------------------------------------
# Derived figures
# --------------------------------------------------------------------------------------------
def baseline_variant(rows: list[Row]) -> str | None:
    variants = [r.variant for r in rows]
    for b in ("serial", "baseline"):
        if b in variants:
            return b
    return None


def speedups(rows: list[Row]) -> dict[tuple, float]:
    """Speedup of each row against the family's baseline at the same params (or the baseline's only row)."""
    base = baseline_variant(rows)
    if base is None:
        return {}
    base_rows = [r for r in rows if r.variant == base]
    by_params = {tuple(r.params.items()): r.seconds for r in base_rows}
    out = {}
    for r in rows:
        ref = by_params.get(tuple(r.params.items()))
        if ref is None:
            # Match on the params the baseline has (e.g. serial has n but no threads).
            for b in base_rows:
                if all(r.params.get(k) == v for k, v in b.params.items()):
                    ref = b.seconds
                    break
        if ref is None and len(base_rows) == 1:
            ref = base_rows[0].seconds
        if ref is not None and r.seconds > 0:
            out[r.key] = ref / r.seconds
    return out


def bandwidth(run: Run | None) -> float | None:
    if run is None:
        return None
    rates = [r.bytes_per_second for r in run.rows if r.family == "stream" and r.bytes_per_second]
    return max(rates) if rates else None


# --------------------------------------------------------------------------------------------
# Plots
# --------------------------------------------------------------------------------------------
def numeric(v: str) -> float | None:
    try:
        return float(v)
    except ValueError:
        return None


def plot_value(r: Row, rows: list[Row], sp: dict, param: str, is_threads: bool) -> float | None:
    """What a plot shows for one row: speedup against threads, else throughput (or time)."""
    if is_threads:
        y = sp.get(r.key)
        if y is None:  # no serial baseline: speedup against the variant's own 1-thread time
            others = {k: v for k, v in r.params.items() if k != param}
            one = [q for q in rows if q.variant == r.variant and q.params.get(param) == "1" and
                   {k: v for k, v in q.params.items() if k != param} == others]
            y = one[0].seconds / r.seconds if one else None
        return y
    if r.bytes_per_second:
        return r.bytes_per_second / 1e9
    if r.items_per_second:
        return r.items_per_second / 1e6
    return r.seconds * 1e3


def plot_family(chapter: str, family: str, runs: dict[str, list[Row]], speedup: dict[str, dict],
                img_dir: Path, cores: int | None = None) -> list[tuple[str, str]]:
    """One figure per param that takes three or more numeric values: one panel per setting of the
    other params, one colour per variant, your run solid and the reference dashed."""
    all_rows = [r for rows in runs.values() for r in rows]
    params = OrderedDict()
    for r in all_rows:
        for k, v in r.params.items():
            if numeric(v) is not None:
                params.setdefault(k, set()).add(float(v))
    made = []
    for param, values in params.items():
        if len(values) < 3:
            continue
        is_threads = param in ("threads", "procs", "workers")
        # series[(others, variant, src)] = [(x, y)]
        series = defaultdict(list)
        for src, rows in runs.items():
            for r in rows:
                if param in r.params:
                    y = plot_value(r, rows, speedup[src], param, is_threads)
                    if y is not None:
                        others = tuple((k, v) for k, v in r.params.items() if k != param)
                        series[(others, r.variant, src)].append((float(r.params[param]), y))
        series = {k: sorted(v) for k, v in series.items() if len(v) >= 2}
        if not series:
            continue
        panels = list(OrderedDict.fromkeys(k[0] for k in series))[:6]
        variants = list(OrderedDict.fromkeys(k[1] for k in series))
        colour = {v: plt.get_cmap("tab10")(i % 10) for i, v in enumerate(variants)}
        fig, axes = plt.subplots(1, len(panels), figsize=(min(4.2 * len(panels), 13), 3.9), dpi=100,
                                 squeeze=False, sharey=is_threads)
        xs = sorted(values)
        for ax, others in zip(axes[0], panels):
            for (o, variant, src), pts in series.items():
                if o != others:
                    continue
                ax.plot([p[0] for p in pts], [p[1] for p in pts], "-o" if src == "yours" else "--x",
                        color=colour[variant], alpha=0.95 if src == "yours" else 0.55,
                        label=f"{variant}" + ("" if src == "yours" else " (reference)"))
            # The baseline run (no sweep of its own) as a horizontal line: where the serial code stands.
            base = baseline_variant(runs["yours"] or runs["reference"])
            for src in SOURCES:
                flat = [r for r in runs[src] if r.variant == base and param not in r.params and
                        all(dict(others).get(k) == v for k, v in r.params.items())]
                if base and len(flat) == 1 and not is_threads:
                    y = plot_value(flat[0], runs[src], {}, param, False)
                    ax.axhline(y, color="black", linestyle="-" if src == "yours" else "--", alpha=0.5,
                               label=base if src == "yours" else f"{base} (reference)")
            if is_threads:
                ax.plot(xs, xs, ":", color="grey", label="ideal")
                if cores:
                    ax.axvline(cores, color="grey", alpha=0.4, linewidth=3, label=f"{cores} cores")
            else:
                ys = [v for line in ax.get_lines() for v in line.get_ydata()]
                if ys and min(ys) > 0 and max(ys) / min(ys) > 50:
                    ax.set_yscale("log")
                else:
                    ax.set_ylim(0, ax.get_ylim()[1] * 1.05)
            if xs[-1] / max(xs[0], 1e-12) > 16:
                ax.set_xscale("log", base=2)
            ax.set_xlabel(param)
            ax.set_title(", ".join(f"{k}={v}" for k, v in others) or family, fontsize=9)
            ax.grid(True, alpha=0.3)
        sample = next((r for r in all_rows if param in r.params), None)
        axes[0][0].set_ylabel("speedup" if is_threads else "GB/s" if sample.bytes_per_second else
                              "million items/s" if sample.items_per_second else "ms per iteration")
        axes[0][0].legend(fontsize=7)
        fig.suptitle(f"Chapter {chapter}: {family} against {param}", fontsize=10)
        fig.tight_layout()
        name = f"ch{chapter}_{re.sub(r'[^A-Za-z0-9]+', '_', family)}_{param}.png"
        fig.savefig(img_dir / name)
        plt.close(fig)
        what = "speedup over the serial baseline (dotted: ideal)" if is_threads else \
            ("bandwidth" if sample.bytes_per_second else "rate" if sample.items_per_second else "time")
        made.append((name, f"{family}: {what} against {param}; solid lines your run, dashed the reference"))
    return made


# --------------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------------
def chapter_page(nn: str, title: str, runs: dict[str, Run | None], bw: dict[str, float | None], img_dir: Path) -> str:
    out = [f"# Chapter {nn} results {{#results_ch{nn}}}", "",
           f"Generated by `tools/results_to_docs.py` from the benchmark JSON of @ref ch{nn} \"chapter {nn}: {title}\". "
           "\"yours\" is the last `./wb all` (or `./wb bench`) on this machine; \"reference\" is the run committed in "
           "`docs/reference/`. Speedups are against the family's `serial` (or `baseline`) variant measured in the same run.",
           "", "| run | machine, compiler, flags, date |", "|---|---|"]
    for src in SOURCES:
        out.append(f"| {src} | {stamp(runs[src].context if runs[src] else {})} |")
    out.append("")
    for src in SOURCES:
        if bw[src]:
            out.append(f"Memory bandwidth ({src}, chapter 00 `stream`, best case): {fmt_rate(bw[src], True)}.  ")
    out.append("")

    families: "OrderedDict[str, dict[str, list[Row]]]" = OrderedDict()
    for src in SOURCES:
        if runs[src]:
            for r in runs[src].rows:
                families.setdefault(r.family, {s: [] for s in SOURCES})[src].append(r)
    if not families:
        out += ["No results yet: run `./wb all` (or `./wb bench` then `./wb docs`).", ""]
        return "\n".join(out)

    cores = next((int(runs[s].context.get("wb_logical_cores", 0)) for s in SOURCES if runs[s]), 0) or None
    for family, by_src in families.items():
        out += [f"## {family}", ""]
        sp = {src: speedups(by_src[src]) for src in SOURCES}
        # The picture first, then the table it was drawn from.
        for name, caption in plot_family(nn, family, by_src, sp, img_dir, cores):
            out += [f"![{caption}]({name})", ""]
        keys = list(OrderedDict.fromkeys(r.key for src in SOURCES for r in by_src[src]))
        idx = {src: {r.key: r for r in by_src[src]} for src in SOURCES}
        has_bytes = any(r.bytes_per_second for src in SOURCES for r in by_src[src])
        has_items = any(r.items_per_second for src in SOURCES for r in by_src[src])
        has_sp = any(sp[src] for src in SOURCES)
        head = ["benchmark", "time (yours)", "time (ref.)"]
        if has_bytes:
            head += ["bandwidth (yours)", "bandwidth (ref.)", "share of memory bw (yours)", "share (ref.)"]
        elif has_items:
            head += ["rate (yours)", "rate (ref.)"]
        if has_sp:
            head += ["speedup (yours)", "speedup (ref.)"]
        counter_names = list(OrderedDict.fromkeys(c for src in SOURCES for r in by_src[src] for c in r.counters))
        for c in counter_names:
            head += [f"{c} (yours)", f"{c} (ref.)"]
        out.append("| " + " | ".join(head) + " |")
        out.append("|" + "---|" * len(head))
        for k in keys:
            y, rf = idx["yours"].get(k), idx["reference"].get(k)
            any_row = y or rf
            note = f" ({any_row.note})" if any_row.note else ""
            cells = [any_row.label() + note, fmt_time(y.seconds if y else None), fmt_time(rf.seconds if rf else None)]
            if has_bytes:
                cells += [fmt_rate(y.bytes_per_second if y else None, True),
                          fmt_rate(rf.bytes_per_second if rf else None, True)]
                for r, src in ((y, "yours"), (rf, "reference")):
                    share = r.bytes_per_second / bw[src] if r and r.bytes_per_second and bw[src] else None
                    cells.append("" if share is None else f"{100 * share:.0f}%")
            elif has_items:
                cells += [fmt_rate(y.items_per_second if y else None, False),
                          fmt_rate(rf.items_per_second if rf else None, False)]
            if has_sp:
                cells += [fmt_ratio(sp["yours"].get(k)), fmt_ratio(sp["reference"].get(k))]
            for c in counter_names:
                cells += [f"{r.counters[c]:.3g}" if r and c in r.counters else "" for r in (y, rf)]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--results", type=Path, required=True, help="the reader's results folder")
    ap.add_argument("--reference", type=Path, required=True, help="the committed reference results")
    ap.add_argument("--chapters", type=Path, required=True, help="the chapters/ folder")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()

    img_dir = args.out / "img"
    img_dir.mkdir(parents=True, exist_ok=True)
    for old in img_dir.glob("*.png"):
        old.unlink()

    folders = sorted(p.name for p in args.chapters.iterdir() if re.match(r"\d\d_", p.name) and (p / "CMakeLists.txt").exists())
    runs = {f: {"yours": load_run(args.results / f"{f}.json"), "reference": load_run(args.reference / f"{f}.json")}
            for f in folders}
    ch00 = next((f for f in folders if f.startswith("00_")), None)
    bw = {src: bandwidth(runs[ch00][src]) if ch00 else None for src in SOURCES}

    index = ["# Results {#results}", "",
             "Every table and plot here is generated from Google Benchmark JSON by `tools/results_to_docs.py`; "
             "none is typed by hand. Run `./wb all` to add your machine's figures beside the reference run.", "",
             "| chapter | your run | reference run |", "|---|---|---|"]
    for f in folders:
        nn = f[:2]
        readme = args.chapters / f / "README.md"
        first = readme.read_text().splitlines()[0] if readme.exists() else f"# {f}"
        title = re.sub(r"\s*\{#.*\}\s*$", "", first.lstrip("# ")).split(":", 1)[-1].strip()
        page = chapter_page(nn, title, runs[f], bw, img_dir)
        (args.out / f"results_ch{nn}.md").write_text(page + "\n")
        index.append(f"| @subpage results_ch{nn} | {'yes' if runs[f]['yours'] else 'not yet'} | "
                     f"{'yes' if runs[f]['reference'] else 'none'} |")
    (args.out / "results.md").write_text("\n".join(index) + "\n")
    print(f"results_to_docs: {len(folders)} chapter pages, {len(list(img_dir.glob('*.png')))} plots in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
