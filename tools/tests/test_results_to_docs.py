#!/usr/bin/python3
"""Tests of the results-to-docs generator on small hand-made benchmark files."""
import json
import math
import struct
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import results_to_docs as r  # noqa: E402

MiB = 1 << 20
CTX = {"wb_cpu_model": "Test CPU", "wb_vector_isa": "AVX2", "wb_logical_cores": "2", "wb_compiler": "g++ 12",
       "wb_flags": "-O3", "wb_date": "2026-01-01T00:00:00Z", "host_name": "h",
       "wb_llc_bytes_measured": str(32 * MiB), "wb_llc_found": "yes",
       "wb_other_load_start": "0.05", "wb_other_load_run": "0.10", "wb_busy_threshold": "0.25"}


def bench(name, real_time, unit="ms", **extra):
    return dict(name=name, run_name=name, run_type="iteration", iterations=10, real_time=real_time,
                cpu_time=real_time, time_unit=unit, **extra)


def png_size(path: Path) -> tuple[int, int]:
    with open(path, "rb") as f:
        head = f.read(24)
    return struct.unpack(">II", head[16:24])


def table_row(page: str, label: str) -> list[str]:
    """The cells of the table row whose first cell is `label`."""
    for line in page.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells and cells[0] == label:
            return cells
    raise AssertionError(f"no row {label!r} in:\n{page}")


def section(page: str, family: str) -> str:
    """The part of a results page under `## family`."""
    return page.split(f"\n## {family}\n", 1)[1].split("\n## ", 1)[0]


class Tree:
    """A chapters/ folder, a results/ and a reference/ folder and an output folder in a temp dir."""

    def __init__(self, tmp: Path, chapters=("00_measuring", "01_loops", "02_empty")):
        self.tmp = tmp
        for d in ("results", "reference", "out"):
            (tmp / d).mkdir()
        for f in chapters:
            (tmp / "chapters" / f).mkdir(parents=True)
            (tmp / "chapters" / f / "CMakeLists.txt").write_text("wb_chapter()\n")
            (tmp / "chapters" / f / "README.md").write_text(f"# {f[:2]}: Title {f} {{#ch{f[:2]}}}\n")

    def write(self, where: str, chapter: str, context: dict, benches: list):
        (self.tmp / where / f"{chapter}.json").write_text(json.dumps({"context": context, "benchmarks": benches}))

    def run(self) -> int:
        sys.argv = ["x", "--results", str(self.tmp / "results"), "--reference", str(self.tmp / "reference"),
                    "--chapters", str(self.tmp / "chapters"), "--out", str(self.tmp / "out")]
        return r.main()

    def page(self, nn: str) -> str:
        return (self.tmp / "out" / f"results_ch{nn}.md").read_text()


class ParseName(unittest.TestCase):
    def test_family_variant_params(self):
        fam, var, params = r.parse_name("mandelbrot/pool_dynamic/chunk:16/real_time")
        self.assertEqual((fam, var, dict(params)), ("mandelbrot", "pool_dynamic", {"chunk": "16"}))

    def test_google_benchmark_threads_suffix(self):
        fam, var, params = r.parse_name("counter/atomic/real_time/threads:2")
        self.assertEqual((fam, var, dict(params)), ("counter", "atomic", {"threads": "2"}))


class DoxygenText(unittest.TestCase):
    def test_labels_cannot_start_doxygen_commands(self):
        # A Python row's label says "@njit(parallel=True)": unescaped, Doxygen warns of an unknown command.
        self.assertEqual(r.doxygen_text("@njit on `@keep` a\\b"), "\\@njit on `@keep` a\\\\b")


