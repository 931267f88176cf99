#!/usr/bin/env bash
# tools/tests/reset_check.sh: ./wb reset gives the untouched stub back whatever the learner did with git.
# In a throw-away clone: (1) the learner edits exercise 00.1 and commits it; reset must restore the stub,
# not their commit, and keep their version in build/reset-backup/. (2) The same in a copy without .git
# (a learner who downloaded an archive).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git clone -q . "$tmp/repo"
# The working tree's own tools and stubs (the clone has the last commit; a check before committing
# should test what is about to be committed).
cp -r tools exercises wb CMakePresets.json cmake "$tmp/repo/"
cd "$tmp/repo"
file=$(/usr/bin/python3 -c 'import json; d=json.load(open("tools/pristine_stubs.json")); print(sorted(k for k in d if k.startswith("exercises/00_"))[0])')
id=$(/usr/bin/python3 - "$file" <<'EOF'
import re, sys
m = re.search(r"EXERCISE (\d\d\.\d+) Goal", open(sys.argv[1]).read())
print(m.group(1))
EOF
)
pristine=$(mktemp)
/usr/bin/python3 -c 'import json,sys; sys.stdout.write(json.load(open("tools/pristine_stubs.json"))[sys.argv[1]])' "$file" > "$pristine"

expect_restored() {
  cmp -s "$file" "$pristine" || { echo "reset_check: $1: $file is not the pristine stub after ./wb reset $id"; exit 1; }
  grep -rqs "learner was here" build/reset-backup/ || { echo "reset_check: $1: the learner's version was not saved"; exit 1; }
  rm -rf build/reset-backup
  echo "reset_check: $1: stub restored, the learner's version saved"
}

echo "// learner was here" >> "$file"
git -c user.email=l@example.org -c user.name=learner commit -qam "my solution"
./wb reset "$id" > /dev/null
expect_restored "after the learner committed their version"

rm -rf .git
echo "// learner was here" >> "$file"
./wb reset "$id" > /dev/null
expect_restored "in a copy without .git"
