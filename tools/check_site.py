#!/usr/bin/python3
"""Checks the generated HTML docs the way a reader meets them: in a real browser.

    tools/check_site.py build/default/docs/html --warnings build/default/docs/warnings.log
    tools/check_site.py HTML_DIR --screenshot results_ch05.html=/tmp/ch05.png

Fails (exit 1) on:
  - a Doxygen warning (the log given with --warnings is not empty),
  - a broken internal link: an href or src to a file that is not there, or to an #anchor that the
    target page does not have,
  - Doxygen markup left in a page's text (an unresolved @ref, \\snippet, {#label}, ...), which is how a
    Doxygen error shows to the reader,
  - in headless Chromium, at a window WIDTH pixels wide (default 1280): an image that does not load or
    decode, an image cut off at the right edge of the content column, or a script error.
The browser pass loads every top-level page of the site in one Chromium process: a small harness page,
served with the site from 127.0.0.1 by this script, opens each page in a frame of that width and posts
what it finds back. Chromium is Debian's `chromium` (installed by `tools/setup.sh --browser`); without it
the check fails unless --no-browser is given. --screenshot PAGE=PNG saves a picture of a page as the
reader sees it at that width (the window is made tall so that the page's plots are in it).
Exit codes: 0 clean, 1 problems found, 2 bad usage or no browser.
"""
from __future__ import annotations

import argparse
import fnmatch
import html.parser
import http.server
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

# Doxygen commands that should never reach a reader: left in the text, they mean Doxygen did not
# resolve them (a missing label, a snippet it could not find, a page it did not know).
LEFTOVER = re.compile(r"(?<![\w`/])[@\\](ref|subpage|snippet|page|section|subsection|image|include|copydoc|anchor)\s"
                      r"|\{#[A-Za-z_][\w-]*\}")
SKIP_TEXT_IN = {"pre", "code", "script", "style", "textarea"}
SKIP_TEXT_CLASSES = {"fragment", "line"}


