#!/usr/bin/python3
"""Turns the benchmark JSON of every chapter into Doxygen pages with tables and plots.

Input:  the run on this machine (build/<preset>/results/NN_slug.json, written by chNN_bench_json) and
        the committed reference run (docs/reference/NN_slug.json). Either may be missing. Both time the
        workbook's reference solutions (the benchmarks are built from solutions/), never the learner's
        exercises: the pages say so.
Output: <out>/results.md (index), <out>/results_chNN.md per chapter, <out>/img/*.png.
Nothing here reads what Doxygen writes: data flows benchmarks -> JSON -> this -> Doxygen.

Benchmark names follow CONTRIBUTING.md: family/variant/param:value/... The variant "serial" (else
"baseline") is the baseline of its family. Chapter 00's family "stream" gives the machine's memory
bandwidth (its highest bytes_per_second over arrays beyond the last-level cache), which memory-bound
kernels are compared with, but only those whose data (the counter "working_set") is at least
BEYOND_CACHE times the cache edge the benchmark main measured (context "wb_llc_bytes_measured"): for
data in the cache that share means nothing (it can pass 100%), so such rows say "in cache".
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
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

IGNORED_TOKENS = {"real_time", "manual_time", "process_time"}
IGNORED_PARAMS = {"min_time", "iterations", "repeats", "min_warmup_time"}
UNIT = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
SOURCES = ("local", "reference")
# What the pages call each run. Both run the workbook's reference solutions, never the learner's code.
LONG_NAME = {"local": "this machine", "reference": "reference run"}
SHORT_NAME = {"local": "here", "reference": "ref."}
BEYOND_CACHE = 4.0          # data at least this many times the measured cache edge counts as "in memory"
WORKING_SET = "working_set"  # the counter (bytes of data a benchmark touches) that decides it
MiB = 1 << 20
# Plots: at most this wide (inches at PLOT_DPI), so that they fit the content column of the HTML
# pages next to the navigation tree in a 1280-pixel-wide window (about 1000 pixels); two panels a row.
PLOT_DPI = 100
PLOT_MAX_WIDTH = 8.8
PANEL_HEIGHT = 3.0
MAX_PANELS = 8


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

    @property
    def working_set(self) -> float | None:
        v = self.counters.get(WORKING_SET)
        return float(v) if v else None

    def label(self) -> str:
        p = " ".join(f"{k}={v}" for k, v in self.params.items())
        return f"{self.variant} {p}".strip()


@dataclass
class Run:
    context: dict
    rows: list[Row]

    @property
    def llc_bytes(self) -> float | None:
        """The last-level cache edge the benchmark main measured, None when not recorded."""
        try:
            v = float(self.context.get("wb_llc_bytes_measured", ""))
        except ValueError:
            return None
        return v if v > 0 else None


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


def fmt_bytes(v: float | None) -> str:
    if v is None:
        return ""
    for unit, scale in (("GiB", 1 << 30), ("MiB", MiB), ("KiB", 1 << 10), ("B", 1)):
        if v >= scale or unit == "B":
            return f"{v / scale:.3g} {unit}"
    return ""


def ctx_float(ctx: dict, key: str) -> float | None:
    try:
        return float(ctx[key])
    except (KeyError, TypeError, ValueError):
        return None


def machine_text(ctx: dict) -> str:
    return (f"{ctx.get('wb_cpu_model', '?')} ({ctx.get('wb_vector_isa', '?')}), "
            f"{ctx.get('wb_logical_cores', ctx.get('num_cpus', '?'))} logical cores; "
            f"{ctx.get('wb_compiler', '?')}; flags `{ctx.get('wb_flags', '?')}`; "
            f"{ctx.get('wb_date', ctx.get('date', '?'))}; host {ctx.get('host_name', '?')}")


def busy(ctx: dict) -> bool | None:
    """True when other programs kept at least the threshold of cores busy; None when not recorded."""
    figures = [v for v in (ctx_float(ctx, "wb_other_load_start"), ctx_float(ctx, "wb_other_load_run"))
               if v is not None]
    if not figures:
        return None
    cores = ctx_float(ctx, "wb_logical_cores") or ctx_float(ctx, "num_cpus") or 1
    threshold = ctx_float(ctx, "wb_busy_threshold") or max(0.25, 0.05 * cores)
    return max(figures) >= threshold


def load_text(ctx: dict) -> str:
    start, run = ctx_float(ctx, "wb_other_load_start"), ctx_float(ctx, "wb_other_load_run")
    cores = ctx.get("wb_logical_cores", ctx.get("num_cpus", "?"))
    if start is None and run is None:
        la = ctx.get("load_avg")
        if isinstance(la, list) and la:
            return (f"other programs not recorded (1-minute load average {float(la[0]):.2f} at the start, "
                    "which counts the benchmarks' own threads too)")
        return "not recorded"
    parts = []
    if start is not None:
        parts.append(f"{start:.2f} of {cores} cores busy at the start")
    if run is not None:
        parts.append(f"{run:.2f} on average during the run" if parts else
                     f"{run:.2f} of {cores} cores busy on average during the run")
    text = f"other programs kept {', '.join(parts)}"
    if busy(ctx):
        text = "**busy machine**: " + text + "; timings are slower and noisier than on a quiet machine"
    return text


def cache_text(ctx: dict) -> str:
    llc = ctx_float(ctx, "wb_llc_bytes_measured")
    if not llc:
        return "not measured"
    if ctx.get("wb_llc_found") == "no":
        return f"at least {fmt_bytes(llc)} (no drop to memory speed up to there)"
    return f"{fmt_bytes(llc)} (read sweep at start-up)"


def stamp(ctx: dict) -> str:
    """One line: machine, compiler, flags, date, how busy the machine was, the measured cache."""
    if not ctx:
        return "not run yet"
    return f"{machine_text(ctx)}; load: {load_text(ctx)}; last-level cache: {cache_text(ctx)}"


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


def placement(r: Row, llc: float | None) -> str:
    """Where a row's data lives: "memory" (at least BEYOND_CACHE times the cache edge), "cache"
    (no bigger than the edge), "partly" (in between) or "unknown" (size or edge not recorded)."""
    ws = r.working_set
    if ws is None or not llc:
        return "unknown"
    if ws >= BEYOND_CACHE * llc:
        return "memory"
    return "cache" if ws <= llc else "partly"


def bandwidth(run: Run | None) -> float | None:
    """The machine's memory bandwidth: chapter 00's best `stream` rate over arrays beyond the cache.
    A run that recorded no sizes (older files) uses its best `stream` rate as it is."""
    if run is None:
        return None
    rows = [r for r in run.rows if r.family == "stream" and r.bytes_per_second]
    if any(placement(r, run.llc_bytes) != "unknown" for r in rows):
        rows = [r for r in rows if placement(r, run.llc_bytes) == "memory"]
    rates = [r.bytes_per_second for r in rows]
    return max(rates) if rates else None


def share_cell(r: Row | None, run: Run | None, bw: float | None) -> str:
    """The "share of memory bandwidth" cell: a percentage only for data well beyond the cache."""
    if r is None or not r.bytes_per_second:
        return ""
    where = placement(r, run.llc_bytes if run else None)
    if where == "cache":
        return "in cache"
    if where == "partly":
        return "partly in cache"
    if not bw:
        return ""
    share = f"{100 * r.bytes_per_second / bw:.0f}%"
    return share if where == "memory" else f"{share}?"


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


def fits(series_others: tuple, panel: tuple) -> bool:
    """A series belongs to a panel when every param it has agrees with the panel's settings
    (the serial baseline, which has no `threads`, is drawn in every `threads=N` panel)."""
    return all(dict(panel).get(k) == v for k, v in series_others)


def plot_family(chapter: str, family: str, runs: dict[str, list[Row]], speedup: dict[str, dict],
                img_dir: Path, cores: int | None = None) -> list[tuple[str, str]]:
    """One figure per param that takes three or more numeric values: one panel per setting of the
    other params (two panels a row, no wider than the page), one colour per variant, this machine's
    run solid and the reference run dashed, and one legend under the panels naming every line."""
    all_rows = [r for rows in runs.values() for r in rows]
    params = OrderedDict()
    for r in all_rows:
        for k, v in r.params.items():
            if numeric(v) is not None:
                params.setdefault(k, set()).add(float(v))
    made = []
    base = baseline_variant(runs["local"] or runs["reference"])
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
        # Panels: the settings of the other params, except those that only a series with fewer
        # params has (it is drawn into the fuller panels instead of getting one of its own).
        settings = list(OrderedDict.fromkeys(k[0] for k in series))
        panels = [p for p in settings
                  if not any(q != p and len(q) > len(p) and fits(p, q) for q in settings)]
        dropped = len(panels) - MAX_PANELS
        panels = panels[:MAX_PANELS]
        variants = list(OrderedDict.fromkeys(k[1] for k in series))
        palette = [plt.get_cmap("tab10")(i) for i in range(10) if i != 7]  # 7 is grey: kept for guides
        colour = {}
        for v in variants:
            colour[v] = "black" if v == base else palette[len([c for c in colour if c != base]) % len(palette)]
        ncols = 1 if len(panels) == 1 else 2
        nrows = math.ceil(len(panels) / ncols)
        width = 6.0 if ncols == 1 else PLOT_MAX_WIDTH
        fig, axes = plt.subplots(nrows, ncols, figsize=(width, PANEL_HEIGHT * nrows + 0.9), dpi=PLOT_DPI,
                                 squeeze=False, sharey=is_threads)
        xs = sorted(values)
        sources_drawn, extras = set(), OrderedDict()
        for i, ax in enumerate(axes.flat):
            if i >= len(panels):
                ax.set_visible(False)
                continue
            others = panels[i]
            for (o, variant, src), pts in series.items():
                if not fits(o, others):
                    continue
                ax.plot([p[0] for p in pts], [p[1] for p in pts], "-o" if src == "local" else "--x",
                        color=colour[variant], alpha=0.95 if src == "local" else 0.55, markersize=4)
                sources_drawn.add(src)
            # The baseline run (no sweep of its own) as a horizontal line: where the serial code stands.
            for src in SOURCES:
                flat = [r for r in runs[src] if r.variant == base and param not in r.params and
                        all(dict(others).get(k) == v for k, v in r.params.items())]
                if base and len(flat) == 1 and not is_threads:
                    y = plot_value(flat[0], runs[src], {}, param, False)
                    ax.axhline(y, color="black", linestyle="-" if src == "local" else "--", alpha=0.5)
                    sources_drawn.add(src)
                    extras.setdefault(f"{base} (one size)", Line2D([], [], color="black", alpha=0.5))
            if is_threads:
                ax.plot(xs, xs, ":", color="grey")
                extras.setdefault(f"ideal: speedup = {param}", Line2D([], [], color="grey", linestyle=":"))
                if cores:
                    ax.axvline(cores, color="grey", alpha=0.4, linewidth=3)
                    extras.setdefault(f"{cores} cores", Line2D([], [], color="grey", alpha=0.4, linewidth=3))
            else:
                ys = [v for line in ax.get_lines() for v in line.get_ydata()]
                if ys and min(ys) > 0 and max(ys) / min(ys) > 50:
                    ax.set_yscale("log")
                else:
                    ax.set_ylim(0, ax.get_ylim()[1] * 1.05)
            if xs[-1] / max(xs[0], 1e-12) > 16:
                ax.set_xscale("log", base=2)
            elif all(float(x).is_integer() for x in xs):
                ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.set_xlabel(param)
            ax.set_title(", ".join(f"{k}={v}" for k, v in others) or family, fontsize=9)
            ax.grid(True, alpha=0.3)
        sample = next((r for r in all_rows if param in r.params), None)
        ylabel = ("speedup" if is_threads else "GB/s" if sample.bytes_per_second else
                  "million items/s" if sample.items_per_second else "ms per iteration")
        for row in axes:
            row[0].set_ylabel(ylabel)
        # One legend for the whole figure: a colour per variant, a line style per run, the guides.
        handles = [Line2D([], [], color=colour[v], marker="o", markersize=4, label=v) for v in variants]
        if "local" in sources_drawn:
            handles.append(Line2D([], [], color="dimgrey", linestyle="-", marker="o", markersize=4,
                                  label=f"solid: {LONG_NAME['local']}"))
        if "reference" in sources_drawn:
            handles.append(Line2D([], [], color="dimgrey", linestyle="--", marker="x", markersize=4,
                                  alpha=0.7, label=f"dashed: {LONG_NAME['reference']}"))
        for label, h in extras.items():
            h.set_label(label)
            handles.append(h)
        spare = [ax for ax in axes.flat if not ax.get_visible()]
        if spare:
            # An empty cell of the grid holds the legend.
            spare[0].set_visible(True)
            spare[0].axis("off")
            spare[0].legend(handles=handles, loc="center", fontsize=8, frameon=False)
            legend_h = 0.0
        else:
            # As few rows as fit (five entries a row at most), filled evenly.
            legend_rows = math.ceil(len(handles) / (5 if ncols == 2 else 3))
            ncol = math.ceil(len(handles) / legend_rows)
            fig.set_figheight(fig.get_figheight() + 0.22 * (legend_rows - 1))
            legend_h = (0.22 * legend_rows + 0.15) / fig.get_figheight()
            fig.legend(handles=handles, loc="lower center", ncol=ncol, fontsize=8, frameon=False,
                       bbox_to_anchor=(0.5, 0.0))
        fig.suptitle(f"Chapter {chapter}: {family} against {param}", fontsize=10)
        fig.tight_layout(rect=(0, legend_h, 1, 1))
        name = f"ch{chapter}_{re.sub(r'[^A-Za-z0-9]+', '_', family)}_{param}.png"
        fig.savefig(img_dir / name)
        plt.close(fig)
        what = "speedup over the serial baseline (dotted: ideal)" if is_threads else \
            ("bandwidth" if sample.bytes_per_second else "rate" if sample.items_per_second else "time")
        styles = [f"solid lines {LONG_NAME['local']}" if "local" in sources_drawn else "",
                  f"dashed the {LONG_NAME['reference']}" if "reference" in sources_drawn else ""]
        caption = f"{family}: {what} against {param}; " + ", ".join(x for x in styles if x)
        if dropped > 0:
            caption += f" ({dropped} more settings in the table only)"
        made.append((name, caption))
    return made


# --------------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------------
WHOSE_CODE = (
    "**Whose code runs:** every benchmark on this page times the workbook's reference solutions "
    "(`solutions/`), not your exercises. \"{local}\" is the last `./wb all` (or `./wb bench`) on this "
    "machine: the reference solutions compiled and timed here. \"{ref}\" is the run committed in "
    "`docs/reference/`. To time your own code, use `./wb grade {nn}` (its speed report times your "
    "exercises against the reference solutions) or `./wb run {nn} --mine` (the chapter program on your "
    "exercises).")


def chapter_page(nn: str, title: str, runs: dict[str, Run | None], bw: dict[str, float | None], img_dir: Path) -> str:
    out = [f"# Chapter {nn} results {{#results_ch{nn}}}", "",
           f"Generated by `tools/results_to_docs.py` from the benchmark JSON of @ref ch{nn} \"chapter {nn}: {title}\".",
           "", WHOSE_CODE.format(local=LONG_NAME["local"], ref=LONG_NAME["reference"], nn=nn), "",
           "Speedups are against the family's `serial` (or `baseline`) variant measured in the same run. "
           f"The share of memory bandwidth is given only for data at least {BEYOND_CACHE:g} times the "
           "last-level cache that the benchmark measured at start-up (a read sweep, not what the "
           "operating system reports): smaller data is served from the cache, and its rows say "
           "\"in cache\" (or \"partly in cache\").",
           "", "| run | machine, compiler, flags, date | load | last-level cache |", "|---|---|---|---|"]
    for src in SOURCES:
        ctx = runs[src].context if runs[src] else {}
        if ctx:
            out.append(f"| {LONG_NAME[src]} | {machine_text(ctx)} | {load_text(ctx)} | {cache_text(ctx)} |")
        else:
            out.append(f"| {LONG_NAME[src]} | not run yet | | |")
    out.append("")
    for src in SOURCES:
        if bw[src]:
            out.append(f"Memory bandwidth ({LONG_NAME[src]}, chapter 00 `stream`, best case): {fmt_rate(bw[src], True)}.  ")
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
    h = {src: SHORT_NAME[src] for src in SOURCES}
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
        has_ws = any(r.working_set for src in SOURCES for r in by_src[src])
        head = ["benchmark"]
        if has_ws:
            head += ["data"]
        head += [f"time ({h['local']})", f"time ({h['reference']})"]
        if has_bytes:
            head += [f"bandwidth ({h['local']})", f"bandwidth ({h['reference']})",
                     f"share of memory bw ({h['local']})", f"share ({h['reference']})"]
        elif has_items:
            head += [f"rate ({h['local']})", f"rate ({h['reference']})"]
        if has_sp:
            head += [f"speedup ({h['local']})", f"speedup ({h['reference']})"]
        counter_names = list(OrderedDict.fromkeys(c for src in SOURCES for r in by_src[src] for c in r.counters
                                                  if c != WORKING_SET))
        for c in counter_names:
            head += [f"{c} ({h['local']})", f"{c} ({h['reference']})"]
        out.append("| " + " | ".join(head) + " |")
        out.append("|" + "---|" * len(head))
        unknown_share = False
        for k in keys:
            y, rf = idx["local"].get(k), idx["reference"].get(k)
            any_row = y or rf
            note = f" ({any_row.note})" if any_row.note else ""
            cells = [any_row.label() + note]
            if has_ws:
                sizes = list(OrderedDict.fromkeys(fmt_bytes(r.working_set) for r in (y, rf) if r and r.working_set))
                cells.append(" / ".join(sizes))
            cells += [fmt_time(y.seconds if y else None), fmt_time(rf.seconds if rf else None)]
            if has_bytes:
                cells += [fmt_rate(y.bytes_per_second if y else None, True),
                          fmt_rate(rf.bytes_per_second if rf else None, True)]
                for r, src in ((y, "local"), (rf, "reference")):
                    cell = share_cell(r, runs[src], bw[src])
                    unknown_share |= cell.endswith("?")
                    cells.append(cell)
            elif has_items:
                cells += [fmt_rate(y.items_per_second if y else None, False),
                          fmt_rate(rf.items_per_second if rf else None, False)]
            if has_sp:
                cells += [fmt_ratio(sp["local"].get(k)), fmt_ratio(sp["reference"].get(k))]
            for c in counter_names:
                cells += [f"{r.counters[c]:.3g}" if r and c in r.counters else "" for r in (y, rf)]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
        if unknown_share:
            out += ["A share marked `?` comes from a run that recorded no data size or no cache edge: "
                    "whether that data came from memory or from a cache is not known, and a share of "
                    "data in the cache can pass 100%.", ""]
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--results", type=Path, required=True, help="this machine's results folder")
    ap.add_argument("--reference", type=Path, required=True, help="the committed reference results")
    ap.add_argument("--chapters", type=Path, required=True, help="the chapters/ folder")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()

    img_dir = args.out / "img"
    img_dir.mkdir(parents=True, exist_ok=True)
    for old in img_dir.glob("*.png"):
        old.unlink()

    folders = sorted(p.name for p in args.chapters.iterdir() if re.match(r"\d\d_", p.name) and (p / "CMakeLists.txt").exists())
    runs = {f: {"local": load_run(args.results / f"{f}.json"), "reference": load_run(args.reference / f"{f}.json")}
            for f in folders}
    ch00 = next((f for f in folders if f.startswith("00_")), None)
    bw = {src: bandwidth(runs[ch00][src]) if ch00 else None for src in SOURCES}

    index = ["# Results {#results}", "",
             "Every table and plot here is generated from Google Benchmark JSON by `tools/results_to_docs.py`; "
             "none is typed by hand. The benchmarks time the workbook's reference solutions, not your "
             "exercises: run `./wb all` to add this machine's figures beside the reference run, and "
             "`./wb grade NN` to time your own code against the reference solutions.", "",
             f"| chapter | {LONG_NAME['local']} | {LONG_NAME['reference']} |", "|---|---|---|"]

    def state(run: Run | None, missing: str) -> str:
        if not run:
            return missing
        return "yes" + (" (busy machine)" if busy(run.context) else "")

    for f in folders:
        nn = f[:2]
        readme = args.chapters / f / "README.md"
        first = readme.read_text().splitlines()[0] if readme.exists() else f"# {f}"
        title = re.sub(r"\s*\{#.*\}\s*$", "", first.lstrip("# ")).split(":", 1)[-1].strip()
        page = chapter_page(nn, title, runs[f], bw, img_dir)
        (args.out / f"results_ch{nn}.md").write_text(page + "\n")
        index.append(f"| @subpage results_ch{nn} | {state(runs[f]['local'], 'not yet')} | "
                     f"{state(runs[f]['reference'], 'none')} |")
    (args.out / "results.md").write_text("\n".join(index) + "\n")
    print(f"results_to_docs: {len(folders)} chapter pages, {len(list(img_dir.glob('*.png')))} plots in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
