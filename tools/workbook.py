#!/usr/bin/python3
"""Grading and authoring checks behind ./wb (grade, check, reset).

Everything here drives CMake presets and ctest and reads what they report; nothing re-implements a
build or a test run.

  workbook.py grade [NN] [--verbose] [--json FILE]
  workbook.py grade-class FOLDER [NN]   # every student of a class: build/class/summary.csv
  workbook.py check                # authoring checks, run by .ci/run
  workbook.py files NN[.K]|all     # the exercise files that ./wb reset restores
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# For each configure preset a learner's side can be graded with: the test presets of the normal
# and of the ThreadSanitizer build.
GRADE_PRESETS = {
    "default": ("grade", "tsan", "grade-tsan"),
    "check-solutions": ("grade-check-solutions", "check-solutions-tsan", "grade-check-solutions-tsan"),
    "class": ("grade-class", "class-tsan", "grade-class-tsan"),
}


@dataclass
class Exercise:
    chapter: str
    folder: str
    number: str
    name: str
    sources: list[str]
    race: bool
    racy_stub: bool = False

    @property
    def id(self) -> str:
        return f"{self.chapter}.{self.number}"

    @property
    def test(self) -> str:
        return f"ch{self.chapter}.{self.name}.exercise"

    @property
    def test_source(self) -> str:
        return f"tests/{self.folder}/test_{self.name}.cpp"

    def files(self, side: str = "exercises") -> list[str]:
        return [f"{side}/{self.folder}/{s}" for s in self.sources]


@dataclass
class Chapter:
    number: str
    folder: str
    perf: bool
    exercises: list[Exercise] = field(default_factory=list)


def read_manifest(build: Path) -> list[Chapter]:
    path = build / "wb_chapters.tsv"
    if not path.exists():
        sys.exit(f"workbook: {path} is missing: configure first (./wb build)")
    chapters = []
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        nn, folder, perf, exercises, races, racy = (line.split("\t") + [""] * 6)[:6]
        race_names = set(filter(None, races.split(",")))
        racy_names = set(filter(None, racy.split(",")))
        ch = Chapter(nn, folder, perf == "perf")
        for entry in filter(None, exercises.split(",")):
            number, name, srcs = entry.split(":")
            ch.exercises.append(Exercise(nn, folder, number, name, srcs.split("+"), name in race_names,
                                         name in racy_names))
        ch.exercises.sort(key=lambda e: int(e.number))
        chapters.append(ch)
    return chapters


def pick_chapters(chapters: list[Chapter], wanted: str | None) -> list[Chapter]:
    if not wanted:
        return chapters
    if not re.fullmatch(r"\d{1,2}", wanted):
        print(f"workbook: '{wanted}' is not a chapter number", file=sys.stderr)
        sys.exit(2)
    nn = f"{int(wanted):02d}"
    picked = [c for c in chapters if c.number == nn]
    if not picked:
        print(f"workbook: there is no chapter {nn}", file=sys.stderr)
        sys.exit(2)
    return picked


def run(cmd: list[str], timeout: float | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=ROOT, text=True, capture_output=True, timeout=timeout)


def configure(preset: str) -> Path:
    """Configures a preset and returns its build folder, as CMake reports it (the class presets put
    theirs under build/class/<student>/)."""
    r = run(["cmake", "--preset", preset])
    if r.returncode != 0:
        print(r.stdout + r.stderr, file=sys.stderr)
        sys.exit(f"workbook: configuring preset {preset} failed")
    written = re.findall(r"Build files have been written to: (.+)", r.stdout)
    return Path(written[-1].strip()) if written else ROOT / "build" / preset


def build_targets(preset: str, targets: list[str]) -> None:
    """Builds what it can: -k 0 keeps going past a learner's file that does not compile."""
    run(["cmake", "--build", "--preset", preset, "--target", *targets, "--", "-k", "0"])


# ---------------------------------------------------------------------------------------------
# Running the exercise tests
# ---------------------------------------------------------------------------------------------
@dataclass
class Outcome:
    status: str          # pass, fail, not started, crashed, hangs, does not compile, race
    detail: str = ""
    output: str = ""


