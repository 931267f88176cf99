#!/usr/bin/python3
"""Grading, hints, reset and the authoring checks behind ./wb.

Everything here drives CMake presets and ctest and reads what they write in machine-readable form (the
chapter manifest CMake writes as JSON, ctest's JUnit file, the speed report's JSON); nothing
re-implements a build or a test run, and no printed text is parsed for a result.

  workbook.py grade [NN] [--verbose] [--json FILE]
  workbook.py grade-class FOLDER [NN]   # every student of a class: build/class/summary.csv
  workbook.py hint NN.K [--all]         # the next stage of an exercise's hints
  workbook.py reset NN[.K]|all          # the pristine stubs back, the learner's version saved
  workbook.py check                     # authoring checks, run by .ci/run
  workbook.py chapters [--preset P]     # "NN folder" per chapter, for ./wb
  workbook.py manifest-get NN KEY       # one field of a chapter (program, perf), for ./wb
  workbook.py race-chapters             # the chapters with race exercises, for .ci/run
  workbook.py pristine [--write]        # compare (or rewrite) tools/pristine_stubs.json with exercises/
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import wrong_answer  # noqa: E402  (tools/wrong_answer.py)

PRISTINE = ROOT / "tools" / "pristine_stubs.json"
PROGRESS = ROOT / ".wb" / "hints.json"

# For each configure preset a learner's side can be graded with: the test preset of the normal build,
# and the configure and test presets of its ThreadSanitizer and AddressSanitizer builds.
@dataclass
class Presets:
    test: str
    tsan: str
    tsan_test: str
    asan: str
    asan_test: str


GRADE_PRESETS = {
    "default": Presets("grade", "tsan", "grade-tsan", "asan", "grade-asan"),
    "check-solutions": Presets("grade-check-solutions", "check-solutions-tsan", "grade-check-solutions-tsan",
                               "check-solutions-asan", "grade-check-solutions-asan"),
    "class": Presets("grade-class", "class-tsan", "grade-class-tsan", "class-asan", "grade-class-asan"),
}


@dataclass
class Wrong:
    slug: str
    diff: str
    test: str
    target: str
    broken: str | None
    mistake: str = ""
    rejected_by: list[str] = field(default_factory=list)
    perf: str | None = None


@dataclass
class Exercise:
    chapter: str
    folder: str
    number: str
    name: str
    sources: list[str]
    depends: list[str]
    race: bool
    racy_stub: bool
    test: str
    test_target: str
    wrong: list[Wrong] = field(default_factory=list)
    python: bool = False  # a pybind11 module tested by pytest (chapter 10): no sanitizer build of it

    @property
    def id(self) -> str:
        return f"{self.chapter}.{self.number}"

    @property
    def test_source(self) -> str:
        return f"tests/{self.folder}/test_{self.name}.{'py' if self.python else 'cpp'}"

    @property
    def hints_file(self) -> Path:
        return ROOT / "tests" / self.folder / "hints" / f"{self.name}.md"

    def files(self, side: str = "exercises") -> list[str]:
        return [f"{side}/{self.folder}/{s}" for s in self.sources]

    def wrong_answer_files(self) -> list[Path]:
        return sorted((ROOT / "tests" / self.folder / "wrong").glob(f"{self.name}.*.diff"))

    def speed_guarded(self) -> bool:
        """True when some plausible wrong answer is rejected by the speed report alone: then the speed
        verdict decides the exercise, and "inconclusive" is not a pass."""
        for path in self.wrong_answer_files():
            try:
                if wrong_answer.parse(path).rejected_by == ["speed"]:
                    return True
            except ValueError:
                pass
        return False


@dataclass
class Chapter:
    number: str
    folder: str
    perf: str | None
    program: str
    exercises: list[Exercise] = field(default_factory=list)


def read_manifest(build: Path) -> list[Chapter]:
    path = build / "wb_manifest.json"
    if not path.exists():
        sys.exit(f"workbook: {path} is missing: configure first (./wb build)")
    chapters = []
    for c in json.loads(path.read_text()):
        ch = Chapter(c["number"], c["folder"], c.get("perf"), c.get("program", ""))
        perf_wrong = c.get("perf_wrong") or {}
        for e in c["exercises"]:
            ex = Exercise(ch.number, ch.folder, e["number"], e["name"], e["sources"], e["depends"], e["race"],
                          e["racy_stub"], e["test"], e["test_target"], python=e.get("python", False))
            for w in e.get("wrong", []):
                wr = Wrong(w["slug"], w["diff"], w["test"], w["target"], w.get("broken"),
                           perf=perf_wrong.get(f"{ex.name}.{w['slug']}"))
                try:
                    parsed = wrong_answer.parse(ROOT / wr.diff)
                    wr.mistake, wr.rejected_by = parsed.mistake, parsed.rejected_by
                except (ValueError, OSError) as err:
                    wr.broken = str(err)
                ex.wrong.append(wr)
            ch.exercises.append(ex)
        ch.exercises.sort(key=lambda x: int(x.number))
        chapters.append(ch)
    return chapters


def pick_chapters(chapters: list[Chapter], wanted: str | None) -> list[Chapter]:
    if not wanted:
        return chapters
    have = " ".join(c.number for c in chapters)
    if not re.fullmatch(r"\d{1,2}", wanted):
        print(f"workbook: '{wanted}' is not a chapter number (chapters: {have})", file=sys.stderr)
        sys.exit(2)
    nn = f"{int(wanted):02d}"
    picked = [c for c in chapters if c.number == nn]
    if not picked:
        print(f"workbook: there is no chapter {nn} (chapters: {have})", file=sys.stderr)
        sys.exit(2)
    return picked


def find_exercise(chapters: list[Chapter], ident: str) -> Exercise:
    m = re.fullmatch(r"(\d{1,2})\.(\d+)", ident or "")
    if not m:
        print(f"workbook: '{ident}' is not an exercise id such as 04.2", file=sys.stderr)
        sys.exit(2)
    ch = pick_chapters(chapters, m.group(1))[0]
    for ex in ch.exercises:
        if int(ex.number) == int(m.group(2)):
            return ex
    print(f"workbook: chapter {ch.number} has no exercise {m.group(2)} "
          f"(it has {', '.join(e.id for e in ch.exercises)})", file=sys.stderr)
    sys.exit(2)


def run(cmd: list[str], timeout: float | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=ROOT, text=True, capture_output=True, timeout=timeout, env=env)


def configure(preset: str) -> Path:
    """Configures a preset and returns its build folder (the class presets put theirs under
    build/class/<student>/), read from the preset's CMakeCache location."""
    r = run(["cmake", "--preset", preset])
    if r.returncode != 0:
        print(r.stdout + r.stderr, file=sys.stderr)
        sys.exit(f"workbook: configuring preset {preset} failed")
    written = re.findall(r"Build files have been written to: (.+)", r.stdout)
    return Path(written[-1].strip()) if written else ROOT / "build" / preset


