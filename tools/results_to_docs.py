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

The roofline (<out>/results_roofline.md): every benchmark with a counter "flops" (FLOP/s, a
benchmark::Counter kIsIterationInvariantRate) and bytes (bytes_per_second, from wb::bench::report_bytes)
is a point at x = flops / bytes_per_second (FLOP per byte), y = flops, under the roofs that chapter 00
measured on the same machine (the machine stamp decides): its FMA peak (family "flops", variant "peak")
and its memory bandwidth (as above). Points from another machine are listed, not drawn. A chapter whose
benchmarks include latency/<variant>/<bytes> (counter "ns_per_load") or bandwidth/<variant>/<bytes>
gets the memory staircase on its page: latency and bandwidth against the working set, with the cache
edge of the stamp and the edges the chapter detected (context keys or counters edge_l1_bytes,
edge_l2_bytes, edge_l3_bytes), where recorded.

Python rows: beside a chapter's NN_slug.json, NN_slug.python.json (written by python/wbpy after the
C++ benchmarks, same form) holds the same kernels in NumPy, Numba and multiprocessing, named
family/py_<how>/params. They join the chapter's tables (speedup against the C++ serial row, and a
"vs Python" column on the C++ rows: the fastest Python row of the same size over this row), and a
section "Python beside C++" compares the best C++ row of each kernel with each kind of Python, the
issue's goals beside the ratios, and each C++ kernel called from Python (py_wb_kernels) with the same
kernel called from C++ (the row named by the Python row's wb_cpp_twin). Rows the Python run could not
run (Numba missing) or whose result disagreed with C++ are listed with the reason.
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
FLOPS = "flops"              # the counter (floating-point operations per second) of a kernel benchmark
THREAD_PARAMS = ("threads", "procs", "workers")
ONE_THREAD_VARIANTS = ("serial", "baseline")
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
    name: str = ""              # the benchmark's name without /real_time, /repeats:N and the like
    python: bool = False        # from the chapter's Python run (NN_slug.python.json)
    twin: str = ""              # a Python row calling C++: the name of the same kernel's C++ row

    @property
    def flops(self) -> float | None:
        """FLOP/s from the counter "flops"; None when the benchmark does not report it."""
        v = self.counters.get(FLOPS)
        return float(v) if v else None

    @property
    def intensity(self) -> float | None:
        """Arithmetic intensity, FLOP per byte: the flops rate over the bytes rate of the same run."""
        f = self.flops
        return f / self.bytes_per_second if f and self.bytes_per_second else None

    @property
    def threads(self) -> int | None:
        """The thread (or process) count the name gives: its `threads`, `procs` or `workers` param, 1 for
        a `serial` or `baseline` variant; None when the name does not say (then it ran on all cores)."""
        for p in THREAD_PARAMS:
            v = numeric(self.params.get(p, ""))
            if v is not None:
                return int(v)
        return 1 if self.variant in ONE_THREAD_VARIANTS else None

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
    python_context: dict = field(default_factory=dict)         # the Python run's stamp, if any
    python_missing: list[tuple[str, str]] = field(default_factory=list)  # (name, why) of rows not run

    @property
    def llc_bytes(self) -> float | None:
        """The last-level cache edge the benchmark main measured, None when not recorded."""
        try:
            v = float(self.context.get("wb_llc_bytes_measured", ""))
        except ValueError:
            return None
        return v if v > 0 else None


def short_name(name: str) -> str:
    """The name as the tables print it: without /real_time, /repeats:N, /min_time:... and the like."""
    kept = [t for t in name.split("/")
            if t not in IGNORED_TOKENS and not (":" in t and t.split(":", 1)[0] in IGNORED_PARAMS)]
    return "/".join(kept)


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
                        b.get("bytes_per_second"), b.get("items_per_second"), counters, b.get("label", ""),
                        short_name(name), twin=b.get("wb_cpp_twin", "")))
    return Run(data.get("context", {}), rows)


def load_python(run: Run | None, path: Path) -> Run | None:
    """The chapter's run with its Python rows (path: NN_slug.python.json) added, marked python=True."""
    py = load_run(path)
    if py is None:
        return run
    data = json.loads(path.read_text())
    if run is None:
        run = Run(dict(py.context), [])
    for r in py.rows:
        r.python = True
    run.rows += py.rows
    run.python_context = py.context
    run.python_missing = [(b.get("name", "?"), b.get("error_message", "")) for b in data.get("benchmarks", [])
                          if b.get("error_occurred")]
    return run


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


def fmt_flops(v: float | None) -> str:
    return "" if not v else f"{v / 1e9:.3g} GFLOP/s"


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


def plot_metric(rows: list[Row]) -> str:
    """What a figure's y axis shows (one unit for every line of it): GFLOP/s where every row counts its
    flops, else GB/s where every row has bytes, else items/s where every row has items, else time."""
    if rows and all(r.flops for r in rows):
        return "flops"
    if rows and all(r.bytes_per_second for r in rows):
        return "bytes"
    if rows and all(r.items_per_second for r in rows):
        return "items"
    return "time"