class Pages(unittest.TestCase):
    def test_speedup_bandwidth_share_and_plot(self):
        with tempfile.TemporaryDirectory() as tmp:
            t = Tree(Path(tmp))
            big = 256 * MiB  # 8x the 32 MiB cache edge: memory-bound
            t.write("results", "00_measuring", CTX, [
                bench("stream/triad/threads:1/real_time", 10, bytes_per_second=10e9, working_set=big),
                bench("stream/triad/threads:2/real_time", 5, bytes_per_second=20e9, working_set=big),
                # Fast because it fits in the cache: must not become "the memory bandwidth".
                bench("stream/small/threads:2/real_time", 1, bytes_per_second=90e9, working_set=MiB)])
            t.write("results", "01_loops", CTX, [
                bench("loop/serial/real_time", 8.0, bytes_per_second=5e9, working_set=big),
                bench("loop/omp/threads:1/real_time", 8.0, bytes_per_second=5e9, working_set=big),
                bench("loop/omp/threads:2/real_time", 4.0, bytes_per_second=10e9, working_set=big),
                bench("loop/omp/threads:4/real_time", 4.0, bytes_per_second=10e9, working_set=big)])
            self.assertEqual(t.run(), 0)
            page = t.page("01")
            self.assertIn("{#results_ch01}", page)
            self.assertIn("Test CPU (AVX2), 2 logical cores", page)
            # omp threads=2 runs twice as fast as serial; 10 GB/s is half of chapter 00's 20 GB/s
            # (the in-cache 90 GB/s stream row does not count as memory bandwidth).
            self.assertEqual(table_row(page, "omp threads=2"),
                             ["omp threads=2", "256 MiB", "4 ms", "", "10 GB/s", "", "50%", "", "2.00x", ""])
            self.assertTrue((t.tmp / "out" / "img" / "ch01_loop_threads.png").exists())
            # The working set is a column of its own, not one of the generic counters.
            self.assertNotIn("working_set", page)
            # A chapter with neither run still gets its page, so every @ref results_chNN resolves.
            self.assertIn("No results yet", t.page("02"))
            self.assertIn("@subpage results_ch00", (t.tmp / "out" / "results.md").read_text())

    def test_share_only_beyond_the_measured_cache(self):
        with tempfile.TemporaryDirectory() as tmp:
            t = Tree(Path(tmp))
            t.write("results", "00_measuring", CTX, [
                bench("stream/triad/real_time", 10, bytes_per_second=20e9, working_set=512 * MiB)])
            old_ctx = {k: v for k, v in CTX.items() if not k.startswith("wb_llc")}
            t.write("reference", "00_measuring", old_ctx, [bench("stream/triad/real_time", 10, bytes_per_second=20e9)])
            rows = [("sum/fits/real_time", 16 * MiB, 33e9),     # in the 32 MiB cache: 165% would be nonsense
                    ("sum/between/real_time", 64 * MiB, 25e9),  # 2x the cache: partly cached
                    ("sum/beyond/real_time", 128 * MiB, 15e9),  # 4x: from memory
                    ("sum/unsized/real_time", None, 10e9)]      # no working_set recorded
            t.write("results", "01_loops", CTX, [
                bench(n, 1, bytes_per_second=bps, **({"working_set": ws} if ws else {})) for n, ws, bps in rows])
            # An older reference file: sizes recorded, but no measured cache edge.
            t.write("reference", "01_loops", old_ctx, [
                bench(n, 1, bytes_per_second=bps, **({"working_set": ws} if ws else {})) for n, ws, bps in rows])
            self.assertEqual(t.run(), 0)
            page = t.page("01")
            share = {label: table_row(page, label)[6:8] for label in ("fits", "between", "beyond", "unsized")}
            self.assertEqual(share["fits"], ["in cache", "165%?"])
            self.assertEqual(share["between"], ["partly in cache", "125%?"])
            self.assertEqual(share["beyond"], ["75%", "75%?"])
            self.assertEqual(share["unsized"], ["50%?", "50%?"])
            self.assertIn("A share marked `?`", page)
            self.assertEqual(table_row(page, "fits")[1], "16 MiB")
            self.assertIn("last-level cache |", page)
            self.assertIn("32 MiB (read sweep at start-up)", page)
            self.assertIn("not measured", page)

    def test_stamp_records_load_and_flags_a_busy_machine(self):
        quiet = r.stamp(CTX)
        self.assertIn("other programs kept 0.05 of 2 cores busy at the start, 0.10 on average during the run", quiet)
        self.assertNotIn("busy machine", quiet)
        loud = r.stamp(dict(CTX, wb_other_load_run="1.40"))
        self.assertIn("**busy machine**", loud)
        self.assertIn("1.40 on average", loud)
        run_only = {k: v for k, v in CTX.items() if k != "wb_other_load_start"}
        self.assertIn("other programs kept 0.10 of 2 cores busy on average during the run", r.stamp(run_only))
        # Files from before the load was recorded: Google Benchmark's load average, said to be that.
        old = {k: v for k, v in CTX.items() if not k.startswith("wb_other") and k != "wb_busy_threshold"}
        old["load_avg"] = [2.15, 2.3, 2.3]
        self.assertIn("not recorded (1-minute load average 2.15", r.stamp(old))
        self.assertIsNone(r.busy(old))
        self.assertIn("at least 256 MiB", r.stamp(dict(CTX, wb_llc_found="no", wb_llc_bytes_measured=str(256 * MiB))))
        self.assertEqual(r.stamp({}), "not run yet")

    def test_pages_say_whose_code_runs(self):
        with tempfile.TemporaryDirectory() as tmp:
            t = Tree(Path(tmp))
            busy_ctx = dict(CTX, wb_other_load_run="1.50")
            t.write("results", "01_loops", busy_ctx, [bench("loop/serial/real_time", 8.0)])
            t.write("reference", "01_loops", CTX, [bench("loop/serial/real_time", 9.0)])
            self.assertEqual(t.run(), 0)
            page = t.page("01")
            self.assertIn("times the workbook's reference solutions (`solutions/`), not your exercises", page)
            self.assertIn("./wb grade 01", page)
            self.assertIn("| this machine |", page)
            self.assertIn("| reference run |", page)
            self.assertNotRegex(page.lower(), r"\byours\b|your run")
            index = (t.tmp / "out" / "results.md").read_text()
            self.assertIn("reference solutions, not your exercises", index)
            self.assertIn("yes (busy machine)", index)

    def test_plots_fit_the_page_and_label_every_line(self):
        with tempfile.TemporaryDirectory() as tmp:
            t = Tree(Path(tmp))
            # Chapter 05's shape: a size sweep with a panel per thread count (four of them), the
            # serial baseline without a thread count, and a thread sweep with a panel per size.
            benches = []
            for n in (256, 4096, 262144):
                benches.append(bench(f"chunked/serial/n:{n}/real_time", n / 1e4, items_per_second=2e7))
                for v in ("std_thread", "pool", "omp"):
                    for th in (1, 2, 3, 4):
                        benches.append(bench(f"chunked/{v}/n:{n}/threads:{th}/real_time", n / 1e4 / min(th, 2),
                                             items_per_second=2e7 * min(th, 2)))
            t.write("results", "01_loops", CTX, benches)
            t.write("reference", "01_loops", CTX, benches)
            drawn = []
            real_legend = r.plt.Figure.legend

            def spy(fig, *a, **k):
                drawn.append([h.get_label() for h in k.get("handles", [])])
                return real_legend(fig, *a, **k)

            real_ax_legend = r.plt.Axes.legend

            def ax_spy(ax, *a, **k):
                drawn.append([h.get_label() for h in k.get("handles", [])])
                return real_ax_legend(ax, *a, **k)

            r.plt.Figure.legend, r.plt.Axes.legend = spy, ax_spy
            try:
                self.assertEqual(t.run(), 0)
            finally:
                r.plt.Figure.legend, r.plt.Axes.legend = real_legend, real_ax_legend
            for name in ("ch01_chunked_n.png", "ch01_chunked_threads.png"):
                w, _ = png_size(t.tmp / "out" / "img" / name)
                self.assertLessEqual(w, r.PLOT_MAX_WIDTH * r.PLOT_DPI, name)
            # One legend per figure, naming every variant, both runs' line styles and the guides.
            self.assertEqual(len(drawn), 2)
            for labels in drawn:
                for v in ("std_thread", "pool", "omp", "solid: this machine", "dashed: reference run"):
                    self.assertIn(v, labels)
            self.assertIn("serial", drawn[0])  # the size sweep draws the baseline in every panel
            self.assertIn("ideal: speedup = threads", drawn[1])