def build_targets(preset: str, targets: list[str]) -> str:
    """Builds what it can (-k 0 keeps going past a learner's file that does not compile); returns the
    build's output, in which a compiler error is found for the scoreboard."""
    if not targets:
        return ""
    r = run(["cmake", "--build", "--preset", preset, "--target", *targets, "--", "-k", "0"])
    return r.stdout + r.stderr


def compiler_error(build_log: str, files: list[str]) -> str:
    """The compiler's first error in one of the learner's files, as 'file:line: message' lines."""
    lines = build_log.splitlines()
    for i, line in enumerate(lines):
        if " error: " in line or ": error:" in line:
            if any(f in line for f in files):
                rel = line.replace(str(ROOT) + "/", "")
                return "\n".join([rel] + [l for l in lines[i + 1:i + 3] if l.strip()])
    for line in lines:
        if "error:" in line:
            return line.replace(str(ROOT) + "/", "")
    return ""


# ---------------------------------------------------------------------------------------------
# Running tests
# ---------------------------------------------------------------------------------------------
@dataclass
class Outcome:
    status: str          # pass, fail, not started, crashed, hangs, does not compile, race, memory error,
                         # too slow, speed inconclusive, finish first
    detail: str = ""
    output: str = ""


def run_ctest(test_preset: str, regex: str) -> dict[str, Outcome]:
    """Runs the tests matching regex; returns an Outcome per test name, from ctest's JUnit file."""
    with tempfile.TemporaryDirectory() as tmp:
        junit = Path(tmp) / "junit.xml"
        run(["ctest", "--preset", test_preset, "-R", regex, "--output-junit", str(junit)])
        outcomes: dict[str, Outcome] = {}
        if not junit.exists():
            return outcomes
        for case in ET.parse(junit).getroot().iter("testcase"):
            name = case.get("name", "")
            out = "".join(case.findtext("system-out") or "")
            failure = case.find("failure")
            how = failure.get("message", "") if failure is not None else ""
            outcomes[name] = classify(case.get("status"), how, out)
    return outcomes


def classify(status: str | None, how: str, out: str) -> Outcome:
    if status == "run":
        return Outcome("pass", output=out)
    if status == "notrun" or how in ("Not Run", "Could not find executable"):
        return Outcome("does not compile", "the test program was not built", out)
    if "ThreadSanitizer: data race" in out:
        return Outcome("race", "ThreadSanitizer found a data race", out)
    if re.search(r"ERROR: AddressSanitizer|runtime error:|ERROR: LeakSanitizer", out):
        m = re.search(r"(ERROR: \w+Sanitizer: [^\n]*|[^\n]*runtime error:[^\n]*)", out)
        return Outcome("memory error", (m.group(1).strip() if m else "a sanitizer stopped the test"), out)
    if "NOT STARTED" in out:
        return Outcome("not started", "", out)
    if how == "Timeout" or "==== HANG:" in out:   # ctest's timeout, or one run of tools/mpi_run.py
        return Outcome("hangs", "stopped by the test timeout", out)
    if how and how not in ("Failed",):
        return Outcome("crashed", how, out)
    return Outcome("fail", failure_message(out), out)


def failure_message(out: str) -> str:
    """What the first failing check says, whole: the expression, its expansion and the test's own
    message to the learner (Catch2's 'with message' lines), without Catch2's separators and paths."""
    lines = out.splitlines()
    for i, line in enumerate(lines):
        if "FAILED:" in line or "threw exception" in line or re.search(r"due to unexpected exception", line):
            body = []
            for l in lines[i + 1:]:
                if l.startswith("====") or l.startswith("----") or re.match(r"^\S+\.cpp:\d+", l):
                    break
                if l.strip():
                    body.append(l.strip())
            return " ".join(body)
    return ""


def not_started_id(out: str) -> str | None:
    m = re.search(r"EXERCISE (\d\d\.\d+) NOT STARTED", out)
    return m.group(1) if m else None


# ---------------------------------------------------------------------------------------------
# Never grading stale code
# ---------------------------------------------------------------------------------------------
def source_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


def learner_sources(build: Path, chapters: list[Chapter]) -> list[Path]:
    """The learner files this build compiles (exercises/, or a student's folder for the class presets)."""
    cache = (build / "CMakeCache.txt").read_text(errors="replace") if (build / "CMakeCache.txt").exists() else ""
    m = re.search(r"^WB_EXERCISES_FROM:\w+=(.*)$", cache, re.M)
    base = Path(m.group(1)) if m else Path("exercises")
    base = base if base.is_absolute() else ROOT / base
    return [base / ch.folder / s for ch in chapters for ex in ch.exercises for s in ex.sources]