def run_ctest(test_preset: str, regex: str) -> dict[str, Outcome]:
    """Runs the tests matching regex; returns an Outcome per test name."""
    with tempfile.TemporaryDirectory() as tmp:
        junit = Path(tmp) / "junit.xml"
        r = run(["ctest", "--preset", test_preset, "-R", regex, "--output-junit", str(junit)])
        # ctest's summary says how a test failed (SEGFAULT, Timeout, Not Run, Failed, ...); JUnit
        # has each test's output.
        how = dict(re.findall(r"^\s*\d+ - (\S+) \((.+)\)\s*$", r.stdout, re.M))
        outcomes: dict[str, Outcome] = {}
        if not junit.exists():
            return outcomes
        for case in ET.parse(junit).getroot().iter("testcase"):
            name = case.get("name", "")
            out = "".join(case.findtext("system-out") or "")
            status = case.get("status")
            outcomes[name] = classify(status, how.get(name, ""), out)
    return outcomes


def chapter_outcomes(preset: str, test_preset: str, ch: Chapter) -> dict[str, Outcome]:
    """Builds what it can of the learner's side of one chapter and runs its exercise tests."""
    build_targets(preset, [f"ch{ch.number}_exercises"])
    return run_ctest(test_preset, rf"^ch{ch.number}\..*\.exercise$")


def tsan_outcomes(tsan_preset: str, tsan_test_preset: str, exercises: list[Exercise]) -> dict[str, Outcome]:
    """The learner's side of these exercises, built and run under ThreadSanitizer."""
    configure(tsan_preset)
    build_targets(tsan_preset, [f"ch{e.chapter}_test_{e.name}_exercise" for e in exercises])
    return run_ctest(tsan_test_preset, "^(" + "|".join(re.escape(e.test) for e in exercises) + ")$")


def classify(status: str | None, how: str, out: str) -> Outcome:
    if status == "run":
        return Outcome("pass", output=out)
    if status == "notrun" or how == "Not Run":
        return Outcome("does not compile", "the test program was not built", out)
    if "ThreadSanitizer: data race" in out:
        return Outcome("race", "ThreadSanitizer found a data race", out)
    if "NOT STARTED" in out:
        return Outcome("not started", "", out)
    if how == "Timeout":
        return Outcome("hangs", "stopped by the test timeout", out)
    if how in ("SEGFAULT", "Subprocess aborted", "Child aborted", "ILLEGAL", "BUS", "FPE", "Exception") or \
            how.startswith("Exception") or "signal" in how.lower():
        return Outcome("crashed", how, out)
    return Outcome("fail", first_failure(out), out)


def first_failure(out: str) -> str:
    """The first failed assertion in Catch2's output, as one line."""
    lines = out.splitlines()
    for i, line in enumerate(lines):
        if "FAILED:" in line:
            body = [l.strip() for l in lines[i + 1:i + 6] if l.strip() and not l.startswith("===")]
            return " ".join(body)[:160]
    return ""


def hint_for(ex: Exercise) -> str:
    """The first 'Hint:' of the learner's file (or of the committed stub), as one line."""
    for f in ex.files():
        path = ROOT / f
        texts = []
        if path.exists():
            texts.append(path.read_text(errors="replace"))
        committed = run(["git", "show", f"HEAD:{f}"])
        if committed.returncode == 0:
            texts.append(committed.stdout)
        for text in texts:
            lines = text.splitlines()
            for i, line in enumerate(lines):
                m = re.search(r"Hint:\s*(.+)", line)
                if not m:
                    continue
                # A hint may go on over the next comment lines.
                parts = [m.group(1).strip()]
                for more in lines[i + 1:]:
                    body = more.strip()
                    if not body.startswith("//") or re.search(r"EXERCISE|Hint:", body) or body == "//":
                        break
                    parts.append(body.lstrip("/ ").strip())
                hint = " ".join(parts)
                return hint if len(hint) <= 240 else hint[:237] + "..."
    return ""