# ------------------------------------------------------------------------------------------------
# The roofline and the memory staircase
# ------------------------------------------------------------------------------------------------
GB = 1e9
OTHER_CTX = dict(CTX, wb_cpu_model="Other CPU", host_name="elsewhere")


def kernel(name, flops, bytes_per_second, working_set, real_time=1.0, **extra):
    """A kernel benchmark as the convention has it: the counter "flops" (FLOP/s), bytes/s, working_set."""
    return bench(name, real_time, flops=flops, bytes_per_second=bytes_per_second, working_set=working_set, **extra)


def ch00_benches(peak=True, stream=True):
    """Chapter 00's roofs: peak 50 GFLOP/s on one core, 90 on two; memory 10 GB/s on one thread, 20 on two
    (beyond the 32 MiB cache), and an in-cache stream row that must not count."""
    big = 256 * MiB
    out = []
    if stream:
        out += [bench("stream/copy/threads:1/real_time", 10, bytes_per_second=10 * GB, working_set=big),
                bench("stream/copy/threads:2/real_time", 5, bytes_per_second=20 * GB, working_set=big),
                bench("stream/small/threads:2/real_time", 1, bytes_per_second=90 * GB, working_set=MiB)]
    out += [bench("flops/chains/threads:2/real_time", 1, items_per_second=40 * GB, **{"GFLOP/s": 40.0})]
    if peak:
        out += [bench("flops/peak/threads:1/real_time", 1, items_per_second=50 * GB, flops=50 * GB),
                bench("flops/peak/threads:2/real_time", 1, items_per_second=90 * GB, flops=90 * GB)]
    return out