def plot_value(r: Row, rows: list[Row], sp: dict, param: str, is_threads: bool,
               metric: str | None = None) -> float | None:
    """What a plot shows for one row: speedup against threads, else the figure's metric (plot_metric;
    by default the first of GB/s, items/s and time that the row has)."""
    if is_threads:
        y = sp.get(r.key)
        if y is None:  # no serial baseline: speedup against the variant's own 1-thread time
            others = {k: v for k, v in r.params.items() if k != param}
            one = [q for q in rows if q.variant == r.variant and q.params.get(param) == "1" and
                   {k: v for k, v in q.params.items() if k != param} == others]
            y = one[0].seconds / r.seconds if one else None
        return y
    if metric == "flops":
        return r.flops / 1e9 if r.flops else None
    if metric == "items":
        return r.items_per_second / 1e6 if r.items_per_second else None
    if metric == "time":
        return r.seconds * 1e3
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
        metric = plot_metric([r for r in all_rows if param in r.params])
        # series[(others, variant, src)] = [(x, y)]
        series = defaultdict(list)
        for src, rows in runs.items():
            for r in rows:
                if param in r.params:
                    y = plot_value(r, rows, speedup[src], param, is_threads, metric)
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
                y = plot_value(flat[0], runs[src], {}, param, False, metric) if len(flat) == 1 else None
                if base and y is not None and not is_threads:
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
        ylabel = "speedup" if is_threads else {"flops": "GFLOP/s", "bytes": "GB/s", "items": "million items/s",
                                                "time": "ms per iteration"}[metric]
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
            {"flops": "floating-point rate", "bytes": "bandwidth", "items": "rate", "time": "time"}[metric]
        styles = [f"solid lines {LONG_NAME['local']}" if "local" in sources_drawn else "",
                  f"dashed the {LONG_NAME['reference']}" if "reference" in sources_drawn else ""]
        caption = f"{family}: {what} against {param}; " + ", ".join(x for x in styles if x)
        if dropped > 0:
            caption += f" ({dropped} more settings in the table only)"
        made.append((name, caption))
    return made


# --------------------------------------------------------------------------------------------
# The roofline: chapter 00's roofs, every kernel with flops and bytes as a point
# --------------------------------------------------------------------------------------------
MACHINE_KEYS = ("wb_cpu_model", "wb_vector_isa", "wb_logical_cores", "host_name")


def machine_id(ctx: dict) -> tuple | None:
    """What identifies the machine of a run: CPU model, vector ISA, cores and host name from the stamp;
    None when the run records no CPU model (then no run can be said to share its machine)."""
    if not ctx or not ctx.get("wb_cpu_model"):
        return None
    return tuple(str(ctx.get(k, "")) for k in MACHINE_KEYS)


def same_machine(a: dict, b: dict) -> bool:
    ida, idb = machine_id(a), machine_id(b)
    return ida is not None and ida == idb


def machine_short(ctx: dict) -> str:
    return (f"{ctx.get('wb_cpu_model', '?')} ({ctx.get('wb_vector_isa', '?')}), "
            f"{ctx.get('wb_logical_cores', ctx.get('num_cpus', '?'))} logical cores, host "
            f"{ctx.get('host_name', '?')}")


@dataclass
class Roofs:
    """Chapter 00's measured roofs: FMA peak (FLOP/s) and memory bandwidth (bytes/s), for all cores and
    for one core (None where the run has no such row). `missing` says why a roof is absent."""
    context: dict
    peak: float | None = None
    peak1: float | None = None
    bw: float | None = None
    bw1: float | None = None
    peak_source: str = ""
    missing: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return bool(self.peak and self.bw)

    def for_threads(self, threads: int | None) -> tuple[float | None, float | None, str]:
        """The roofs that apply to a benchmark on `threads` threads: one core's for one thread (where
        chapter 00 measured both of one core's roofs), all cores' otherwise."""
        if threads == 1 and self.peak1 and self.bw1:
            return self.peak1, self.bw1, "1 core"
        return self.peak, self.bw, "all cores"

    def peak_for(self, r: Row) -> float | None:
        return self.for_threads(r.threads)[0]


def flops_of_peak_row(r: Row) -> float | None:
    """Chapter 00's flops benchmarks: the counter "flops", else "GFLOP/s", else items (= flops)."""
    if r.flops:
        return r.flops
    if r.counters.get("GFLOP/s"):
        return float(r.counters["GFLOP/s"]) * 1e9
    return r.items_per_second


def measured_roofs(run: Run | None) -> Roofs | None:
    """The roofs of chapter 00's run; None when there is no run."""
    if run is None:
        return None
    roofs = Roofs(run.context)
    flops_rows = [r for r in run.rows if r.family == "flops" and flops_of_peak_row(r)]
    peak_rows = [r for r in flops_rows if r.variant == "peak"]
    if peak_rows:
        roofs.peak_source = "`flops/peak`"
    elif flops_rows:
        peak_rows = flops_rows
        roofs.peak_source = ("the best `flops/*` rate (this run has no `flops/peak`: "
                             "a lower bound of the peak)")
    if peak_rows:
        roofs.peak = max(flops_of_peak_row(r) for r in peak_rows)
        one = [flops_of_peak_row(r) for r in peak_rows if r.threads == 1]
        roofs.peak1 = max(one) if one else None
    else:
        roofs.missing.append("chapter 00's run has no `flops` benchmark: no compute roof")
    roofs.bw = bandwidth(run)
    one_thread = Run(run.context, [r for r in run.rows if r.threads == 1])
    roofs.bw1 = bandwidth(one_thread)
    if not roofs.bw:
        roofs.missing.append("chapter 00's run has no `stream` benchmark with bytes per second: no memory roof")
    return roofs


@dataclass
class Point:
    chapter: str
    row: Row
    intensity: float
    flops: float
    cores: str = ""          # "1 core" or "all cores": which roofs apply
    wall: str = ""           # "memory" or "compute"
    share: float | None = None  # flops over the roof at this intensity
    where: str = "unknown"   # where its data lives: placement() against its run's measured cache edge

    @property
    def in_cache(self) -> bool:
        return self.where in ("cache", "partly")


def place(chapter: str, r: Row, roofs: Roofs | None, llc: float | None = None) -> Point:
    pt = Point(chapter, r, r.intensity, r.flops, where=placement(r, llc))
    if roofs and roofs.complete:
        peak, bw, pt.cores = roofs.for_threads(r.threads)
        memory_roof = pt.intensity * bw
        pt.wall = "memory" if memory_roof < peak else "compute"
        pt.share = pt.flops / min(peak, memory_roof)
    return pt


