#!/usr/bin/python3
"""Works around a Doxygen 1.9.4 bug in the navigation tree of the HTML docs.

Two headers with the same name in different chapters (ch03 and ch04 both have counter.hpp, ch02 and
ch05 mandelbrot.hpp) get pages named after their path, e.g. 04__race__conditions_2include_2ch04_2counter_8hpp.
Doxygen also uses that name as a JavaScript variable in the page's tree file (`var 04__race... = [...]`),
which is not a valid name: the browser reports a syntax error and the tree does not open there.
This rewrites such declarations as `window["04__race..."] = [...]` and makes navtree.js look the data
up by name instead of evaluating it. Idempotent; run by the `docs` target after Doxygen.
Usage: fix_navtree.py HTML_DIR
"""
import re
import sys
from pathlib import Path

BAD_VAR = re.compile(r"^var ([0-9][A-Za-z0-9_]*) =", re.MULTILINE)
EVAL = "return eval(n.replace(/\\-/g,'_'));"
LOOKUP = "return window[n.replace(/\\-/g,'_')];"


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    html = Path(sys.argv[1])
    fixed = 0
    for js in html.glob("*.js"):
        text = js.read_text(errors="replace")
        new = BAD_VAR.sub(lambda m: f'window["{m.group(1)}"] =', text)
        if new != text:
            js.write_text(new)
            fixed += 1
    navtree = html / "navtree.js"
    if navtree.exists():
        text = navtree.read_text()
        if EVAL in text:
            navtree.write_text(text.replace(EVAL, LOOKUP))
        elif LOOKUP not in text:
            print("fix_navtree: navtree.js has no getData() to fix: has Doxygen changed? "
                  "Check the navigation tree of a header that two chapters share by name.", file=sys.stderr)
            return 1
    if fixed:
        print(f"fix_navtree: {fixed} navigation tree file(s) fixed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
