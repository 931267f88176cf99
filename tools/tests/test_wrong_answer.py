#!/usr/bin/python3
"""Tests of tools/wrong_answer.py: a wrong answer applies exactly, or is reported, never half-applied."""
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import wrong_answer  # noqa: E402

SOLUTION = "int f() {\n    int x = 0;\n    x += 1;\n    return x;\n}\n"
DIFF = """WRONG: adds two instead of one
REJECTED BY: test, speed
--- solutions/00/f.cpp
+++ wrong answer
@@ -2,3 +2,3 @@
     int x = 0;
-    x += 1;
+    x += 2;
     return x;
"""


def write(folder: Path, name: str, text: str) -> Path:
    p = folder / name
    p.write_text(text)
    return p


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        w = wrong_answer.parse(write(d, "f.two.diff", DIFF))
        assert w.mistake == "adds two instead of one", w.mistake
        assert w.rejected_by == ["test", "speed"], w.rejected_by
        assert wrong_answer.apply(w, SOLUTION) == SOLUTION.replace("x += 1", "x += 2")
        # The solution changed under the diff: reported, not applied with fuzz.
        try:
            wrong_answer.apply(w, SOLUTION.replace("int x = 0", "int x = 5"))
            raise AssertionError("a diff that no longer matches was applied")
        except ValueError as e:
            assert "does not apply at line 2" in str(e), e
        # Header lines are required and checked.
        for bad in (DIFF.replace("WRONG: adds two instead of one\n", ""),
                    DIFF.replace("REJECTED BY: test, speed", "REJECTED BY: luck")):
            try:
                wrong_answer.parse(write(d, "f.bad.diff", bad))
                raise AssertionError("a header without WRONG or with an unknown rejecter was accepted")
            except ValueError:
                pass
        # The command line writes the file and prints who rejects it.
        sol = write(d, "f.cpp", SOLUTION)
        assert wrong_answer.main(["apply", str(d / "f.two.diff"), str(sol), str(d / "out" / "f.cpp")]) == 0
        assert (d / "out" / "f.cpp").read_text() == SOLUTION.replace("x += 1", "x += 2")
    print("test_wrong_answer: 4 checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