def grade(args) -> int:
    test_preset, tsan_preset, tsan_test_preset = GRADE_PRESETS[args.preset]
    build = configure(args.preset)
    chapters = pick_chapters(read_manifest(build), args.chapter)
    total = len(chapters)
    results: dict[str, Outcome] = {}

    for i, ch in enumerate(chapters, 1):
        print(f"--- chapter {ch.number} ({i} of {total}): building your exercises and running their tests",
              flush=True)
        results.update(chapter_outcomes(args.preset, test_preset, ch))

    # Race exercises: a data race fails the exercise even when the numbers come out right.
    race_exs = [e for ch in chapters for e in ch.exercises if e.race]
    race_checked = set()
    if race_exs:
        print(f"--- race check: {len(race_exs)} exercise(s) under ThreadSanitizer (clang++)", flush=True)
        for name, o in tsan_outcomes(tsan_preset, tsan_test_preset, race_exs).items():
            race_checked.add(name)
            if o.status == "race" and results.get(name, Outcome("")).status == "pass":
                results[name] = o

    # Speed against the reference, for chapters that have speed goals.
    perf_reports = {}
    for ch in chapters:
        if not ch.perf:
            continue
        exe = build / "chapters" / ch.folder / f"ch{ch.number}_perf"
        if not exe.exists():
            perf_reports[ch.number] = "not built (an exercise of this chapter does not compile)"
            continue
        print(f"--- chapter {ch.number}: timing your code against the reference", flush=True)
        # Code that fails, crashes or hangs in its tests is not timed (not-started code says so itself).
        failing = [e.id for e in ch.exercises
                   if results.get(e.test, Outcome("")).status in ("fail", "crashed", "hangs")]
        try:
            r = run([str(exe), "--skip", ",".join(failing)], timeout=300)
            perf_reports[ch.number] = (r.stdout + r.stderr).rstrip() if r.returncode in (0, 1) else \
                f"the speed report crashed (exit {r.returncode}):\n{r.stdout}{r.stderr}"
        except subprocess.TimeoutExpired:
            perf_reports[ch.number] = "the speed report did not finish in 300 s"

    # Scoreboard
    rows, counts = [], {}
    for ch in chapters:
        for ex in ch.exercises:
            o = results.get(ex.test, Outcome("does not compile", "the test program was not built"))
            if o.status == "pass" and ex.race:
                o.detail = "no race found" if ex.test in race_checked else "race check did not run"
            counts[o.status] = counts.get(o.status, 0) + 1
            if o.status == "pass":
                nxt = o.detail
            elif o.status == "not started":
                nxt = f"open {ex.files()[0]}\n{'':<52}hint: {hint_for(ex)}"
            elif o.status == "does not compile":
                nxt = f"./wb build {ch.number} shows the compiler's message for {ex.files()[0]}"
            else:
                nxt = f"{o.detail}  ({ex.files()[0]}; details: ./wb grade {ch.number} --verbose)"
            rows.append((ex.id, ex.name, o.status.upper() if o.status != "pass" else "pass", nxt, o))

    print()
    print(f"{'exercise':<9} {'name':<24} {'status':<17} next step")
    print("-" * 100)
    for eid, name, status, nxt, o in rows:
        print(f"{eid:<9} {name:<24} {status:<17} {nxt}")
        if args.verbose and status not in ("pass", "NOT STARTED"):
            print("    " + "\n    ".join(o.output.splitlines()[-40:]))
    print("-" * 100)
    print(", ".join(f"{n} {s}" for s, n in sorted(counts.items())))
    for nn, report in perf_reports.items():
        print(f"\nSpeed of your chapter {nn} code against the reference (same process, alternating runs):")
        print(report)

    if args.json:
        Path(args.json).write_text(json.dumps({
            "exercises": [{"id": r[0], "name": r[1], "status": r[4].status, "detail": r[4].detail} for r in rows],
            "speed": perf_reports}, indent=2))
    all_pass = all(r[4].status == "pass" for r in rows)
    broken = r"error:|crashed|not built|did not finish"
    speed_ok = not any(re.search(broken if args.speed_advisory else r"\bFAIL\b|" + broken, rep)
                       for rep in perf_reports.values())
    return 0 if all_pass and speed_ok else 1