def refresh_stale(build: Path, chapters: list[Chapter]) -> None:
    """Touches every learner file whose text differs from the text the grader last built.

    Ninja decides by time stamps: a file saved while some other build was compiling it looks older
    than its object, which was built from the old text. The grader records each file's content hash
    just before it builds; a file whose content differs from that record is touched, so Ninja rebuilds
    it. The first grade of a build has no record, so every file is touched once.
    """
    sources = learner_sources(build, chapters)
    if sources and sources[0].is_relative_to(ROOT / "solutions"):
        return  # the authoring check builds the solutions in the learner's place: nobody edits them mid-build
    record_path = build / "wb_graded_sources.json"
    try:
        record = json.loads(record_path.read_text())
    except (OSError, ValueError):
        record = {}
    now = {}
    for path in sources:
        h = source_hash(path)
        now[str(path)] = h
        if path.exists() and record.get(str(path)) != h:
            os.utime(path)
    record.update(now)
    record_path.write_text(json.dumps(record, indent=1))


# ---------------------------------------------------------------------------------------------
# Hints
# ---------------------------------------------------------------------------------------------
def hint_stages(ex: Exercise) -> list[str]:
    if not ex.hints_file.exists():
        return []
    stages, current = [], None
    for line in ex.hints_file.read_text().splitlines():
        if re.match(r"^## ", line):
            if current is not None:
                stages.append("\n".join(current).strip())
            current = []
        elif current is not None:
            current.append(line)
    if current is not None:
        stages.append("\n".join(current).strip())
    return [s for s in stages if s]


def hints_read() -> dict[str, int]:
    try:
        return json.loads(PROGRESS.read_text())
    except (OSError, ValueError):
        return {}


def hint(args) -> int:
    chapters = read_manifest(configure(args.preset))
    ex = find_exercise(chapters, args.exercise)
    stages = hint_stages(ex)
    if not stages:
        print(f"workbook: exercise {ex.id} has no hints yet ({ex.hints_file.relative_to(ROOT)})", file=sys.stderr)
        return 1
    read = hints_read()
    seen = read.get(ex.id, 0)
    if args.all:
        show = range(max(seen, 1))
    else:
        show = [min(seen, len(stages) - 1)]
        read[ex.id] = min(seen + 1, len(stages))
        PROGRESS.parent.mkdir(exist_ok=True)
        PROGRESS.write_text(json.dumps(read, indent=1, sort_keys=True))
    print(f"Exercise {ex.id} ({ex.name}), file {ex.files()[0]}")
    for k in show:
        print(f"\nHint {k + 1} of {len(stages)}:\n{stages[k]}")
    left = len(stages) - max(read.get(ex.id, 0), 1)
    if left > 0 and not args.all:
        print(f"\n({left} more stage(s): run ./wb hint {ex.id} again when you need the next one.)")
    elif not args.all:
        print("\n(That was the last hint. The lesson section named at the top of your file has the rest.)")
    return 0


# ---------------------------------------------------------------------------------------------
# Grading
# ---------------------------------------------------------------------------------------------
def chapter_outcomes(preset: str, test_preset: str, ch: Chapter) -> tuple[dict[str, Outcome], str]:
    """Builds what it can of the learner's side of one chapter and runs its exercise tests."""
    log = build_targets(preset, [f"ch{ch.number}_exercises"])
    return run_ctest(test_preset, rf"^ch{ch.number}\..*\.exercise$"), log


def sanitizer_outcomes(preset: str, test_preset: str, exercises: list[Exercise]) -> dict[str, Outcome]:
    """The learner's side of these exercises, built and run under a sanitizer preset."""
    if not exercises:
        return {}
    configure(preset)
    build_targets(preset, [e.test_target for e in exercises])
    return run_ctest(test_preset, "^(" + "|".join(re.escape(e.test) for e in exercises) + ")$")


def speed_report(build: Path, ch: Chapter, skip: list[str], only: list[str] | None = None,
                 rounds: int | None = None) -> tuple[dict | None, str]:
    """Runs chNN_perf; returns (its JSON, its printed table) or (None, why it broke)."""
    exe = build / ch.perf if ch.perf else None
    if exe is None or not exe.exists():
        return None, "not built (an exercise of this chapter does not compile)"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "speed.json"
        cmd = [str(exe), "--json", str(out)]
        if skip:
            cmd += ["--skip", ",".join(skip)]
        if only:
            cmd += ["--only", ",".join(only)]
        if rounds:
            cmd += ["--rounds", str(rounds)]
        try:
            r = run(cmd, timeout=600)
        except subprocess.TimeoutExpired:
            return None, "the speed report did not finish in 600 s"
        text = (r.stdout + r.stderr).rstrip()
        if r.returncode not in (0, 1) or not out.exists():
            return None, f"the speed report broke (exit {r.returncode}):\n{text}"
        return json.loads(out.read_text()), text