def roofline_points(chapters: "OrderedDict[str, Run | None]", roofs: Roofs | None
                    ) -> tuple[list[Point], list[tuple[str, str]]]:
    """One point per kernel variant (family/variant) with flops and bytes: its fastest row. Chapters
    measured on another machine than chapter 00 give no point; they are returned as (chapter, why)."""
    points, skipped = [], []
    for nn, run in chapters.items():
        if run is None:
            continue
        rows = [r for r in run.rows if r.intensity]
        if not rows:
            continue
        if roofs is not None and not same_machine(roofs.context, run.context):
            skipped.append((nn, f"{len(rows)} benchmarks measured on {machine_short(run.context)}, "
                                f"chapter 00 on {machine_short(roofs.context)}"))
            continue
        best: "OrderedDict[tuple, Row]" = OrderedDict()
        for r in rows:
            k = (r.family, r.variant)
            if k not in best or r.flops > best[k].flops:
                best[k] = r
        points += [place(nn, r, roofs, run.llc_bytes) for r in best.values()]
    return points, skipped


def label_positions(xy: list[tuple[float, float]], texts: list[str], box: tuple[float, float, float, float],
                    char_w: float = 5.0, height: float = 10.0) -> list[tuple[float, float]]:
    """Where to write each point's label (pixel offsets from the point) so that no two labels overlap
    and none leaves the axes box (x0, y0, x1, y1 in pixels): the first free spot on rings around it."""
    placed = []
    order = sorted(range(len(xy)), key=lambda i: (xy[i][1], xy[i][0]))
    offsets = [(dx * ring, dy * ring) for ring in (1, 2, 3, 4, 6)
               for dx, dy in ((1, 0), (1, 1), (1, -1), (-1, 0), (-1, 1), (-1, -1), (0, 1.2), (0, -1.2))]
    result: dict[int, tuple[float, float]] = {}
    for i in order:
        x, y = xy[i]
        w = char_w * len(texts[i]) + 2
        chosen = None
        for dx, dy in offsets:
            ox, oy = dx * 6, dy * 6
            left = x + ox if dx >= 0 else x + ox - w
            bottom = y + oy - height / 2
            rect = (left, bottom, left + w, bottom + height)
            if rect[0] < box[0] or rect[2] > box[2] or rect[1] < box[1] or rect[3] > box[3]:
                continue
            if any(not (rect[2] <= q[0] or rect[0] >= q[2] or rect[3] <= q[1] or rect[1] >= q[3]) for q in placed):
                continue
            chosen = (rect[0] - x, oy)
            placed.append(rect)
            break
        result[i] = chosen if chosen is not None else (6.0, 0.0)
    return [result[i] for i in range(len(xy))]


CHAPTER_COLOURS = [plt.get_cmap("tab10")(i) for i in (0, 1, 2, 3, 4, 5, 6, 8, 9)]  # 7 (grey) is for roofs


def plot_roofline(points: list[Point], roofs: Roofs, src: str, img_dir: Path) -> str:
    """The roofline figure of one run; returns the image's name."""
    fig, ax = plt.subplots(figsize=(PLOT_MAX_WIDTH, 5.6), dpi=PLOT_DPI)
    xs = [p.intensity for p in points]
    ridge = roofs.peak / roofs.bw
    lo = min(xs + [ridge]) / 4
    hi = max(xs + [ridge]) * 4
    grid = [lo * (hi / lo) ** (i / 200) for i in range(201)]
    handles = []
    for peak, bw, style, what in ((roofs.peak, roofs.bw, "-", "all cores"), (roofs.peak1, roofs.bw1, "--", "one core")):
        if not (peak and bw):
            continue
        ax.plot(grid, [min(peak, x * bw) for x in grid], style, color="dimgrey", linewidth=1.6)
        handles.append(Line2D([], [], color="dimgrey", linestyle=style, linewidth=1.6,
                              label=f"roof, {what}: {peak / 1e9:.3g} GFLOP/s, {bw / 1e9:.3g} GB/s"))
    chapters = list(OrderedDict.fromkeys(p.chapter for p in points))
    colour = {nn: CHAPTER_COLOURS[int(nn) % len(CHAPTER_COLOURS)] if nn.isdigit() else "black" for nn in chapters}
    for p in points:
        one = p.cores == "1 core"
        ax.plot([p.intensity], [p.flops], "s" if p.in_cache else "o", markersize=6, color=colour[p.chapter],
                markerfacecolor="white" if one else colour[p.chapter], markeredgewidth=1.4)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(lo, hi)
    ys = [p.flops for p in points] + [roofs.peak]
    ax.set_ylim(min(ys + [lo * roofs.bw]) / 3, roofs.peak * 3)
    ax.set_xlabel("arithmetic intensity (FLOP per byte)")
    ax.set_ylabel("FLOP/s")
    ax.grid(True, which="both", alpha=0.25)
    ax.set_title(f"Roofline, {LONG_NAME[src]}: {machine_short(roofs.context)}", fontsize=9)
    for nn in chapters:
        handles.append(Line2D([], [], color=colour[nn], marker="o", linestyle="", label=f"chapter {nn}"))
    if any(p.cores == "1 core" for p in points):
        handles.append(Line2D([], [], color="black", marker="o", markerfacecolor="white", linestyle="",
                              label="hollow: one thread (one core's roofs)"))
    if any(p.in_cache for p in points):
        handles.append(Line2D([], [], color="black", marker="s", linestyle="",
                              label="square: data in a cache (may pass the memory roof)"))
    legend_rows = math.ceil(len(handles) / 3)
    fig.set_figheight(fig.get_figheight() + 0.2 * legend_rows)
    legend_h = (0.2 * legend_rows + 0.2) / fig.get_figheight()
    fig.legend(handles=handles, loc="lower center", ncol=min(3, len(handles)), fontsize=8, frameon=False,
               bbox_to_anchor=(0.5, 0.0))
    fig.tight_layout(rect=(0, legend_h, 1, 1))
    # Numbers beside the points, placed so that none covers another.
    fig.canvas.draw()
    pix = [tuple(ax.transData.transform((p.intensity, p.flops))) for p in points]
    bbox = ax.get_window_extent()
    texts = [str(i + 1) for i in range(len(points))]
    offsets = label_positions(pix, texts, (bbox.x0, bbox.y0, bbox.x1, bbox.y1),
                              char_w=5.0 * PLOT_DPI / 100, height=9.0 * PLOT_DPI / 100)
    for p, t, (ox, oy) in zip(points, texts, offsets):
        far = abs(oy) > 8 or ox > 8 or ox < -8 - 5 * len(t)  # beyond the first ring: a thin leader line
        ax.annotate(t, (p.intensity, p.flops), xytext=(ox * 72 / PLOT_DPI, oy * 72 / PLOT_DPI),
                    textcoords="offset points", fontsize=7, ha="left", va="center", color=colour[p.chapter],
                    arrowprops=dict(arrowstyle="-", color=colour[p.chapter], alpha=0.5, linewidth=0.6,
                                    shrinkA=0, shrinkB=3) if far else None)
    name = f"roofline_{src}.png"
    fig.savefig(img_dir / name)
    plt.close(fig)
    return name