# ---------------------------------------------------------------------------------------------
# Authoring checks
# ---------------------------------------------------------------------------------------------
def check(args) -> int:
    problems: list[str] = []
    test_preset, tsan_preset, tsan_test_preset = GRADE_PRESETS["default"]
    build = configure("default")
    chapters = read_manifest(build)

    print("--- every stub is marked: goal, EXERCISE gaps, hints, WB_TODO; every solution has the same file")
    for ch in chapters:
        for ex in ch.exercises:
            for stub, sol in zip(ex.files("exercises"), ex.files("solutions")):
                text = (ROOT / stub).read_text()
                if not re.search(rf"EXERCISE {ch.number}\.{ex.number} Goal:", text):
                    problems.append(f"{stub}: no 'EXERCISE {ch.number}.{ex.number} Goal:' header")
                if "// EXERCISE:" not in text:
                    problems.append(f"{stub}: no '// EXERCISE:' gap")
                if "Hint:" not in text:
                    problems.append(f"{stub}: no 'Hint:'")
                if f'WB_TODO("{ch.number}.{ex.number}")' not in text:
                    problems.append(f'{stub}: no WB_TODO("{ch.number}.{ex.number}")')
                if not (ROOT / sol).exists():
                    problems.append(f"{sol}: missing")
                if not (ROOT / ex.test_source).exists():
                    problems.append(f"{ex.test_source}: missing")

    print("--- the untouched stubs: every one compiles and fails with NOT STARTED naming its file")
    for ch in chapters:
        outcomes = chapter_outcomes("default", test_preset, ch)
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
        print(f"--- the {len(racy)} stubs that are racy on purpose: ThreadSanitizer reports each one")
        outcomes = tsan_outcomes(tsan_preset, tsan_test_preset, racy)
        for e in racy:
            if "ThreadSanitizer: data race" not in outcomes.get(e.test, Outcome("")).output:
                problems.append(f"{e.files()[0]}: ThreadSanitizer did not report the stub's race")

    print("--- the solutions in the learner's place: the grader gives every exercise 'pass'")
    # The solutions are timed against themselves here, so a FAIL verdict can only be noise on a busy
    # machine: the verdicts are printed but do not fail the check; a report that breaks still does.
    r = subprocess.run([sys.executable, __file__, "grade", "--preset", "check-solutions", "--speed-advisory"],
                       cwd=ROOT, text=True)
    if r.returncode != 0:
        problems.append("grading the solutions in the learner's place did not give all 'pass' (scoreboard above)")

    print()
    if problems:
        print(f"Authoring check: {len(problems)} problem(s)")
        for p in problems:
            print("  - " + p)
        return 1
    n = sum(len(c.exercises) for c in chapters)
    print(f"Authoring check: {n} exercises in {len(chapters)} chapters, all stubs fail as they should, "
          "all solutions pass, every stub has hints")
    return 0


# ---------------------------------------------------------------------------------------------
# Grading a class
# ---------------------------------------------------------------------------------------------
CLASS_MARKS = {"pass": "P", "fail": "F", "not started": ".", "crashed": "C", "hangs": "H",
               "does not compile": "X", "race": "R"}


def speed_verdicts(reports: dict[str, str]) -> dict[str, int]:
    """How many speed cases of a grade's reports passed, failed or were inconclusive."""
    counts = {"pass": 0, "FAIL": 0, "inconclusive": 0}
    for report in reports.values():
        for verdict in re.findall(r"x\s+(pass|FAIL|inconclusive)\b", report):
            counts[verdict] += 1
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
    print("P pass, F fail, . not started, C crashed, H hangs, X does not compile, R data race")
    print(f"Each student's scoreboard: {out_root}/<student>/grade.txt; the table: {out_root / 'summary.csv'}")
    return 0 if len(grades) == len(students) else 1


def files(args) -> int:
    build = configure(args.preset)
    chapters = read_manifest(build)
    what = args.what
    if what == "all":
        exs = [e for c in chapters for e in c.exercises]
    else:
        m = re.fullmatch(r"(\d{1,2})(?:\.(\d+))?", what)
        if not m:
            print(f"workbook: '{what}' is not NN, NN.K or all", file=sys.stderr)
            return 2
        ch = pick_chapters(chapters, m.group(1))[0]
        exs = [e for e in ch.exercises if m.group(2) is None or int(e.number) == int(m.group(2))]
        if not exs:
            print(f"workbook: chapter {ch.number} has no exercise {m.group(2)}", file=sys.stderr)
            return 2
    print("\n".join(f for e in exs for f in e.files()))
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("grade", help="grade the learner's exercises")
    g.add_argument("chapter", nargs="?", help="a chapter number such as 01 (default: every chapter)")
    g.add_argument("--preset", default="default", choices=sorted(GRADE_PRESETS))
    g.add_argument("--json", help="also write the scoreboard as JSON (for grading a class)")
    g.add_argument("--verbose", action="store_true", help="show the test output of failing exercises")
    g.add_argument("--speed-advisory", action="store_true",
                   help="print the speed verdicts, but let only a broken speed report fail the grade")
    c = sub.add_parser("grade-class", help="grade every student folder of a class (instructors)")
    c.add_argument("folder", help="a folder with one sub-folder per student, each a copy of exercises/")
    c.add_argument("chapter", nargs="?", help="a chapter number such as 01 (default: every chapter)")
    sub.add_parser("check", help="authoring checks")
    f = sub.add_parser("files", help="list exercise files")
    f.add_argument("--preset", default="default")
    f.add_argument("what")
    args = ap.parse_args()
    return {"grade": grade, "grade-class": grade_class, "check": check, "files": files}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