def grade(args) -> int:
    pre = GRADE_PRESETS[args.preset]
    build = configure(args.preset)
    chapters = pick_chapters(read_manifest(build), args.chapter)
    total = len(chapters)
    results: dict[str, Outcome] = {}
    logs: dict[str, str] = {}

    refresh_stale(build, chapters)
    for i, ch in enumerate(chapters, 1):
        print(f"--- chapter {ch.number} ({i} of {total}): building your exercises and running their tests",
              flush=True)
        outcomes, logs[ch.number] = chapter_outcomes(args.preset, pre.test, ch)
        # A file without its WB_TODO that still reports NOT STARTED for itself was built from older
        # text: touch it, build again and rerun, once.
        stale = [e for e in ch.exercises if outcomes.get(e.test, Outcome("")).status == "not started"
                 and not_started_id(outcomes[e.test].output) == e.id
                 and not any(f'WB_TODO("{e.id}")' in p.read_text(errors="replace")
                             for p in learner_sources(build, [Chapter(ch.number, ch.folder, None, "", [e])])
                             if p.exists())]
        if stale:
            for e in stale:
                for p in learner_sources(build, [Chapter(ch.number, ch.folder, None, "", [e])]):
                    if p.exists():
                        os.utime(p)
            outcomes, logs[ch.number] = chapter_outcomes(args.preset, pre.test, ch)
        results.update(outcomes)

    everything = [e for ch in chapters for e in ch.exercises]
    passing = lambda: [e for e in everything if results.get(e.test, Outcome("")).status == "pass"]  # noqa: E731

    # Race exercises: a data race fails the exercise even when the numbers come out right.
    race_exs = [e for e in passing() if e.race]
    race_checked = set()
    if race_exs:
        print(f"--- race check: {len(race_exs)} exercise(s) under ThreadSanitizer (clang++)", flush=True)
        for name, o in sanitizer_outcomes(pre.tsan, pre.tsan_test, race_exs).items():
            race_checked.add(name)
            if o.status == "race":
                results[name] = o

    # Memory errors: an out-of-bounds write that leaves the right numbers is still a fail.
    # (A Python module would need the sanitizer runtime preloaded into the interpreter: not checked here.)
    mem_exs = [e for e in passing() if not e.python]
    mem_checked = set()
    if mem_exs and not args.no_asan:
        print(f"--- memory check: {len(mem_exs)} exercise(s) under AddressSanitizer + UBSan", flush=True)
        for name, o in sanitizer_outcomes(pre.asan, pre.asan_test, mem_exs).items():
            mem_checked.add(name)
            if o.status in ("memory error", "crashed", "fail", "hangs"):
                results[name] = o if o.status == "memory error" else \
                    Outcome("memory error", f"under AddressSanitizer + UBSan: {o.status} {o.detail}".strip(), o.output)

    # Speed against the reference. Code that does not pass (fails, crashes, hangs, races, corrupts
    # memory) is not timed; not-started code says so itself.
    perf_reports: dict[str, str] = {}
    perf_rows: dict[str, list[dict]] = {}
    for ch in chapters:
        if not ch.perf:
            continue
        print(f"--- chapter {ch.number}: timing your code against the reference", flush=True)
        skip = [e.id for e in ch.exercises
                if results.get(e.test, Outcome("")).status not in ("pass", "not started")]
        data, text = speed_report(build, ch, skip)
        perf_reports[ch.number] = text
        if data is None:
            continue
        rows = data["cases"]
        # An exercise that only its speed tells from a plausible wrong answer: an inconclusive verdict
        # is rerun with more rounds before the grade gives up on it.
        guarded = {e.id for e in ch.exercises if e.speed_guarded()}
        again = sorted({r["id"] for r in rows if r["verdict"] == "inconclusive" and r["id"] in guarded})
        if again:
            print(f"--- chapter {ch.number}: speed of {', '.join(again)} inconclusive: timing again, 31 rounds",
                  flush=True)
            data2, text2 = speed_report(build, ch, [], only=again, rounds=31)
            if data2 is not None:
                perf_reports[ch.number] += "\n\nTimed again with more rounds:\n" + text2
                redone = {r["name"]: r for r in data2["cases"]}
                rows = [redone.get(r["name"], r) for r in rows]
        perf_rows[ch.number] = rows
        for e in ch.exercises:
            if e.id not in guarded or results.get(e.test, Outcome("")).status != "pass":
                continue
            verdicts = [r for r in rows if r["id"] == e.id]
            if any(r["verdict"] == "FAIL" for r in verdicts):
                r = next(r for r in verdicts if r["verdict"] == "FAIL")
                results[e.test] = Outcome("too slow", f"{r['name']}: {r['speed']:.2f}x the reference's speed, "
                                          f"goal {r['goal']:.2f}x", results[e.test].output)
            elif any(r["verdict"] == "inconclusive" for r in verdicts):
                results[e.test] = Outcome("speed inconclusive", "the machine is too noisy to tell: close other "
                                          "programs and grade again", results[e.test].output)

    # Scoreboard (a class is graded from hand-ins: the instructor's own hint progress means nothing there)
    read = hints_read() if args.preset == "default" else {}
    rows, counts = [], {}
    for ch in chapters:
        for ex in ch.exercises:
            o = results.get(ex.test, Outcome("does not compile", "the test program was not built"))
            if o.status == "not started":
                other = not_started_id(o.output)
                if other and other != ex.id:
                    o = Outcome("finish first", f"it uses exercise {other}, which is not started yet", o.output)
            if o.status == "pass":
                checks = []
                if ex.race:
                    checks.append("no race found" if ex.test in race_checked else "race check did not run")
                if ex.test in mem_checked:
                    checks.append("no memory error")
                o.detail = ", ".join(checks)
            counts[o.status] = counts.get(o.status, 0) + 1
            stages = len(hint_stages(ex))
            hints = f"{min(read.get(ex.id, 0), stages)}/{stages}" if stages else "-"
            if o.status == "pass":
                nxt = o.detail
            elif o.status == "not started":
                nxt = f"open {ex.files()[0]}; stuck? ./wb hint {ex.id}"
            elif o.status == "finish first":
                other = not_started_id(o.output) or ""
                nxt = f"{o.detail}: finish {other} first ({other_file(chapters, other)})"
            elif o.status == "does not compile":
                err = compiler_error(logs.get(ch.number, ""), ex.files())
                nxt = f"{ex.files()[0]} does not compile" + (f":\n{err}" if err else f"; ./wb build {ch.number} shows why")
            else:
                nxt = f"{o.detail}  ({ex.files()[0]}; full output: ./wb grade {ch.number} --verbose)"
            rows.append((ex.id, ex.name, o.status.upper() if o.status != "pass" else "pass", hints, nxt, o))

    print()
    print(f"{'exercise':<9} {'name':<20} {'status':<18} {'hints':<6} next step")
    print("-" * 110)
    for eid, name, status, hints, nxt, o in rows:
        first, *rest = nxt.split("\n")
        print(f"{eid:<9} {name:<20} {status:<18} {hints:<6} {first}")
        for line in rest:
            print(f"{'':<56}{line}")
        if args.verbose and status not in ("pass", "NOT STARTED"):
            print("    " + "\n    ".join(o.output.splitlines()[-60:]))
    print("-" * 110)
    print(", ".join(f"{n} {s}" for s, n in sorted(counts.items())) +
          "   (hints: stages read / stages; ./wb hint NN.K shows the next)")
    for nn, report in perf_reports.items():
        print(f"\nSpeed of your chapter {nn} code against the reference (same process, alternating runs):")
        print(report)

    if args.json:
        Path(args.json).write_text(json.dumps({
            "exercises": [{"id": r[0], "name": r[1], "status": r[5].status, "detail": r[5].detail,
                           "hints_read": read.get(r[0], 0)} for r in rows],
            "speed": perf_rows, "speed_reports": perf_reports}, indent=2))
    all_pass = all(r[5].status == "pass" for r in rows)
    broken = any(nn not in perf_rows for nn in perf_reports)
    failed_speed = any(r["verdict"] in ("FAIL", "error") for rs in perf_rows.values() for r in rs)
    speed_ok = not broken and (args.speed_advisory or not failed_speed)
    return 0 if all_pass and speed_ok else 1