ROOFLINE_INTRO = (
    "The roofline places every kernel of the workbook against what chapter 00 measured on the same "
    "machine: the FMA peak ({peak_source}) and the memory bandwidth (the best `stream` rate over arrays at "
    "least {beyond:g} times the measured last-level cache). A kernel that does *I* floating-point operations "
    "per byte it moves can run no faster than min(peak, *I* × bandwidth): left of the ridge (the corner, at "
    "peak / bandwidth FLOP per byte) memory is the wall, right of it the arithmetic units.\n\n"
    "A point is a benchmark that reports the counter `flops` (FLOP/s) and its bytes "
    "(`wb::bench::report_bytes`): *x* = flops / bytes per second, *y* = flops. Each kernel variant "
    "(family/variant) appears once, at its fastest configuration; the chapter pages have every row. A "
    "benchmark on one thread (`threads:1`, or a `serial`/`baseline` variant) is held to one core's roofs "
    "(hollow points), the others to all cores'. \"Share of the roof\" is the point's FLOP/s over the roof "
    "at its intensity; the memory roof is the bandwidth of memory, so a kernel whose data stays in a cache "
    "(at most {beyond:g} times the measured cache edge: square points) may pass it. How each benchmark "
    "counts its flops is said in its `bench.cpp` (a library call such as `exp` is an estimate).")


def roofline_section(src: str, chapters: "OrderedDict[str, Run | None]", ch00: str | None, img_dir: Path) -> list[str]:
    out = [f"## {LONG_NAME[src].capitalize()} {{#roofline_{src}}}", ""]
    roofs = measured_roofs(chapters.get(ch00) if ch00 else None)
    if roofs is None:
        why = ("chapter 00 has not been run on this machine: run `./wb bench 00` (or `./wb all`), then "
               "`./wb docs`" if src == "local" else
               "the committed `docs/reference/` has no chapter 00 file")
        out += [f"No roofline: {why}. Its peak and bandwidth are the roofs.", ""]
        points, _ = roofline_points(chapters, None)
        if points:
            out += [f"{len(points)} kernel variants report flops and bytes, waiting for the roofs.", ""]
        return out
    points, skipped = roofline_points(chapters, roofs)
    if not roofs.complete:
        out += ["No roofline: " + "; ".join(roofs.missing) + ".", ""]
    elif not points:
        out += [f"Roofs: {fmt_flops(roofs.peak)} and {fmt_rate(roofs.bw, True)} (all cores). " +
                ("No point: every benchmark with flops and bytes was measured on another machine (below)."
                 if skipped else
                 "No benchmark of this run reports both the counter `flops` and its bytes yet: a run of the "
                 "current benchmarks adds them."), ""]
    else:
        name = plot_roofline(points, roofs, src, img_dir)
        out += [f"![Roofline, {LONG_NAME[src]}: every kernel against chapter 00's peak and bandwidth]({name})", ""]
        out += [f"Roofs (peak from {roofs.peak_source}): all cores {fmt_flops(roofs.peak)} and "
                f"{fmt_rate(roofs.bw, True)} "
                f"(ridge at {roofs.peak / roofs.bw:.3g} FLOP/byte)"
                + (f"; one core {fmt_flops(roofs.peak1)} and {fmt_rate(roofs.bw1, True)} "
                   f"(ridge at {roofs.peak1 / roofs.bw1:.3g} FLOP/byte)" if roofs.peak1 and roofs.bw1 else "")
                + ".", ""]
        out += ["| # | chapter | benchmark | data | FLOP/byte | GFLOP/s | roofs of | wall | share of the roof |",
                "|---|---|---|---|---|---|---|---|---|"]
        for i, p in enumerate(points):
            data = fmt_bytes(p.row.working_set)
            data += {"cache": " (in cache)", "partly": " (partly in cache)", "memory": "", "unknown": ""}[p.where]
            share = "" if p.share is None else f"{100 * p.share:.0f}%"
            wall = p.wall + ("*" if p.wall == "memory" and p.in_cache else "")
            out.append(f"| {i + 1} | @ref results_ch{p.chapter} \"{p.chapter}\" | `{p.row.name}` | {data} | "
                       f"{p.intensity:.3g} | {p.flops / 1e9:.3g} | {p.cores} | {wall} | {share} |")
        out.append("")
        if any(p.wall == "memory" and p.in_cache for p in points):
            out += ["\\* Left of the ridge, but its data stays in a cache: the memory roof (the bandwidth of "
                    "memory) does not bind it, and its share of that roof can pass 100%.", ""]
    if skipped:
        out += ["Not drawn, because their machine is not chapter 00's (roofs and points of different "
                "machines are never mixed; a run of every chapter on one machine draws them):", ""]
        out += [f"- chapter {nn}: {why}" for nn, why in skipped]
        out.append("")
    return out


