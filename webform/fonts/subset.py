"""Make the web form's fonts: Pretendard GOV (SIL OFL 1.1) cut to the characters the site
itself shows, as WOFF2 (3.7 MB -> about 100 KB each).

The site's own text is its pages and scripts (``webform/*.html``, ``*.js``) and the form
catalogue (``resources/forms/*.toml``: titles, labels, choices, help, documents, reasons);
with printable ASCII, Latin-1 and the punctuation Korean text uses. What a citizen types
(a rare syllable in a name, an address) and the office names given to ``web build`` fall
back to the phone's own Korean font, which every phone has (``font-family`` in style.css).

The result is committed beside this script, so ``counter-app web build`` needs no font
tools; ``tests/webform/test_fonts.py`` fails when the site shows a character the committed
fonts lack. Run it again after changing the catalogue or the page's text, with fontTools
and brotli installed (the ``test`` extras):

    .venv/bin/python webform/fonts/subset.py
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SOURCE = ROOT / "resources" / "fonts"
WEIGHTS = ("Regular", "Bold")
# Always in: printable ASCII, Latin-1, general punctuation, arrows, circled numbers,
# shapes, CJK punctuation and the full-width forms of ASCII.
RANGES = [
    (0x20, 0x7E), (0xA0, 0xFF), (0x2010, 0x2027), (0x2030, 0x203B), (0x2190, 0x2193),
    (0x2460, 0x2473), (0x25A0, 0x25CF), (0x3000, 0x3011), (0xFF01, 0xFF5E),
]


def site_files(root: Path = ROOT) -> list[Path]:
    """The files whose text the site shows."""
    web = root / "webform"
    return sorted([*web.glob("*.html"), *web.glob("*.js"), *(root / "resources" / "forms").glob("*.toml")])


def site_characters(root: Path = ROOT) -> set[str]:
    """Every character the site can show from its own text (besides what is typed)."""
    chars = {chr(c) for a, b in RANGES for c in range(a, b + 1)}
    for path in site_files(root):
        chars |= {c for c in path.read_text("utf-8") if c.isprintable() and not c.isspace()}
    return chars


def main() -> int:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    text = "".join(sorted(site_characters()))
    for weight in WEIGHTS:
        options = subset.Options()
        options.flavor = "woff2"
        options.hinting = False
        options.desubroutinize = True
        options.name_IDs = ["*"]
        options.notdef_outline = True
        options.layout_features = ["kern", "liga", "calt", "ccmp", "locl", "tnum"]
        font = TTFont(SOURCE / f"PretendardGOV-{weight}.otf")
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=text)
        subsetter.subset(font)
        font.flavor = "woff2"
        out = HERE / f"PretendardGOV-{weight}.woff2"
        font.save(out)
        print(out.name, out.stat().st_size, "bytes,", len(text), "characters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