def roofline_rows(page: str) -> dict[str, list[str]]:
    """The roofline table's rows by benchmark name (the third cell, without backticks)."""
    rows = {}
    for line in page.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 9 and cells[0].isdigit():
            rows[cells[2].strip("`")] = cells
    return rows


class Roofline(unittest.TestCase):
    def test_intensity_is_flops_over_bytes(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "x.json"
            path.write_text(json.dumps({"context": CTX, "benchmarks": [
                kernel("sum/serial/repeats:3/real_time", 1 * GB, 8 * GB, 64 * MiB),
                bench("noflops/serial/real_time", 1, bytes_per_second=8 * GB)]}))
            run = r.load_run(path)
        s, n = run.rows
        self.assertAlmostEqual(s.intensity, 0.125)
        self.assertEqual(s.name, "sum/serial")
        self.assertIsNone(n.intensity)
        self.assertEqual(s.threads, 1)  # a serial variant runs on one thread

    def test_thread_count_from_the_name(self):
        _, var, params = r.parse_name("sum/omp/threads:4/real_time")
        self.assertEqual(r.Row("sum", var, params, 1.0, None, None).threads, 4)
        _, var, params = r.parse_name("sum/shm/procs:1")
        self.assertEqual(r.Row("sum", var, params, 1.0, None, None).threads, 1)
        _, var, params = r.parse_name("mandelbrot/dynamic/chunk:4")
        self.assertIsNone(r.Row("mandelbrot", var, params, 1.0, None, None).threads)

    def test_roofs_from_chapter_00(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "00.json"
            path.write_text(json.dumps({"context": CTX, "benchmarks": ch00_benches()}))
            roofs = r.measured_roofs(r.load_run(path))
        self.assertEqual((roofs.peak, roofs.peak1), (90 * GB, 50 * GB))
        self.assertEqual((roofs.bw, roofs.bw1), (20 * GB, 10 * GB))  # not the in-cache 90 GB/s
        self.assertEqual(roofs.peak_source, "`flops/peak`")
        self.assertEqual(roofs.for_threads(1)[2], "1 core")
        self.assertEqual(roofs.for_threads(2)[2], "all cores")
        self.assertEqual(roofs.for_threads(None)[2], "all cores")

    def test_without_a_peak_benchmark_the_best_flops_rate_is_a_lower_bound(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "00.json"
            path.write_text(json.dumps({"context": CTX, "benchmarks": ch00_benches(peak=False)}))
            roofs = r.measured_roofs(r.load_run(path))
        self.assertEqual(roofs.peak, 40 * GB)  # from the "GFLOP/s" counter / items of flops/chains
        self.assertIn("lower bound", roofs.peak_source)

    def test_points_walls_and_shares(self):
        with tempfile.TemporaryDirectory() as tmp:
            t = Tree(Path(tmp), chapters=("00_measuring", "01_loops"))
            t.write("results", "00_measuring", CTX, ch00_benches())
            t.write("results", "01_loops", CTX, [
                # 0.125 FLOP/byte on one thread: one core's memory roof 0.125 x 10 GB/s = 1.25 GFLOP/s.
                kernel("sum/serial/real_time", 1 * GB, 8 * GB, 128 * MiB),
                # Its two-thread runs: the faster is the point, against all cores' roof 2.5 GFLOP/s.
                kernel("sum/omp/threads:1/real_time", 0.5 * GB, 4 * GB, 128 * MiB),
                kernel("sum/omp/threads:2/real_time", 2 * GB, 16 * GB, 128 * MiB),
                # 45 FLOP/byte, right of both ridges (4.5 and 5): compute-bound, 45 of 90 GFLOP/s.
                kernel("dense/omp/threads:2/real_time", 45 * GB, 1 * GB, 1 * MiB),
                # In the cache and left of the ridge: may pass the memory roof, and is said to.
                kernel("small/omp/threads:2/real_time", 4 * GB, 32 * GB, 1 * MiB)])
            self.assertEqual(t.run(), 0)
            page = (t.tmp / "out" / "results_roofline.md").read_text()
            rows = roofline_rows(page)
            self.assertEqual(set(rows), {"stream/copy/threads:2", "sum/serial", "sum/omp/threads:2",
                                         "dense/omp/threads:2", "small/omp/threads:2"} - {"stream/copy/threads:2"})
            # columns: # | chapter | benchmark | data | FLOP/byte | GFLOP/s | roofs of | wall | share
            self.assertEqual(rows["sum/serial"][4:], ["0.125", "1", "1 core", "memory", "80%"])
            self.assertEqual(rows["sum/omp/threads:2"][4:], ["0.125", "2", "all cores", "memory", "80%"])
            self.assertEqual(rows["dense/omp/threads:2"][4:], ["45", "45", "all cores", "compute", "50%"])
            self.assertEqual(rows["small/omp/threads:2"][3], "1 MiB (in cache)")
            self.assertEqual(rows["small/omp/threads:2"][7:], ["memory*", "160%"])
            self.assertIn("does not bind it", page)
            self.assertIn("ridge at 4.5 FLOP/byte", page)
            self.assertTrue((t.tmp / "out" / "img" / "roofline_local.png").exists())
            w, _ = png_size(t.tmp / "out" / "img" / "roofline_local.png")
            self.assertLessEqual(w, r.PLOT_MAX_WIDTH * r.PLOT_DPI)
            # The chapter table: GFLOP/s and the share of the peak that applies (one core's 50 for serial).
            ch01 = t.page("01")
            self.assertIn("GFLOP/s (share of peak) (here)", ch01)
            self.assertIn("1 (2%)", table_row(ch01, "serial"))
            self.assertIn("45 (50%)", table_row(section(ch01, "dense"), "omp threads=2"))
            self.assertIn("@ref results_roofline", ch01)
            self.assertIn("@subpage results_roofline", (t.tmp / "out" / "results.md").read_text())
            # No reference run of chapter 00: that section says why it has no roofline.
            self.assertIn("the committed `docs/reference/` has no chapter 00 file", page)

    def test_another_machine_is_listed_not_drawn(self):
        with tempfile.TemporaryDirectory() as tmp:
            t = Tree(Path(tmp), chapters=("00_measuring", "01_loops", "02_more"))
            t.write("reference", "00_measuring", CTX, ch00_benches())
            t.write("reference", "01_loops", CTX, [kernel("sum/serial/real_time", 1 * GB, 8 * GB, 128 * MiB)])
            t.write("reference", "02_more", OTHER_CTX, [kernel("sum/serial/real_time", 3 * GB, 24 * GB, 128 * MiB)])
            self.assertEqual(t.run(), 0)
            page = (t.tmp / "out" / "results_roofline.md").read_text()
            self.assertEqual([c[1] for c in roofline_rows(page).values()], ['@ref results_ch01 "01"'])
            self.assertIn("Not drawn, because their machine is not chapter 00's", page)
            self.assertRegex(page, r"- chapter 02: 1 benchmarks measured on Other CPU .*chapter 00 on Test CPU")
            # No share of a peak measured elsewhere either.
            # ... | GFLOP/s (here) | GFLOP/s (ref.) | speedup (here) | speedup (ref.)
            self.assertEqual(table_row(t.page("02"), "serial")[-4:-2], ["", "3"])
            self.assertIn("1 (2%)", table_row(t.page("01"), "serial"))
            self.assertTrue(r.same_machine(CTX, dict(CTX, wb_date="later")))
            self.assertFalse(r.same_machine(CTX, OTHER_CTX))
            self.assertFalse(r.same_machine({}, {}))  # unknown machines are never the same
        with tempfile.TemporaryDirectory() as tmp:
            t = Tree(Path(tmp), chapters=("00_measuring", "02_more"))
            t.write("reference", "00_measuring", CTX, ch00_benches())
            t.write("reference", "02_more", OTHER_CTX, [kernel("sum/serial/real_time", 3 * GB, 24 * GB, 128 * MiB)])
            self.assertEqual(t.run(), 0)
            page = (t.tmp / "out" / "results_roofline.md").read_text()
            self.assertIn("No point: every benchmark with flops and bytes was measured on another machine", page)
            self.assertFalse(list((t.tmp / "out" / "img").glob("roofline_*.png")))

    def test_missing_roofs_say_why(self):
        with tempfile.TemporaryDirectory() as tmp:
            t = Tree(Path(tmp), chapters=("00_measuring", "01_loops"))
            t.write("results", "00_measuring", CTX, ch00_benches(peak=False)[:3])  # stream only
            t.write("results", "01_loops", CTX, [kernel("sum/serial/real_time", 1 * GB, 8 * GB, 128 * MiB)])
            t.write("reference", "00_measuring", CTX, ch00_benches())
            t.write("reference", "01_loops", CTX, [bench("sum/serial/real_time", 1, bytes_per_second=8 * GB)])
            self.assertEqual(t.run(), 0)
            page = (t.tmp / "out" / "results_roofline.md").read_text()
            self.assertIn("No roofline: chapter 00's run has no `flops` benchmark: no compute roof", page)
            # The reference run has roofs but no kernel with both counters (an older run).
            self.assertIn("No benchmark of this run reports both the counter `flops` and its bytes", page)
            self.assertFalse(list((t.tmp / "out" / "img").glob("roofline_*.png")))
        with tempfile.TemporaryDirectory() as tmp:
            t = Tree(Path(tmp), chapters=("00_measuring", "01_loops"))
            t.write("results", "01_loops", CTX, [kernel("sum/serial/real_time", 1 * GB, 8 * GB, 128 * MiB)])
            self.assertEqual(t.run(), 0)
            page = (t.tmp / "out" / "results_roofline.md").read_text()
            self.assertIn("chapter 00 has not been run on this machine", page)
            self.assertIn("1 kernel variants report flops and bytes", page)

    def test_labels_do_not_overlap(self):
        pts = [(100.0, 100.0 + 3 * i) for i in range(12)] + [(104.0, 101.0)]
        texts = [str(i + 1) for i in range(len(pts))]
        offs = r.label_positions(pts, texts, (0, 0, 800, 500))
        boxes = []
        for (x, y), t, (ox, oy) in zip(pts, texts, offs):
            w = 5.0 * len(t) + 2
            boxes.append((x + ox, y + oy - 5, x + ox + w, y + oy + 5))
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                self.assertTrue(a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b))

    def test_roofline_legend_names_every_line(self):
        with tempfile.TemporaryDirectory() as tmp:
            t = Tree(Path(tmp), chapters=("00_measuring", "01_loops"))
            t.write("results", "00_measuring", CTX, ch00_benches())
            t.write("results", "01_loops", CTX, [kernel("sum/serial/real_time", 1 * GB, 8 * GB, 128 * MiB),
                                                 kernel("k/omp/threads:2/real_time", 9 * GB, 1 * GB, MiB)])
            drawn = []
            real = r.plt.Figure.legend

            def spy(fig, *a, **k):
                drawn.append([h.get_label() for h in k.get("handles", [])])
                return real(fig, *a, **k)

            r.plt.Figure.legend = spy
            try:
                self.assertEqual(t.run(), 0)
            finally:
                r.plt.Figure.legend = real
            labels = next(d for d in drawn if any(x.startswith("roof") for x in d))
            self.assertIn("roof, all cores: 90 GFLOP/s, 20 GB/s", labels)
            self.assertIn("roof, one core: 50 GFLOP/s, 10 GB/s", labels)
            self.assertIn("chapter 01", labels)
            self.assertNotIn("chapter 00", labels)  # chapter 00's rows here have no bytes and flops both


def staircase_benches(with_edges=True):
    """A chapter 07-like sweep: latency/chase/<bytes> (plain number) and bandwidth/read/bytes:<N>, 4 KiB to
    256 MiB, with steps at 32 KiB, 1 MiB and 32 MiB."""
    out = []
    for e in range(12, 29, 2):
        size = 1 << e
        ns = 1.0 if size <= 32 << 10 else 4.0 if size <= MiB else 15.0 if size <= 32 * MiB else 90.0
        extra = {"edge_l1_bytes": 32 << 10, "edge_l2_bytes": MiB} if with_edges else {}
        out.append(bench(f"latency/chase/{size}/real_time", ns * 1000, unit="ns", ns_per_load=ns, **extra))
        out.append(bench(f"bandwidth/read/bytes:{size}/real_time", 1, bytes_per_second=100 * GB / ns ** 0.5,
                         working_set=size))
    return out


class Staircase(unittest.TestCase):
    def test_detected_by_name_not_by_chapter(self):
        rows = []
        for name, extra in (("latency/chase/4096/real_time", {"ns_per_load": 1.2}),
                            ("latency/chase/bytes:8192", {"ns_per_load": 1.3}),
                            ("bandwidth/read/bytes:65536", {"bytes_per_second": 50 * GB}),
                            ("bandwidth/write/n:4", {"bytes_per_second": 40 * GB, "working_set": 1 << 20}),
                            ("latency/chase/4096", {}),  # no ns_per_load: not a staircase point
                            ("stream/copy/threads:1", {"bytes_per_second": 9 * GB, "working_set": 1 << 28})):
            fam, var, params = r.parse_name(name)
            bps = extra.pop("bytes_per_second", None)
            rows.append(r.Row(fam, var, params, 1.0, bps, None, extra))
        pts = [r.stair_point(x) for x in rows]
        self.assertEqual(pts[0], ("chase", 4096.0, 1.2))
        self.assertEqual(pts[1], ("chase", 8192.0, 1.3))
        self.assertEqual(pts[2], ("read", 65536.0, 50.0))
        self.assertEqual(pts[3], ("write n=4", float(1 << 20), 40.0))  # size from the working_set counter
        self.assertIsNone(pts[4])
        self.assertIsNone(pts[5])

    def test_axis_in_powers_of_two_labelled_in_kib_and_mib(self):
        self.assertEqual(r.size_label(4096), "4 KiB")
        self.assertEqual(r.size_label(48 << 10), "48 KiB")
        self.assertEqual(r.size_label(1.5 * MiB), "1.5 MiB")
        self.assertEqual(r.size_label(1 << 30), "1 GiB")
        ticks = r.size_ticks(4096, 256 * MiB)
        self.assertLessEqual(len(ticks), 8)
        self.assertEqual(ticks[0], 4096)
        self.assertGreaterEqual(ticks[-1] * 4, 256 * MiB)
        self.assertTrue(all(math.log2(t).is_integer() for t in ticks))

    def test_page_plot_edges_and_legend(self):
        with tempfile.TemporaryDirectory() as tmp:
            t = Tree(Path(tmp), chapters=("05_other", "07_memory"))
            t.write("results", "07_memory", CTX, staircase_benches())
            t.write("reference", "07_memory", dict(CTX, edge_l3_bytes=str(32 * MiB)), staircase_benches(False))
            t.write("results", "05_other", CTX, [bench("loop/serial/real_time", 8.0)])
            drawn = []
            real = r.plt.Figure.legend

            def spy(fig, *a, **k):
                drawn.append([h.get_label() for h in k.get("handles", [])])
                return real(fig, *a, **k)

            r.plt.Figure.legend = spy
            try:
                self.assertEqual(t.run(), 0)
            finally:
                r.plt.Figure.legend = real
            page = t.page("07")
            self.assertIn("## The memory staircase", page)
            self.assertIn("![the memory staircase: latency (ns per load) and bandwidth (GB/s)", page)
            self.assertIn("Edges found (this machine): L1 32 KiB, L2 1 MiB.", page)
            self.assertIn("Edges found (reference run): L3 32 MiB.", page)
            self.assertIn("Drawn above, in the memory staircase.", page)
            img = t.tmp / "out" / "img" / "ch07_staircase.png"
            w, _ = png_size(img)
            self.assertLessEqual(w, r.PLOT_MAX_WIDTH * r.PLOT_DPI)
            self.assertNotIn("staircase", t.page("05"))
            labels = next(d for d in drawn if "chase" in d)
            for want in ("chase", "read", "solid: this machine", "dashed: reference run",
                         "last-level cache edge, this machine (start-up sweep)",
                         "L1 edge the chapter found, this machine", "L2 edge the chapter found, this machine",
                         "L3 edge the chapter found, reference run"):
                self.assertIn(want, labels)

    def test_edges_absent_or_partial(self):
        run = r.Run({}, [])
        self.assertEqual(r.cache_edges(run), {})
        self.assertEqual(r.cache_edges(None), {})
        run = r.Run({"edge_l2_bytes": "1048576", "edge_l1_bytes": "not measured"}, [])
        self.assertEqual(r.cache_edges(run), {"l2": 1048576.0})
        # A staircase with latency only (no bandwidth sweep) still draws, in one panel.
        with tempfile.TemporaryDirectory() as tmp:
            t = Tree(Path(tmp), chapters=("07_memory",))
            t.write("results", "07_memory", {k: v for k, v in CTX.items() if not k.startswith("wb_llc")},
                    [b for b in staircase_benches(False) if b["name"].startswith("latency")])
            self.assertEqual(t.run(), 0)
            self.assertIn("## The memory staircase", t.page("07"))
            self.assertIn("latency (ns per load) against", t.page("07"))


if __name__ == "__main__":
    unittest.main()