def roofline_page(runs: dict[str, dict[str, Run | None]], folders: list[str], img_dir: Path) -> str:
    ch00 = next((f for f in folders if f.startswith("00_")), None)
    peak_source = "family `flops`, variant `peak`"
    out = ["# Roofline {#results_roofline}", "",
           "Generated by `tools/results_to_docs.py` from the benchmark JSON of every chapter (the "
           "workbook's reference solutions, not your exercises). Back to @ref results.", "",
           ROOFLINE_INTRO.format(peak_source=peak_source, beyond=BEYOND_CACHE), ""]
    for src in SOURCES:
        chapters = OrderedDict((f[:2], runs[f][src]) for f in folders)
        out += roofline_section(src, chapters, ch00[:2] if ch00 else None, img_dir)
    return "\n".join(out)


# --------------------------------------------------------------------------------------------
# The memory staircase: latency and bandwidth against the working set
# --------------------------------------------------------------------------------------------
STAIR_FAMILIES = {"latency": "ns_per_load", "bandwidth": None}  # family -> the counter it needs (None: bytes/s)
SIZE_PARAMS = ("bytes", "size")
EDGE_LEVELS = ("l1", "l2", "l3")


def stair_point(r: Row) -> tuple[str, float, float] | None:
    """(line, working-set bytes, value) of a staircase benchmark, None for any other: family `latency`
    with the counter ns_per_load (value: ns per load), or family `bandwidth` with bytes per second (value:
    GB/s); the size is the name's last number (latency/chase/4096), its `bytes` param, or else the
    working_set counter. The line is the variant without the size."""
    if r.family not in STAIR_FAMILIES:
        return None
    counter = STAIR_FAMILIES[r.family]
    value = r.counters.get(counter) if counter else (r.bytes_per_second / 1e9 if r.bytes_per_second else None)
    if not value:
        return None
    parts = r.variant.split("/")
    size = None
    if parts and numeric(parts[-1]) is not None:
        size = numeric(parts[-1])
        parts = parts[:-1]
    for p in SIZE_PARAMS:
        if size is None and numeric(r.params.get(p, "")) is not None:
            size = numeric(r.params[p])
    if size is None:
        size = r.working_set
    if not size or size <= 0:
        return None
    others = " ".join(f"{k}={v}" for k, v in r.params.items() if k not in SIZE_PARAMS)
    line = " ".join(x for x in ("/".join(parts) or r.family, others) if x and x != "-")
    return line, float(size), float(value)


def staircase_series(rows: list[Row]) -> dict[str, dict[str, list[tuple[float, float]]]]:
    """{family: {line: [(bytes, value), ...] sorted}} for lines of three sizes or more."""
    out: dict[str, dict[str, list]] = {}
    for r in rows:
        pt = stair_point(r)
        if pt:
            out.setdefault(r.family, {}).setdefault(pt[0], []).append((pt[1], pt[2]))
    return {f: {k: sorted(v) for k, v in lines.items() if len(v) >= 3} for f, lines in out.items()
            if any(len(v) >= 3 for v in lines.values())}