def other_file(chapters: list[Chapter], ident: str) -> str:
    for ch in chapters:
        for e in ch.exercises:
            if e.id == ident:
                return e.files()[0]
    return "see its chapter"


# ---------------------------------------------------------------------------------------------
# Reset: the pristine stubs, whatever the learner's git history, with or without git
# ---------------------------------------------------------------------------------------------
def pristine_stubs() -> dict[str, str]:
    return json.loads(PRISTINE.read_text()) if PRISTINE.exists() else {}


def reset(args) -> int:
    chapters = read_manifest(configure(args.preset))
    what = args.what
    if what == "all":
        exs = [e for c in chapters for e in c.exercises]
    elif re.fullmatch(r"\d{1,2}", what):
        exs = pick_chapters(chapters, what)[0].exercises
    elif re.fullmatch(r"\d{1,2}\.\d+", what):
        exs = [find_exercise(chapters, what)]
    else:
        print(f"workbook: '{what}' is not NN, NN.K or all", file=sys.stderr)
        return 2
    stubs = pristine_stubs()
    backup = ROOT / "build" / "reset-backup" / time.strftime("%Y%m%d-%H%M%S")
    for ex in exs:
        for f in ex.files():
            if f not in stubs:
                print(f"workbook: no pristine copy of {f} in {PRISTINE.relative_to(ROOT)}", file=sys.stderr)
                return 1
            path = ROOT / f
            if path.exists() and path.read_text(errors="replace") == stubs[f]:
                print(f"{f} is already the untouched stub")
                continue
            if path.exists():
                (backup / f).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, backup / f)
                print(f"saved your version of {f} in {(backup / f).relative_to(ROOT)}")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(stubs[f])
            print(f"reset {f}")
    return 0


def pristine(args) -> int:
    """tools/pristine_stubs.json holds the text of every stub, so ./wb reset needs no git."""
    current = {str(p.relative_to(ROOT)): p.read_text()
               for p in sorted((ROOT / "exercises").glob("[0-9][0-9]_*/*")) if p.is_file()}
    if args.write:
        PRISTINE.write_text(json.dumps(current, indent=1, sort_keys=True) + "\n")
        print(f"wrote {len(current)} stubs to {PRISTINE.relative_to(ROOT)}")
        return 0
    stored = pristine_stubs()
    diff = sorted(set(current) ^ set(stored)) + sorted(k for k in current if k in stored and current[k] != stored[k])
    for k in diff:
        print(f"  {k} differs from its copy in {PRISTINE.relative_to(ROOT)}")
    return 1 if diff else 0


# ---------------------------------------------------------------------------------------------
# Authoring checks
# ---------------------------------------------------------------------------------------------
def code_lines(text: str) -> set[str]:
    """The lines of a C++ file that carry code, stripped: what a stub or a hint must not give away."""
    out = set()
    for line in text.splitlines():
        s = line.strip()
        if len(s) < 16 or s.startswith(("//", "/*", "*", "#include", "}", "namespace", "WB_IMPL")):
            continue
        out.add(s)
    return out


def check_files(chapters: list[Chapter], problems: list[str]) -> None:
    for ch in chapters:
        for ex in ch.exercises:
            for stub, sol in zip(ex.files("exercises"), ex.files("solutions")):
                text = (ROOT / stub).read_text()
                for pattern, what in [
                        (rf"EXERCISE {ch.number}\.{ex.number} Goal:", f"'EXERCISE {ex.id} Goal:' header"),
                        (r"What the grade checks:", "'What the grade checks:' line"),
                        (r"Read first:\s*chapters/", "'Read first: chapters/...' line"),
                        (rf"\./wb hint {ch.number}\.{ex.number}", f"pointer to './wb hint {ex.id}'"),
                        (r"// EXERCISE:", "'// EXERCISE:' gap")]:
                    if not re.search(pattern, text):
                        problems.append(f"{stub}: no {what}")
                if re.search(r"\bHint:", text):
                    problems.append(f"{stub}: has a 'Hint:' line; hints go to {ex.hints_file.relative_to(ROOT)}")
                if f'WB_TODO("{ex.id}")' not in text:
                    problems.append(f'{stub}: no WB_TODO("{ex.id}")')
                if not (ROOT / sol).exists():
                    problems.append(f"{sol}: missing")
                    continue
                sol_text = (ROOT / sol).read_text()
                # A Python module (chapter 10) has no speed report: its stub and solution are separate modules.
                for side, t in (() if ex.python else ((stub, text), (sol, sol_text))):
                    if "WB_IMPL_BEGIN" not in t or "WB_IMPL_END" not in t:
                        problems.append(f"{side}: defines its functions outside WB_IMPL_BEGIN/WB_IMPL_END, so the "
                                        "speed report would time one version against itself")
                answer = code_lines(sol_text) - code_lines(text)
                leaked = sorted(l for l in code_lines(text) & answer)
                if leaked:
                    problems.append(f"{stub}: contains answer lines: {leaked[:2]}")
                stages = hint_stages(ex)
                if len(stages) < 2:
                    problems.append(f"{ex.hints_file.relative_to(ROOT)}: {len(stages)} hint stage(s), at least 2 needed")
                hint_text = "\n".join(stages)
                pasted = sorted(l for l in answer if l in hint_text)
                if pasted:
                    problems.append(f"{ex.hints_file.relative_to(ROOT)}: pastes solution lines: {pasted[:2]}")
            if not (ROOT / ex.test_source).exists():
                problems.append(f"{ex.test_source}: missing")
            if len(ex.wrong_answer_files()) < 2:
                problems.append(f"tests/{ex.folder}/wrong/: exercise {ex.id} lists {len(ex.wrong_answer_files())} "
                                "wrong answer(s), at least 2 needed")
            for path in ex.wrong_answer_files():
                try:
                    wrong_answer.parse(path)
                except ValueError as err:
                    problems.append(str(err))