class Page(html.parser.HTMLParser):
    """The links, anchors and visible text of one HTML file."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str]] = []   # (attribute, value)
        self.text: list[str] = []
        self._skip: list[str] = []               # open elements whose text is not checked

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("id", "name"):
            if a.get(key):
                self.ids.add(a[key])
        if tag in ("a", "link", "area") and a.get("href"):
            self.refs.append(("href", a["href"]))
        if tag in ("img", "script", "iframe") and a.get("src"):
            self.refs.append(("src", a["src"]))
        classes = set((a.get("class") or "").split())
        if tag in SKIP_TEXT_IN or classes & SKIP_TEXT_CLASSES:
            self._skip.append(tag)
        elif self._skip and tag == self._skip[-1]:
            self._skip.append(tag)               # nested element of the same name: balance the end tag

    def handle_endtag(self, tag):
        if self._skip and tag == self._skip[-1]:
            self._skip.pop()

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def internal_target(base: Path, value: str) -> tuple[Path, str] | None:
    """The file and fragment an href/src points to inside the site, or None for external links."""
    parsed = urllib.parse.urlsplit(value)
    if parsed.scheme or value.startswith("//") or value.startswith(("mailto:", "javascript:")):
        return None
    path = urllib.parse.unquote(parsed.path)
    target = (base.parent / path) if path else base
    return target, urllib.parse.unquote(parsed.fragment)


def static_check(root: Path) -> tuple[list[str], list[Path]]:
    """Links, anchors and leftover markup over every HTML file. Returns problems and the pages that
    the browser pass loads (top-level pages, not the search index fragments)."""
    files = sorted(root.rglob("*.html"))
    parsed: dict[Path, Page] = {}
    for f in files:
        p = Page()
        p.feed(f.read_text(errors="replace"))
        parsed[f.resolve()] = p
    problems = []
    for f in files:
        page = parsed[f.resolve()]
        rel = f.relative_to(root)
        for attr, value in page.refs:
            t = internal_target(f, value)
            if t is None:
                continue
            target, fragment = t
            if not target.exists():
                problems.append(f"{rel}: broken link {attr}=\"{value}\" (no file {target.relative_to(root) if target.is_relative_to(root) else target})")
                continue
            if fragment and target.suffix == ".html":
                other = parsed.get(target.resolve())
                if other is not None and fragment not in other.ids:
                    problems.append(f"{rel}: broken link {attr}=\"{value}\" (no anchor #{fragment} in {target.name})")
        text = " ".join(page.text)
        for m in LEFTOVER.finditer(text):
            around = text[max(0, m.start() - 40):m.end() + 40].replace("\n", " ")
            problems.append(f"{rel}: Doxygen markup left in the text: ...{around.strip()}...")
    pages = [f for f in files if f.parent == root]
    return problems, pages


# --------------------------------------------------------------------------------------------
# The browser pass
# --------------------------------------------------------------------------------------------
# Put at the top of every page served to the browser: script errors, and resources (scripts, images,
# style sheets) that fail to load, which fire "error" on their element and reach window when captured.
ERROR_RECORDER = """<script>window.__wbErrors = [];
window.addEventListener("error", function (e) {
  var t = e.target;
  if (t && t !== window && (t.src || t.href)) window.__wbErrors.push("failed to load " + (t.src || t.href));
  else window.__wbErrors.push("script error: " + (e.message || e));
}, true);</script>"""

HARNESS = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>site check</title></head>
<body style="margin:0">
<iframe id="f" style="width:%(width)dpx;height:%(height)dpx;border:0"></iframe>
<script>
const pages = %(pages)s;
const frame = document.getElementById("f");
function post(body) {
  return fetch("/__wb_report__", {method: "POST", body: JSON.stringify(body)});
}
function sleep(ms) { return new Promise(r => setTimeout(r, ms)); }
function load(url) {
  return new Promise(resolve => {
    const timer = setTimeout(() => resolve(false), 20000);
    frame.onload = () => { clearTimeout(timer); resolve(true); };
    frame.src = url;
  });
}
async function check(url) {
  const found = {page: url, problems: [], notes: []};
  if (!(await load(url))) { found.problems.push("did not finish loading in 20 s"); return found; }
  const win = frame.contentWindow, doc = frame.contentDocument;
  const imgs = Array.from(doc.images);
  for (let i = 0; i < 100 && imgs.some(im => !im.complete); ++i) await sleep(50);
  await sleep(50);
  const content = doc.getElementById("doc-content") || doc.body;
  const box = content.getBoundingClientRect();
  const right = box.left + content.clientWidth;  // the content column, without its scroll bar
  for (const im of imgs) {
    if (im.closest("#nav-tree, #MSearchBox, .footer")) continue;
    const src = im.getAttribute("src");
    if (!im.complete || im.naturalWidth === 0) { found.problems.push("image does not load: " + src); continue; }
    const r = im.getBoundingClientRect();
    if (r.width > 0 && r.right > right + 1)
      found.problems.push(`image cut off at the right: ${src} (ends at ${Math.round(r.right)} px, the content column at ${Math.round(right)} px)`);
    if (r.width > 0 && r.width < 0.9 * im.naturalWidth)
      found.notes.push(`image shrunk to fit: ${src} (${im.naturalWidth} px shown at ${Math.round(r.width)} px)`);
  }
  if (content.scrollWidth > content.clientWidth + 1)
    found.notes.push(`content wider than the window by ${content.scrollWidth - content.clientWidth} px`);
  await sleep(100);  // scripts the page loads after its load event (the navigation tree)
  for (const e of (win.__wbErrors || [])) found.problems.push(e);
  return found;
}
(async () => {
  for (const url of pages) {
    let found;
    try { found = await check(url); } catch (e) { found = {page: url, problems: ["check failed: " + e], notes: []}; }
    await post(found);
  }
  await post({done: true});
})();
</script></body></html>
"""


def chromium_binary(name: str | None) -> str | None:
    for candidate in ([name] if name else ["chromium", "chromium-browser", "google-chrome"]):
        path = shutil.which(candidate)
        if path:
            return path
    return None


