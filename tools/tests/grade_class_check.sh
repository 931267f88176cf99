#!/usr/bin/env bash
# tools/tests/grade_class_check.sh [NN]: the instructor's path, end to end. Makes a class of three in a
# temporary folder: "ada" hands in the reference solutions as her exercises/, "bob" the untouched
# stubs, and "cy" a whole checkout with one solution file and nothing else. Then runs
# ./wb grade-class on it for chapter NN (default 00) and checks the table it writes:
# ada passes everything, bob nothing, cy exactly the one exercise he solved.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
nn="${1:-00}"
slug=$(basename "$(ls -d chapters/"$nn"_*)")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/ada" "$tmp/bob" "$tmp/cy/exercises/$slug"
cp -r solutions "$tmp/ada/exercises"
cp -r exercises "$tmp/bob/exercises"
first=$(ls "solutions/$slug" | head -n 1)
cp "solutions/$slug/$first" "$tmp/cy/exercises/$slug/"

./wb grade-class "$tmp" "$nn"

/usr/bin/python3 - "build/class/summary.csv" "$nn" <<'EOF'
import csv, sys
rows = {r["student"]: r for r in csv.DictReader(open(sys.argv[1]))}
nn = sys.argv[2]
ids = [k for k in next(iter(rows.values())) if k.startswith(nn + ".")]
problems = []
if sorted(rows) != ["ada", "bob", "cy"]:
    problems.append(f"students graded: {sorted(rows)}")
if not ids:
    problems.append("no exercise columns")
for i in ids:
    if rows["ada"][i] != "pass":
        problems.append(f"ada (the solutions) {i}: {rows['ada'][i]}")
    if rows["bob"][i] != "not started":
        problems.append(f"bob (the stubs) {i}: {rows['bob'][i]}")
cy = [i for i in ids if rows["cy"][i] == "pass"]
if len(cy) != 1 or any(rows["cy"][i] != "not started" for i in ids if i not in cy):
    problems.append(f"cy (one solution file, the rest missing): {[rows['cy'][i] for i in ids]}")
if problems:
    sys.exit("grade-class check failed:\n  " + "\n  ".join(problems))
print(f"grade-class check: {len(ids)} exercises of chapter {nn} graded as expected for 3 students")
EOF
