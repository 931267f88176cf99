#!/usr/bin/python3
"""Tests of the results-to-docs generator on a small hand-made benchmark file."""
import json
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import results_to_docs as r  # noqa: E402


def bench(name, real_time, unit="ms", **extra):
    return dict(name=name, run_name=name, run_type="iteration", iterations=10, real_time=real_time,
                cpu_time=real_time, time_unit=unit, **extra)


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
            tmp = Path(tmp)
            for d in ("results", "reference", "out"):
                (tmp / d).mkdir()
            for f in ("00_measuring", "01_loops", "02_empty"):
                (tmp / "chapters" / f).mkdir(parents=True)
                (tmp / "chapters" / f / "CMakeLists.txt").write_text("wb_chapter()\n")
                (tmp / "chapters" / f / "README.md").write_text(f"# {f[:2]}: Title {f} {{#ch{f[:2]}}}\n")
            ctx = {"wb_cpu_model": "Test CPU", "wb_vector_isa": "AVX2", "wb_logical_cores": "2", "wb_compiler": "g++ 12",
                   "wb_flags": "-O3", "wb_date": "2026-01-01T00:00:00Z", "host_name": "h"}
            (tmp / "results" / "00_measuring.json").write_text(json.dumps({"context": ctx, "benchmarks": [
                bench("stream/triad/threads:1/real_time", 10, bytes_per_second=10e9),
                bench("stream/triad/threads:2/real_time", 5, bytes_per_second=20e9)]}))
            (tmp / "results" / "01_loops.json").write_text(json.dumps({"context": ctx, "benchmarks": [
                bench("loop/serial/real_time", 8.0, bytes_per_second=5e9),
                bench("loop/omp/threads:1/real_time", 8.0, bytes_per_second=5e9),
                bench("loop/omp/threads:2/real_time", 4.0, bytes_per_second=10e9),
                bench("loop/omp/threads:4/real_time", 4.0, bytes_per_second=10e9)]}))
            sys.argv = ["x", "--results", str(tmp / "results"), "--reference", str(tmp / "reference"),
                        "--chapters", str(tmp / "chapters"), "--out", str(tmp / "out")]
            self.assertEqual(r.main(), 0)
            page = (tmp / "out" / "results_ch01.md").read_text()
            self.assertIn("{#results_ch01}", page)
            self.assertIn("Test CPU (AVX2), 2 logical cores", page)
            # omp threads=2 runs twice as fast as serial; 10 GB/s is half of chapter 00's 20 GB/s.
            self.assertRegex(page, r"\| omp threads=2 \| 4 ms \|  \| 10 GB/s \|  \| 50% \|  \| 2.00x \|")
            self.assertTrue((tmp / "out" / "img" / "ch01_loop_threads.png").exists())
            # A chapter with neither run still gets its page, so every @ref results_chNN resolves.
            self.assertIn("No results yet", (tmp / "out" / "results_ch02.md").read_text())
            self.assertIn("@subpage results_ch00", (tmp / "out" / "results.md").read_text())


if __name__ == "__main__":
    unittest.main()