def stop(proc: subprocess.Popen) -> None:
    """Ends the Chromium this script started and every process it started (its own session)."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=wait)
            # Its helpers (renderer, crash handler) may outlive it for a moment.
            time.sleep(0.5)
            os.killpg(proc.pid, signal.SIGKILL)
        except (subprocess.TimeoutExpired, ProcessLookupError):
            continue
        break


def profile_dir():
    """A throw-away Chromium profile; a helper still writing to it must not fail the check."""
    return tempfile.TemporaryDirectory(prefix="wb-chromium-", ignore_cleanup_errors=True)


def chromium_env(profile: str) -> dict:
    """Chromium's own temporary files (a socket folder per run) go inside the throw-away profile."""
    tmp = Path(profile) / "tmp"
    tmp.mkdir(exist_ok=True)
    return dict(os.environ, TMPDIR=str(tmp))


def chromium_args(binary: str, profile: str, width: int, height: int) -> list[str]:
    args = [binary, "--headless=new", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
            "--disable-extensions", "--hide-scrollbars", f"--user-data-dir={profile}",
            f"--window-size={width},{height}"]
    if os.geteuid() == 0:
        args.append("--no-sandbox")   # Chromium refuses to run as root with its sandbox
    return args


class Site:
    """The HTML folder served on 127.0.0.1, plus the harness page and the report endpoint."""

    def __init__(self, root: Path, harness: str):
        self.reports: list[dict] = []
        self.done = threading.Event()
        site = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *a, **k):
                super().__init__(*a, directory=str(root), **k)

            def log_message(self, *a):  # quiet
                pass

            def send_html(self, body: bytes):
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
                if path == "/__wb_check__.html":
                    self.send_html(harness.encode())
                    return
                file = (root / path.lstrip("/")).resolve()
                if file.suffix == ".html" and file.is_file() and file.is_relative_to(root.resolve()):
                    # Every page records its own errors from the first moment on, failed loads included.
                    text = file.read_text(errors="replace")
                    text = re.sub(r"<head>", "<head>" + ERROR_RECORDER, text, count=1)
                    self.send_html(text.encode())
                    return
                super().do_GET()

            def do_POST(self):
                n = int(self.headers.get("Content-Length", "0"))
                data = json.loads(self.rfile.read(n) or b"{}")
                self.send_response(204)
                self.end_headers()
                if data.get("done"):
                    site.done.set()
                else:
                    site.reports.append(data)

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                # The harness moves on to the next page while a file may still be on its way.
                if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
                    super().handle_error(request, client_address)

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}"


def browser_check(root: Path, pages: list[Path], binary: str, width: int, height: int,
                  timeout: float, verbose: bool) -> tuple[list[str], list[str]]:
    names = [urllib.parse.quote(p.name) for p in pages]
    harness = HARNESS % {"width": width, "height": height, "pages": json.dumps(names)}
    problems, notes = [], []
    with Site(root, harness) as site, profile_dir() as profile:
        cmd = chromium_args(binary, profile, width + 20, height + 20) + [site.url("__wb_check__.html")]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                start_new_session=True, env=chromium_env(profile))
        try:
            deadline = time.monotonic() + timeout
            while not site.done.wait(0.5):
                if proc.poll() is not None:
                    err = proc.stderr.read() if proc.stderr else ""
                    problems.append(f"chromium exited ({proc.returncode}) before the check finished: {err.strip()[-500:]}")
                    break
                if time.monotonic() > deadline:
                    problems.append(f"the browser pass did not finish in {timeout:.0f} s "
                                    f"({len(site.reports)} of {len(pages)} pages checked)")
                    break
        finally:
            stop(proc)
        seen = {r.get("page") for r in site.reports}
        if site.done.is_set():
            for n in names:
                if n not in seen:
                    problems.append(f"{urllib.parse.unquote(n)}: never reported by the browser")
        for r in site.reports:
            page = urllib.parse.unquote(r.get("page", "?"))
            problems += [f"{page}: {p}" for p in r.get("problems", [])]
            notes += [f"{page}: {n}" for n in r.get("notes", [])]
        if verbose:
            print(f"check_site: the browser checked {len(site.reports)} of {len(pages)} pages")
    return problems, notes