def cache_edges(run: Run | None) -> dict[str, float]:
    """The cache edges a chapter detected: context keys (or counters on any row) edge_l1_bytes,
    edge_l2_bytes, edge_l3_bytes; absent levels are left out."""
    if run is None:
        return {}
    edges = {}
    for lvl in EDGE_LEVELS:
        key = f"edge_{lvl}_bytes"
        v = ctx_float(run.context, key) or ctx_float(run.context, "wb_" + key)
        if not v:
            found = sorted(float(r.counters[key]) for r in run.rows if r.counters.get(key))
            v = found[len(found) // 2] if found else None
        if v and v > 0:
            edges[lvl] = v
    return edges


def size_label(v: float) -> str:
    for unit, scale in (("GiB", 1 << 30), ("MiB", MiB), ("KiB", 1 << 10)):
        if v >= scale:
            q = v / scale
            return f"{q:.0f} {unit}" if q.is_integer() else f"{q:.3g} {unit}"
    return f"{v:.0f} B"


def size_ticks(lo: float, hi: float, most: int = 8) -> list[float]:
    """Powers of two from lo to hi (bytes), every k-th so that at most `most` remain."""
    first, last = math.floor(math.log2(lo)), math.ceil(math.log2(hi))
    step = max(1, math.ceil((last - first + 1) / most))
    return [2.0 ** e for e in range(first, last + 1, step)]


def plot_staircase(chapter: str, runs: dict[str, Run | None], img_dir: Path) -> tuple[str, str] | None:
    """Latency and bandwidth against the working set, this machine solid and the reference run dashed,
    with the last-level cache edge of each run's stamp and the edges the chapter detected."""
    series = {src: staircase_series(runs[src].rows) if runs[src] else {} for src in SOURCES}
    families = [f for f in STAIR_FAMILIES if any(f in series[s] for s in SOURCES)]
    if not families:
        return None
    ncols = len(families)
    fig, axes = plt.subplots(1, ncols, figsize=(PLOT_MAX_WIDTH if ncols == 2 else 6.0, PANEL_HEIGHT + 0.6),
                             dpi=PLOT_DPI, squeeze=False)
    lines = list(OrderedDict.fromkeys(k for s in SOURCES for f in families for k in series[s].get(f, {})))
    palette = [plt.get_cmap("tab10")(i) for i in range(10) if i != 7]
    colour = {k: palette[i % len(palette)] for i, k in enumerate(lines)}
    edge_colour = {"l1": "tab:green", "l2": "tab:orange", "l3": "tab:red"}
    handles = [Line2D([], [], color=colour[k], marker="o", markersize=4, label=k) for k in lines]
    extras: "OrderedDict[str, Line2D]" = OrderedDict()
    sizes = [x for s in SOURCES for f in families for pts in series[s].get(f, {}).values() for x, _ in pts]
    drawn = set()
    for ax, family in zip(axes[0], families):
        for src in SOURCES:
            for k, pts in series[src].get(family, {}).items():
                ax.plot([p[0] for p in pts], [p[1] for p in pts], "-o" if src == "local" else "--x",
                        color=colour[k], alpha=0.95 if src == "local" else 0.55, markersize=4)
                drawn.add(src)
            run = runs[src]
            if not run:
                continue
            style = "-" if src == "local" else "--"
            if run.llc_bytes:
                ax.axvline(run.llc_bytes, color="grey", alpha=0.45, linewidth=3, linestyle=style)
                extras.setdefault(f"last-level cache edge, {LONG_NAME[src]} (start-up sweep)",
                                  Line2D([], [], color="grey", alpha=0.45, linewidth=3, linestyle=style))
            for lvl, v in cache_edges(run).items():
                ax.axvline(v, color=edge_colour[lvl], alpha=0.8, linewidth=1, linestyle=":" if src == "local" else "-.")
                extras.setdefault(f"{lvl.upper()} edge the chapter found, {LONG_NAME[src]}",
                                  Line2D([], [], color=edge_colour[lvl], alpha=0.8, linewidth=1,
                                         linestyle=":" if src == "local" else "-."))
        ax.set_xscale("log", base=2)
        ticks = size_ticks(min(sizes), max(sizes))
        ax.set_xticks(ticks)
        ax.set_xticklabels([size_label(t) for t in ticks], rotation=45, ha="right", fontsize=7)
        ax.minorticks_off()
        ax.set_xlabel("working set")
        if family == "latency":
            ax.set_yscale("log")
            ax.set_ylabel("ns per load")
            ax.set_title("latency (pointer chase)", fontsize=9)
        else:
            ax.set_ylim(0, ax.get_ylim()[1] * 1.05)
            ax.set_ylabel("GB/s")
            ax.set_title("bandwidth", fontsize=9)
        ax.grid(True, alpha=0.3)
    if "local" in drawn:
        handles.append(Line2D([], [], color="dimgrey", linestyle="-", marker="o", markersize=4,
                              label=f"solid: {LONG_NAME['local']}"))
    if "reference" in drawn:
        handles.append(Line2D([], [], color="dimgrey", linestyle="--", marker="x", markersize=4, alpha=0.7,
                              label=f"dashed: {LONG_NAME['reference']}"))
    for label, h in extras.items():
        h.set_label(label)
        handles.append(h)
    per_row = 2
    legend_rows = math.ceil(len(handles) / per_row)
    fig.set_figheight(fig.get_figheight() + 0.2 * legend_rows)
    legend_h = (0.2 * legend_rows + 0.15) / fig.get_figheight()
    fig.legend(handles=handles, loc="lower center", ncol=per_row, fontsize=8, frameon=False, bbox_to_anchor=(0.5, 0.0))
    fig.suptitle(f"Chapter {chapter}: the memory staircase", fontsize=10)
    fig.tight_layout(rect=(0, legend_h, 1, 1))
    name = f"ch{chapter}_staircase.png"
    fig.savefig(img_dir / name)
    plt.close(fig)
    caption = ("the memory staircase: " + " and ".join(
        "latency (ns per load)" if f == "latency" else "bandwidth (GB/s)" for f in families) +
        " against the working set (log scale); vertical lines: the cache edges")
    return name, caption


def staircase_section(chapter: str, runs: dict[str, Run | None], img_dir: Path) -> list[str]:
    made = plot_staircase(chapter, runs, img_dir)
    if not made:
        return []
    name, caption = made
    out = ["## The memory staircase", "", f"![{caption}]({name})", "",
           "Each step is a level of the memory hierarchy: while the working set fits in a cache, a load "
           "costs that cache's latency and a sweep gets its bandwidth. The thick grey line is the "
           "last-level cache edge the benchmark main measured at start-up (a read sweep); the thin dotted "
           "ones are the edges this chapter's benchmarks detected, where they record them."]
    for src in SOURCES:
        edges = cache_edges(runs[src])
        if edges:
            out[-1] += (f" Edges found ({LONG_NAME[src]}): " +
                        ", ".join(f"{lvl.upper()} {fmt_bytes(v)}" for lvl, v in edges.items()) + ".")
    out.append("")
    return out


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


# --------------------------------------------------------------------------------------------
# Python beside C++
# --------------------------------------------------------------------------------------------
PY_KINDS = ("NumPy", "Numba, one thread", "Numba, all cores", "process pool")
NOT_SIZE = set(THREAD_PARAMS) | {"chunk"}   # params that say how a kernel ran, not how much it did
# The goals: how many times faster the workbook's best C++ must be than each kind of Python.
PY_GOALS = {"Numba, all cores": 2.0, "NumPy": 10.0, "process pool": 10.0}
TWIN_GOAL = 0.05  # a C++ kernel called from Python: at most this much slower than from C++


def doxygen_text(text: str) -> str:
    """Free text (a benchmark's label) safe in a Doxygen page: outside `code spans`, @ and \\ would start
    a Doxygen command (`@njit` does), so they are escaped."""
    parts = text.split("`")
    for i in range(0, len(parts), 2):
        parts[i] = re.sub(r"([@\\])", r"\\\1", parts[i])
    return "`".join(parts)


def py_kind(variant: str) -> str:
    """Which kind of Python code a py_* variant is (PY_KINDS), "C++ from Python" for py_wb_kernels."""
    if variant.startswith("py_wb_kernels"):
        return "C++ from Python"
    if variant.startswith("py_numpy") or variant in ("py_dot", "py_convolve"):
        return "NumPy"
    # One-thread Numba: plain @njit (also with fastmath=True, or tiled loops), @vectorize on one core.
    if variant in ("py_numba", "py_vectorize", "py_fastmath", "py_tiled", "py_numba_aos"):
        return "Numba, one thread"
    if variant.startswith(("py_numba_", "py_vectorize_", "py_guvectorize")):
        return "Numba, all cores"
    if variant.startswith(("py_pool", "py_futures", "py_shm")):
        return "process pool"
    return "other Python"


def size_key(r: Row) -> tuple:
    return tuple((k, v) for k, v in r.params.items() if k not in NOT_SIZE)


def fastest_python(r: Row, rows: list[Row]) -> Row | None:
    """The fastest Python row (not a C++ call) of the same size as r, among rows."""
    same = [q for q in rows if q.python and py_kind(q.variant) != "C++ from Python" and size_key(q) == size_key(r)]
    return min(same, key=lambda q: q.seconds) if same else None


def python_stamp(ctx: dict) -> str:
    nb = ctx.get("wb_numba", "?")
    if nb.startswith("missing"):
        numba = f"Numba {nb}"
    else:
        numba = (f"Numba {nb} (threading layer {ctx.get('wb_numba_threading_layer', '?')}, "
                 f"{ctx.get('wb_numba_threads', '?')} threads)")
    return (f"{ctx.get('wb_python', '?')}, NumPy {ctx.get('wb_numpy', '?')}, {numba}; module wb_kernels "
            f"{ctx.get('wb_wb_kernels', '?')}; {ctx.get('wb_date', '?')}")


def python_section(runs: dict[str, "Run | None"]) -> list[str]:
    """The section "Python beside C++": per kernel and size the best C++ row against the best row of
    each kind of Python, with the goals; each C++ kernel called from Python against its C++ twin; the
    Python rows that did not run and why."""
    srcs = [src for src in SOURCES if runs[src] and (runs[src].python_context or any(r.python for r in runs[src].rows))]
    if not srcs:
        return []
    out = ["## Python beside C++", "",
           "The same kernels written the way NumPy and Numba users write them (`python/wbpy/`), run right "
           "after the C++ benchmarks at the same sizes on the same inputs, each result checked against the "
           "C++ result (a row whose result disagreed would be listed below as not run). Times are medians "
           "of three repetitions, without the first call; the first call, where Numba compiles, is the "
           "column `first_call_ms` of the tables below. Each cell gives the fastest row of that kind and "
           "how many times faster the workbook's fastest C++ row of the same kernel and size is "
           "(**bold**: the goal of at least "
           + ", ".join(f"{g:g}x against {k}" for k, g in PY_GOALS.items()) + " is met). In the tables of the kernels further down, the column \"vs Python\" gives the same ratio "
           "for every C++ row: the fastest Python row of the same size over that row's time (below 1: the "
           "Python was faster).", ""]
    for src in srcs:
        run = runs[src]
        out += [f"**{LONG_NAME[src].capitalize()}:** {python_stamp(run.python_context)}", ""]
        groups: "OrderedDict[tuple, list[Row]]" = OrderedDict()
        for r in run.rows:
            groups.setdefault((r.family, size_key(r)), []).append(r)
        table = []
        for (family, size), rows in groups.items():
            py = [r for r in rows if r.python]
            cpp = [r for r in rows if not r.python]
            if not py or not cpp:
                continue
            best = min(cpp, key=lambda r: r.seconds)
            label = family + ("" if not size else " " + " ".join(f"{k}={v}" for k, v in size))
            cells = [label, f"{fmt_time(best.seconds)} ({best.label()})"]
            for kind in PY_KINDS:
                of_kind = [r for r in py if py_kind(r.variant) == kind]
                if not of_kind:
                    cells.append("")
                    continue
                q = min(of_kind, key=lambda r: r.seconds)
                ratio = q.seconds / best.seconds
                goal = PY_GOALS.get(kind)
                text = fmt_ratio(ratio)
                if goal is not None and ratio >= goal:
                    text = f"**{text}**"
                cells.append(f"{fmt_time(q.seconds)} {q.variant.removeprefix('py_')}: {text}")
            table.append("| " + " | ".join(cells) + " |")
        if table:
            out += ["| kernel | fastest C++ | " + " | ".join(PY_KINDS) + " |", "|---|---|" + "---|" * len(PY_KINDS)]
            out += table + [""]
        names = {r.name: r for r in run.rows if not r.python}
        twins = [r for r in run.rows if r.python and r.twin]
        if twins:
            out += [f"The workbook's C++ kernels called from Python (module `wb_kernels`, chapter 10) against the "
                    f"same kernel in the C++ benchmark (goal: at most {100 * TWIN_GOAL:.0f}% slower):", "",
                    "| called from Python | time | the C++ benchmark | time | from Python costs |", "|---|---|---|---|---|"]
            for r in twins:
                t = names.get(r.twin)
                extra = f"{100 * (r.seconds / t.seconds - 1):+.1f}%" if t else "(C++ row not in this run)"
                if t and r.seconds / t.seconds - 1 <= TWIN_GOAL:
                    extra = f"**{extra}**"
                out.append(f"| `{r.name}` | {fmt_time(r.seconds)} | `{r.twin}` | {fmt_time(t.seconds) if t else ''} | {extra} |")
            out.append("")
        if run.python_missing:
            out += [f"Python rows not run ({LONG_NAME[src]}):", ""]
            out += [f"- `{name}`: {doxygen_text(why)}" for name, why in run.python_missing] + [""]
    return out


def flops_cell(r: Row | None, roofs: "Roofs | None") -> str:
    """GFLOP/s, and the share of chapter 00's peak (of the same machine) in brackets."""
    if r is None or not r.flops:
        return ""
    peak = roofs.peak_for(r) if roofs else None
    share = f" ({100 * r.flops / peak:.0f}%)" if peak else ""
    return f"{r.flops / 1e9:.3g}{share}"


def chapter_page(nn: str, title: str, runs: dict[str, Run | None], bw: dict[str, float | None], img_dir: Path,
                 roofs: dict[str, "Roofs | None"] | None = None) -> str:
    out = [f"# Chapter {nn} results {{#results_ch{nn}}}", "",
           f"Generated by `tools/results_to_docs.py` from the benchmark JSON of @ref ch{nn} \"chapter {nn}: {title}\".",
           "", WHOSE_CODE.format(local=LONG_NAME["local"], ref=LONG_NAME["reference"], nn=nn), "",
           "Speedups are against the family's `serial` (or `baseline`) variant measured in the same run. "
           f"The share of memory bandwidth is given only for data at least {BEYOND_CACHE:g} times the "
           "last-level cache that the benchmark measured at start-up (a read sweep, not what the "
           "operating system reports): smaller data is served from the cache, and its rows say "
           "\"in cache\" (or \"partly in cache\"). A benchmark that counts its floating-point "
           "operations shows GFLOP/s and, in brackets, its share of chapter 00's FMA peak measured on the "
           "same machine (one core's peak for a one-thread benchmark: `threads:1`, or a `serial` or "
           "`baseline` variant; all cores' for the others). Where each kernel sits against the peak and the "
           "memory bandwidth: @ref results_roofline.",
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

    # Chapter 00's roofs, where they were measured on this run's machine.
    peak_roofs = {src: (roofs or {}).get(src) for src in SOURCES}
    peak_roofs = {src: r if r and runs[src] and same_machine(r.context, runs[src].context) else None
                  for src, r in peak_roofs.items()}
    out = out[:-1] + staircase_section(nn, runs, img_dir) + python_section(runs) + out[-1:]
    stair_families = {f for src in SOURCES if runs[src] for f in staircase_series(runs[src].rows)}
    cores = next((int(runs[s].context.get("wb_logical_cores", 0)) for s in SOURCES if runs[s]), 0) or None
    h = {src: SHORT_NAME[src] for src in SOURCES}
    for family, by_src in families.items():
        out += [f"## {family}", ""]
        sp = {src: speedups(by_src[src]) for src in SOURCES}
        # The picture first, then the table it was drawn from.
        if family in stair_families:
            out += ["Drawn above, in the memory staircase.", ""]
        else:
            for name, caption in plot_family(nn, family, by_src, sp, img_dir, cores):
                out += [f"![{caption}]({name})", ""]
        keys = list(OrderedDict.fromkeys(r.key for src in SOURCES for r in by_src[src]))
        idx = {src: {r.key: r for r in by_src[src]} for src in SOURCES}
        has_bytes = any(r.bytes_per_second for src in SOURCES for r in by_src[src])
        has_items = any(r.items_per_second for src in SOURCES for r in by_src[src])
        has_sp = any(sp[src] for src in SOURCES)
        has_ws = any(r.working_set for src in SOURCES for r in by_src[src])
        has_flops = any(r.flops for src in SOURCES for r in by_src[src])
        head = ["benchmark"]
        if has_ws:
            head += ["data"]
        head += [f"time ({h['local']})", f"time ({h['reference']})"]
        if has_bytes:
            head += [f"bandwidth ({h['local']})", f"bandwidth ({h['reference']})",
                     f"share of memory bw ({h['local']})", f"share ({h['reference']})"]
        # The rate of items too where some row has items but no bytes (a run from before the benchmark
        # reported its bytes, beside one from after).
        show_items = has_items and (not has_bytes or any(r.items_per_second and not r.bytes_per_second
                                                         for src in SOURCES for r in by_src[src]))
        if show_items:
            head += [f"rate ({h['local']})", f"rate ({h['reference']})"]
        if has_flops:
            head += [f"GFLOP/s (share of peak) ({h['local']})", f"GFLOP/s ({h['reference']})"]
        if has_sp:
            head += [f"speedup ({h['local']})", f"speedup ({h['reference']})"]
        has_py = any(r.python for src in SOURCES for r in by_src[src])
        if has_py:
            head += [f"vs Python ({h['local']})", f"vs Python ({h['reference']})"]
        # The flops counter has its own column (and chapter 00's "GFLOP/s" counter is the same figure).
        hidden = {WORKING_SET, FLOPS} | ({"GFLOP/s"} if has_flops else set())
        counter_names = list(OrderedDict.fromkeys(c for src in SOURCES for r in by_src[src] for c in r.counters
                                                  if c not in hidden))
        for c in counter_names:
            head += [f"{c} ({h['local']})", f"{c} ({h['reference']})"]
        out.append("| " + " | ".join(head) + " |")
        out.append("|" + "---|" * len(head))
        unknown_share = False
        for k in keys:
            y, rf = idx["local"].get(k), idx["reference"].get(k)
            any_row = y or rf
            note = f" ({doxygen_text(any_row.note)})" if any_row.note else ""
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
            if show_items:
                cells += [fmt_rate(y.items_per_second if y else None, False),
                          fmt_rate(rf.items_per_second if rf else None, False)]
            if has_flops:
                cells += [flops_cell(r, peak_roofs[src]) for r, src in ((y, "local"), (rf, "reference"))]
            if has_sp:
                cells += [fmt_ratio(sp["local"].get(k)), fmt_ratio(sp["reference"].get(k))]
            if has_py:
                for r, src in ((y, "local"), (rf, "reference")):
                    q = fastest_python(r, by_src[src]) if r and not r.python else None
                    cells.append(fmt_ratio(q.seconds / r.seconds) if q else "")
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
    runs = {f: {"local": load_python(load_run(args.results / f"{f}.json"), args.results / f"{f}.python.json"),
                "reference": load_python(load_run(args.reference / f"{f}.json"), args.reference / f"{f}.python.json")}
            for f in folders}
    ch00 = next((f for f in folders if f.startswith("00_")), None)
    bw = {src: bandwidth(runs[ch00][src]) if ch00 else None for src in SOURCES}
    roofs = {src: measured_roofs(runs[ch00][src]) if ch00 else None for src in SOURCES}

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
        page = chapter_page(nn, title, runs[f], bw, img_dir, roofs)
        (args.out / f"results_ch{nn}.md").write_text(page + "\n")
        index.append(f"| @subpage results_ch{nn} | {state(runs[f]['local'], 'not yet')} | "
                     f"{state(runs[f]['reference'], 'none')} |")
    index += ["", "@subpage results_roofline places every kernel that counts its floating-point operations "
              "against chapter 00's measured peak and memory bandwidth: which wall each one hits."]
    (args.out / "results_roofline.md").write_text(roofline_page(runs, folders, img_dir) + "\n")
    (args.out / "results.md").write_text("\n".join(index) + "\n")
    print(f"results_to_docs: {len(folders)} chapter pages, {len(list(img_dir.glob('*.png')))} plots in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