def check_docs(problems: list[str]) -> None:
    """No page quotes solutions/: the generated site would give the answers away."""
    for page in list(ROOT.glob("chapters/*/README.md")) + list(ROOT.glob("docs/**/*.md")) + [ROOT / "README.md"]:
        for n, line in enumerate(page.read_text().splitlines(), 1):
            if re.search(r"[\\@](snippet|include|dontinclude|snippetdoc|includelineno)\w*\s+\S*solutions/", line):
                problems.append(f"{page.relative_to(ROOT)}:{n}: quotes solutions/ ({line.strip()[:80]})")


T0 = time.monotonic()


def phase(title: str) -> None:
    """A check's step, with the seconds since the check began (CI's time is the budget to watch)."""
    print(f"{title} [at {time.monotonic() - T0:.0f} s]", flush=True)


def check(args) -> int:
    problems: list[str] = []
    pre = GRADE_PRESETS["default"]
    build = configure("default")
    chapters = read_manifest(build)

    phase("--- stubs state goals, not answers; hints staged; wrong answers listed; WB_IMPL markers present")
    check_files(chapters, problems)
    phase("--- no lesson quotes solutions/; lesson claims agree with docs/reference/")
    check_docs(problems)
    r = run([sys.executable, str(ROOT / "tools" / "check_claims.py")])
    print(r.stdout.rstrip())
    if r.returncode != 0:
        problems.append("lesson claims disagree with docs/reference/ (above)" + (f": {r.stderr.strip()}" if r.stderr else ""))
    phase("--- tools/pristine_stubs.json (what ./wb reset restores) matches exercises/")
    if pristine(argparse.Namespace(write=False)) != 0:
        problems.append("tools/pristine_stubs.json is out of date: run tools/workbook.py pristine --write")

    phase("--- the untouched stubs: every one compiles and fails with NOT STARTED naming its file")
    for ch in chapters:
        outcomes, _ = chapter_outcomes("default", pre.test, ch)
        for ex in ch.exercises:
            o = outcomes.get(ex.test)
            if o is None or o.status == "does not compile":
                problems.append(f"{ex.files()[0]}: the stub's test did not build or run")
            elif o.status != "not started":
                problems.append(f"{ex.files()[0]}: untouched stub gives '{o.status}', not 'not started'")
            elif ex.files()[0] not in re.sub(r"\s+", "", o.output):
                problems.append(f"{ex.files()[0]}: the NOT STARTED message does not name the file")

    racy = [e for ch in chapters for e in ch.exercises if e.racy_stub]
    if racy:
        phase(f"--- the {len(racy)} stubs that are racy on purpose: ThreadSanitizer reports each one")
        outcomes = sanitizer_outcomes(pre.tsan, pre.tsan_test, racy)
        for e in racy:
            if "ThreadSanitizer: data race" not in outcomes.get(e.test, Outcome("")).output:
                problems.append(f"{e.files()[0]}: ThreadSanitizer did not report the stub's race")

    phase("--- the solutions in the learner's place: the grader gives every exercise 'pass'")
    # The solutions are timed against themselves here, so a FAIL verdict can only be noise on a busy
    # machine: the verdicts are printed but do not fail the check; a report that breaks still does.
    # The solutions' tests under ASan+UBSan are run by CI's asan build (WB_PRESET=asan ./wb test) and the
    # grader's memory check by the class-grading check; skipping it here saves a third full build.
    r = subprocess.run([sys.executable, __file__, "grade", "--preset", "check-solutions", "--speed-advisory",
                        "--no-asan"], cwd=ROOT, text=True)
    if r.returncode != 0:
        problems.append("grading the solutions in the learner's place did not give all 'pass' (scoreboard above)")
    sol_build = configure("check-solutions")
    sol_chapters = read_manifest(sol_build)
    check_symbols(sol_build, sol_chapters, problems)
    check_wrong_answers(sol_chapters, sol_build, problems)

    print()
    if problems:
        print(f"Authoring check: {len(problems)} problem(s)")
        for p in problems:
            print("  - " + p)
        return 1
    n = sum(len(c.exercises) for c in chapters)
    w = sum(len(e.wrong) for c in sol_chapters for e in c.exercises)
    print(f"Authoring check: {n} exercises in {len(chapters)} chapters; every stub fails as it should, every "
          f"solution passes, all {w} wrong answers are rejected, hints staged, lessons quote no solution")
    return 0


