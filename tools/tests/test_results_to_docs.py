#!/usr/bin/python3
"""Tests of the results-to-docs generator on small hand-made benchmark files."""
import json
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


if __name__ == "__main__":
    unittest.main()
