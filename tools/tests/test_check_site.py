#!/usr/bin/python3
"""Tests of the site checker's static part (links, anchors, leftover Doxygen markup), no browser."""
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import check_site as c  # noqa: E402

PAGE = """<html><head><script src="jquery.js"></script></head><body>
<div id="doc-content"><div class="contents">
<h2><a id="sec" name="sec"></a>Section</h2>
<p>See <a href="other.html#there">there</a>, <a href="https://example.org/x">outside</a>,
<a href="#sec">up</a> and <img src="plot.png"/>.</p>
<pre>@ref in code is fine</pre><div class="fragment"><div class="line">\\snippet too</div></div>
<p>Write <code>@ref label</code> to link.</p>
%s
</div></div></body></html>"""


class Static(unittest.TestCase):
    def site(self, tmp: Path, extra: str = "", other: str = '<a id="there"></a>') -> Path:
        (tmp / "index.html").write_text(PAGE % extra)
        (tmp / "other.html").write_text(f"<html><body>{other}</body></html>")
        (tmp / "jquery.js").write_text("")
        (tmp / "plot.png").write_bytes(b"")
        return tmp

    def test_clean_site(self):
        with tempfile.TemporaryDirectory() as tmp:
            problems, pages = c.static_check(self.site(Path(tmp)))
            self.assertEqual(problems, [])
            self.assertEqual(sorted(p.name for p in pages), ["index.html", "other.html"])

    def test_broken_file_anchor_image_and_markup(self):
        with tempfile.TemporaryDirectory() as tmp:
            root = self.site(Path(tmp), extra='<a href="gone.html">x</a><img src="img/none.png"/>'
                                              '<p>see @ref results_ch09 for more</p><p>Title {#lost}</p>',
                             other="<p>no anchors</p>")
            problems = "\n".join(c.static_check(root)[0])
            self.assertIn('broken link href="gone.html"', problems)
            self.assertIn('broken link src="img/none.png"', problems)
            self.assertIn("no anchor #there in other.html", problems)
            self.assertIn("Doxygen markup left in the text: ...", problems)
            self.assertIn("@ref results_ch09", problems)
            self.assertIn("{#lost}", problems)
            self.assertNotIn("in code is fine", problems)
            self.assertNotIn("snippet too", problems)
            self.assertNotIn("@ref label", problems)

    def test_main_fails_on_doxygen_warnings_without_a_browser(self):
        with tempfile.TemporaryDirectory() as tmp:
            root = self.site(Path(tmp))
            log = Path(tmp) / "warnings.log"
            log.write_text("a.md:3: warning: unable to resolve reference\n")
            sys.argv = ["check_site", str(root), "--no-browser", "--warnings", str(log)]
            self.assertEqual(c.main(), 1)
            log.write_text("")
            self.assertEqual(c.main(), 0)
            sys.argv = ["check_site", str(Path(tmp) / "nowhere")]
            self.assertEqual(c.main(), 2)


if __name__ == "__main__":
    unittest.main()
