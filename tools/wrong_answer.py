#!/usr/bin/python3
"""A wrong answer of an exercise: a unified diff from the solution, with two header lines.

    WRONG: <the mistake, in one line>
    REJECTED BY: test | race | asan | speed   (one or more, separated by commas)
    --- solutions/NN_slug/name.cpp
    +++ wrong answer
    @@ -a,b +c,d @@
    ...

  wrong_answer.py apply DIFF SOLUTION OUT   # writes the wrong answer to OUT (only if its text changed);
                                            # prints the REJECTED BY list; exit 1 if the diff does not apply
  wrong_answer.py show DIFF                 # prints the header

The diff must apply exactly (no fuzz): a wrong answer that no longer matches its solution is an authoring
error that `./wb check` reports, never silently skipped.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

KINDS = ("test", "race", "asan", "speed")


@dataclass
class WrongAnswer:
    path: Path
    mistake: str = ""
    rejected_by: list[str] = field(default_factory=list)
    target: str = ""                      # the file named on the '---' line
    hunks: list[tuple[int, list[str]]] = field(default_factory=list)   # (old start line, body lines)


def parse(path: Path) -> WrongAnswer:
    w = WrongAnswer(path)
    lines = path.read_text().splitlines()
    i = 0
    while i < len(lines) and not lines[i].startswith("--- "):
        m = re.match(r"WRONG:\s*(.+)", lines[i])
        if m:
            w.mistake = m.group(1).strip()
        m = re.match(r"REJECTED BY:\s*(.+)", lines[i])
        if m:
            w.rejected_by = [k.strip() for k in m.group(1).split(",") if k.strip()]
        i += 1
    if not w.mistake:
        raise ValueError(f"{path}: no 'WRONG: <the mistake>' line before the diff")
    bad = [k for k in w.rejected_by if k not in KINDS]
    if not w.rejected_by or bad:
        raise ValueError(f"{path}: 'REJECTED BY:' must list some of {', '.join(KINDS)}")
    if i >= len(lines):
        raise ValueError(f"{path}: no diff ('--- ' line) after the header")
    w.target = lines[i][4:].split("\t")[0].strip()
    i += 2  # '---' and '+++'
    while i < len(lines):
        m = re.match(r"@@ -(\d+)(?:,\d+)? \+\d+(?:,\d+)? @@", lines[i])
        if not m:
            raise ValueError(f"{path}:{i + 1}: expected a hunk header '@@ -a,b +c,d @@'")
        start, body = int(m.group(1)), []
        i += 1
        while i < len(lines) and not lines[i].startswith("@@"):
            body.append(lines[i])
            i += 1
        w.hunks.append((start, body))
    if not w.hunks:
        raise ValueError(f"{path}: the diff has no hunk")
    return w


def apply(w: WrongAnswer, text: str) -> str:
    src = text.splitlines()
    out: list[str] = []
    pos = 0  # next source line (0-based) not yet copied
    for start, body in w.hunks:
        at = max(start - 1, 0)
        if at < pos:
            raise ValueError(f"{w.path}: hunks overlap or are out of order")
        out.extend(src[pos:at])
        pos = at
        for line in body:
            tag, content = (line[:1], line[1:]) if line else (" ", "")
            if tag == "\\":      # "\ No newline at end of file"
                continue
            if tag in (" ", "-"):
                if pos >= len(src) or src[pos] != content:
                    got = src[pos] if pos < len(src) else "<end of file>"
                    raise ValueError(f"{w.path}: does not apply at line {pos + 1}: expected {content!r}, "
                                     f"found {got!r} (was the solution changed? regenerate the diff)")
                pos += 1
                if tag == " ":
                    out.append(content)
            elif tag == "+":
                out.append(content)
            else:
                raise ValueError(f"{w.path}: unexpected line in a hunk: {line!r}")
    out.extend(src[pos:])
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "show":
        w = parse(Path(argv[1]))
        print(f"WRONG: {w.mistake}\nREJECTED BY: {', '.join(w.rejected_by)}")
        return 0
    if len(argv) != 4 or argv[0] != "apply":
        print(__doc__, file=sys.stderr)
        return 2
    try:
        w = parse(Path(argv[1]))
        result = apply(w, Path(argv[2]).read_text())
    except (ValueError, OSError) as e:
        print(f"wrong_answer: {e}", file=sys.stderr)
        return 1
    out = Path(argv[3])
    out.parent.mkdir(parents=True, exist_ok=True)
    if not out.exists() or out.read_text() != result:
        out.write_text(result)
    print(",".join(w.rejected_by), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