def screenshot(root: Path, page: str, out: Path, binary: str, width: int, height: int) -> str | None:
    with Site(root, "") as site, profile_dir() as profile:
        cmd = chromium_args(binary, profile, width, height) + [
            f"--screenshot={out.resolve()}", "--virtual-time-budget=5000", site.url(page)]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                start_new_session=True, env=chromium_env(profile))
        try:
            output, _ = proc.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            stop(proc)
            return f"screenshot of {page}: chromium did not finish in 120 s"
        stop(proc)
        if proc.returncode != 0 or not out.exists():
            return f"screenshot of {page} failed ({proc.returncode}): {output.strip()[-500:]}"
    return None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("html", type=Path, help="the docs' html folder (build/<preset>/docs/html)")
    ap.add_argument("--warnings", type=Path, help="Doxygen's warning log: any line in it fails the check")
    ap.add_argument("--no-browser", action="store_true", help="only the static checks (no Chromium)")
    ap.add_argument("--browser", help="the browser to run (default: chromium)")
    ap.add_argument("--width", type=int, default=1280, help="window width in pixels (default 1280)")
    ap.add_argument("--height", type=int, default=900, help="window height for the page checks (default 900)")
    ap.add_argument("--timeout", type=float, default=600, help="seconds the browser pass may take (default 600)")
    ap.add_argument("--pages", default="*", metavar="GLOB",
                    help="load only the pages matching GLOB in the browser (default: all), e.g. 'results*'")
    ap.add_argument("--screenshot", action="append", default=[], metavar="PAGE=PNG",
                    help="save a screenshot of PAGE (e.g. results_ch05.html) at --width to PNG")
    ap.add_argument("--screenshot-height", type=int, default=3000, help="window height for screenshots")
    ap.add_argument("-v", "--verbose", action="store_true", help="also list images shrunk to fit")
    args = ap.parse_args()

    root = args.html
    if not (root / "index.html").is_file():
        print(f"check_site: {root} has no index.html: build the docs first (./wb docs)", file=sys.stderr)
        return 2
    shots = []
    for s in args.screenshot:
        if "=" not in s:
            print(f"check_site: --screenshot wants PAGE=PNG, got {s!r}", file=sys.stderr)
            return 2
        page, out = s.split("=", 1)
        if not (root / page).is_file():
            print(f"check_site: no page {page} in {root}", file=sys.stderr)
            return 2
        shots.append((page, Path(out)))

    problems: list[str] = []
    if args.warnings:
        if not args.warnings.exists():
            problems.append(f"{args.warnings}: no Doxygen warning log (were the docs built?)")
        else:
            lines = [ln for ln in args.warnings.read_text(errors="replace").splitlines() if ln.strip()]
            problems += [f"Doxygen: {ln}" for ln in lines]

    t0 = time.monotonic()
    static, pages = static_check(root)
    problems += static
    print(f"check_site: {len(pages)} pages, links, anchors and leftover markup checked "
          f"in {time.monotonic() - t0:.1f} s")

    notes: list[str] = []
    if args.no_browser and shots:
        print("check_site: --screenshot needs the browser (drop --no-browser)", file=sys.stderr)
        return 2
    if not args.no_browser:
        binary = chromium_binary(args.browser)
        if binary is None:
            print("check_site: no Chromium found (install it with `tools/setup.sh --browser`, "
                  "or run with --no-browser for the static checks only)", file=sys.stderr)
            return 2
        t0 = time.monotonic()
        pages = [p for p in pages if fnmatch.fnmatch(p.name, args.pages)]
        found, notes = browser_check(root, pages, binary, args.width, args.height, args.timeout, args.verbose)
        problems += found
        print(f"check_site: {len(pages)} pages loaded in {Path(binary).name} at {args.width} px "
              f"in {time.monotonic() - t0:.1f} s")
        for page, out in shots:
            err = screenshot(root, page, out, binary, args.width, args.screenshot_height)
            if err:
                problems.append(err)
            else:
                print(f"check_site: screenshot of {page} at {args.width} px: {out}")

    if args.verbose:
        for n in notes:
            print(f"  note: {n}")
    if problems:
        print(f"check_site: FAILED, {len(problems)} problem(s):")
        for p in problems:
            print(f"  {p}")
        return 1
    print("check_site: OK")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