def check_symbols(build: Path, chapters: list[Chapter], problems: list[str]) -> None:
    """The speed report must hold two different implementations: the learner's (namespace exercise)
    and the reference (namespace solution). A chapter whose header, stub and solution all leave out
    WB_IMPL_BEGIN/END links one implementation twice and would always say 'pass'."""
    for ch in chapters:
        if not ch.perf or not (build / ch.perf).exists():
            continue
        r = run(["nm", "-C", str(build / ch.perf)])
        sides = {side for side in ("exercise", "solution") if f"ch{ch.number}::{side}::" in r.stdout}
        if sides != {"exercise", "solution"}:
            problems.append(f"ch{ch.number}_perf: holds no ch{ch.number}::exercise:: and ch{ch.number}::solution:: "
                            "functions side by side (WB_IMPL_BEGIN/END missing in the interface?)")


def check_wrong_answers(chapters: list[Chapter], build: Path, problems: list[str]) -> None:
    """Every listed wrong answer, built in the learner's place, is rejected as its header says."""
    wrongs = [(ch, e, w) for ch in chapters for e in ch.exercises for w in e.wrong]
    phase(f"--- the {len(wrongs)} wrong answers: each built in the learner's place and rejected")
    for ch, e, w in wrongs:
        if w.broken:
            problems.append(f"{w.diff}: {w.broken}")
    ok = [(ch, e, w) for ch, e, w in wrongs if not w.broken]
    by_kind = {k: [x for x in ok if k in x[2].rejected_by] for k in wrong_answer.KINDS}
    verdicts: dict[tuple[str, str], list[str]] = {}

    def note(w: Wrong, kind: str, rejected: bool, why: str) -> None:
        verdicts.setdefault((w.test, kind), []).append(why)
        if not rejected:
            problems.append(f"{w.diff} ({w.mistake}): not rejected by {kind}: {why}")

    if by_kind["test"] or by_kind["speed"]:
        build_targets("check-solutions", sorted({f"ch{ch.number}_wrong" for ch, _, _ in by_kind["test"] + by_kind["speed"]}))
    if by_kind["test"]:
        phase(f"    built; running the tests of {len(by_kind['test'])} wrong answers")
        outcomes = run_ctest("wrong-check-solutions", "^(" + "|".join(re.escape(w.test) for _, _, w in by_kind["test"]) + ")$")
        for _, _, w in by_kind["test"]:
            o = outcomes.get(w.test, Outcome("does not compile"))
            note(w, "test", o.status in ("fail", "crashed", "hangs"), f"its tests gave '{o.status}' {o.detail}".strip())
    for kind, preset, test_preset, expect in (("race", "check-solutions-tsan", "wrong-check-solutions-tsan", "race"),
                                               ("asan", "check-solutions-asan", "wrong-check-solutions-asan", "memory error")):
        if not by_kind[kind]:
            continue
        phase(f"    {len(by_kind[kind])} wrong answers under {preset}")
        configure(preset)
        build_targets(preset, [w.target for _, _, w in by_kind[kind]])
        outcomes = run_ctest(test_preset, "^(" + "|".join(re.escape(w.test) for _, _, w in by_kind[kind]) + ")$")
        for _, _, w in by_kind[kind]:
            o = outcomes.get(w.test, Outcome("does not compile"))
            rejected = o.status == expect or (kind == "asan" and o.status in ("fail", "crashed"))
            note(w, kind, rejected, f"under {preset} its tests gave '{o.status}' {o.detail}".strip())
    if by_kind["speed"]:
        phase(f"    {len(by_kind['speed'])} wrong answers timed by the speed report")
    for ch, e, w in by_kind["speed"]:
        if not w.perf or not (build / w.perf).exists():
            note(w, "speed", False, "its speed report was not built")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "speed.json"
            r = run([str(build / w.perf), "--only", e.id, "--json", str(out)], timeout=600)
            rows = json.loads(out.read_text())["cases"] if out.exists() else []
            fails = [x for x in rows if x["verdict"] == "FAIL"]
            note(w, "speed", bool(fails), "; ".join(f"{x['name']}: {x['verdict']} at {x['speed']:.2f}x "
                                                   f"(goal {x['goal']:.2f}x)" for x in rows) or f"exit {r.returncode}")
    for (test, kind), why in sorted(verdicts.items()):
        print(f"    {test:<52} {kind:<5} {'; '.join(why)[:110]}")


# ---------------------------------------------------------------------------------------------
# Grading a class
# ---------------------------------------------------------------------------------------------
CLASS_MARKS = {"pass": "P", "fail": "F", "not started": ".", "crashed": "C", "hangs": "H",
               "does not compile": "X", "race": "R", "memory error": "M", "too slow": "S",
               "speed inconclusive": "?", "finish first": "."}


def speed_verdicts(speed: dict[str, list[dict]]) -> dict[str, int]:
    """How many speed cases of a grade's reports passed, failed or were inconclusive."""
    counts = {"pass": 0, "FAIL": 0, "inconclusive": 0}
    for rows in speed.values():
        for r in rows:
            if r["verdict"] in counts:
                counts[r["verdict"]] += 1
    return counts


def grade_class(args) -> int:
    """Grades every student folder under args.folder with the class presets, one build per student,
    and writes build/class/summary.csv beside each student's scoreboard."""
    folder = Path(args.folder).resolve()
    if not folder.is_dir():
        print(f"workbook: {folder} is not a folder", file=sys.stderr)
        return 2
    students = sorted(d for d in folder.iterdir() if d.is_dir() and not d.name.startswith("."))
    if not students:
        print(f"workbook: {folder} has no student folders", file=sys.stderr)
        return 2
    out_root = ROOT / "build" / "class"
    grades: dict[str, dict] = {}
    seen: set[str] = set()
    for i, student in enumerate(students, 1):
        name = re.sub(r"[^A-Za-z0-9._-]", "_", student.name)
        if name in seen:
            name = f"{name}-{i}"  # two folder names that differ only in odd characters
        seen.add(name)
        # A student hands in a copy of exercises/, or a whole checkout of the workbook.
        source = student / "exercises" if (student / "exercises").is_dir() else student
        out = out_root / name
        out.mkdir(parents=True, exist_ok=True)
        (out / "grade.json").unlink(missing_ok=True)  # never read a scoreboard from an earlier run
        print(f"--- student {name} ({i} of {len(students)}): grading {source}", flush=True)
        env = dict(os.environ, WB_STUDENT=name, WB_STUDENT_EXERCISES=str(source))
        cmd = [sys.executable, __file__, "grade", "--preset", "class", "--json", str(out / "grade.json")]
        r = subprocess.run(cmd + ([args.chapter] if args.chapter else []), cwd=ROOT, env=env, text=True,
                           capture_output=True)
        (out / "grade.txt").write_text(r.stdout + r.stderr)
        if r.returncode == 2:  # a usage error (such as a chapter that does not exist) is everyone's
            print(r.stderr.strip(), file=sys.stderr)
            return 2
        if (out / "grade.json").exists() and r.returncode in (0, 1):
            grades[name] = json.loads((out / "grade.json").read_text())
        else:
            print(f"    grading failed (exit {r.returncode}); see {out / 'grade.txt'}")

    ids = sorted({e["id"] for g in grades.values() for e in g["exercises"]})
    rows = []
    for name, g in grades.items():
        status = {e["id"]: e["status"] for e in g["exercises"]}
        speed = speed_verdicts(g["speed"])
        rows.append([name, sum(s == "pass" for s in status.values()), len(ids), speed["pass"], speed["FAIL"],
                     speed["inconclusive"]] + [status.get(x, "") for x in ids])
    header = ["student", "passed", "exercises", "speed pass", "speed FAIL", "speed inconclusive"] + ids
    with open(out_root / "summary.csv", "w", newline="") as f:
        csv.writer(f).writerows([header] + rows)

    # One mark per exercise, grouped by chapter: "00 PPP. 01 P..." reads as chapter, then exercises 1, 2, ...
    chapters_of = sorted({x.split(".")[0] for x in ids})
    width = {c: max(2, sum(x.startswith(c + ".") for x in ids)) for c in chapters_of}
    print()
    print(f"{'student':<20} {'passed':>9}  {'speed pass/FAIL/?':>17}  " +
          " ".join(c.ljust(width[c]) for c in chapters_of))
    print("-" * 100)
    for row in rows:
        status = dict(zip(ids, row[6:]))
        marks = " ".join("".join(CLASS_MARKS.get(status[x], "?") for x in ids if x.startswith(c + "."))
                         .ljust(width[c]) for c in chapters_of)
        print(f"{row[0]:<20} {row[1]:>4} of {row[2]:<2}  {row[3]:>7}/{row[4]}/{row[5]:<7}  {marks}")
    print("-" * 100)
    print("P pass, F fail, . not started, C crashed, H hangs, X does not compile, R data race, "
          "M memory error, S too slow, ? speed inconclusive")
    print(f"Each student's scoreboard: {out_root}/<student>/grade.txt; the table: {out_root / 'summary.csv'}")
    return 0 if len(grades) == len(students) else 1


# ---------------------------------------------------------------------------------------------
# Small queries for ./wb and .ci/run
# ---------------------------------------------------------------------------------------------
def chapters_cmd(args) -> int:
    for ch in read_manifest(configure_quiet(args.preset)):
        print(ch.number, ch.folder)
    return 0


def manifest_get(args) -> int:
    chapters = read_manifest(configure_quiet(args.preset))
    ch = pick_chapters(chapters, args.chapter)[0]
    value = getattr(ch, args.key, None)
    if not value:
        return 1
    print(ROOT / "build" / args.preset / value if args.key in ("program", "perf") else value)
    return 0


def race_chapters(args) -> int:
    for ch in read_manifest(configure_quiet(args.preset)):
        if any(e.race for e in ch.exercises):
            print(ch.number)
    return 0


def configure_quiet(preset: str) -> Path:
    build = ROOT / "build" / preset
    return build if (build / "wb_manifest.json").exists() else configure(preset)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("grade", help="grade the learner's exercises")
    g.add_argument("chapter", nargs="?", help="a chapter number such as 01 (default: every chapter)")
    g.add_argument("--preset", default="default", choices=sorted(GRADE_PRESETS))
    g.add_argument("--json", help="also write the scoreboard as JSON (for grading a class)")
    g.add_argument("--verbose", action="store_true", help="show the test output of failing exercises")
    g.add_argument("--no-asan", action="store_true", help="skip the AddressSanitizer + UBSan run")
    g.add_argument("--speed-advisory", action="store_true",
                   help="print the speed verdicts, but let only a broken speed report fail the grade")
    c = sub.add_parser("grade-class", help="grade every student folder of a class (instructors)")
    c.add_argument("folder", help="a folder with one sub-folder per student, each a copy of exercises/")
    c.add_argument("chapter", nargs="?", help="a chapter number such as 01 (default: every chapter)")
    h = sub.add_parser("hint", help="show the next hint of an exercise")
    h.add_argument("exercise", help="an exercise id such as 04.2")
    h.add_argument("--all", action="store_true", help="show every stage read so far, reveal no new one")
    h.add_argument("--preset", default="default")
    r = sub.add_parser("reset", help="put exercises back to their stubs")
    r.add_argument("what", help="NN.K, NN or all")
    r.add_argument("--preset", default="default")
    sub.add_parser("check", help="authoring checks")
    p = sub.add_parser("pristine", help="compare or rewrite tools/pristine_stubs.json")
    p.add_argument("--write", action="store_true")
    for name in ("chapters", "race-chapters"):
        q = sub.add_parser(name)
        q.add_argument("--preset", default="default")
    m = sub.add_parser("manifest-get")
    m.add_argument("chapter")
    m.add_argument("key", choices=["program", "perf", "folder"])
    m.add_argument("--preset", default="default")
    args = ap.parse_args()
    return {"grade": grade, "grade-class": grade_class, "hint": hint, "reset": reset, "check": check,
            "pristine": pristine, "chapters": chapters_cmd, "race-chapters": race_chapters,
            "manifest-get": manifest_get}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
