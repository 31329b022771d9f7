"""Make the web form's fonts: Pretendard GOV (SIL OFL 1.1) cut to the characters a Korean
petition uses, as WOFF2 (3.7 MB -> 0.7 MB each; all 11,172 Hangul syllables kept).

The result is committed beside this script, so ``counter-app web build`` needs no font
tools. Run it again only when ``resources/fonts/PretendardGOV-*.otf`` changes (about a
minute), with fontTools installed (``pip install 'fonttools[woff]'``):

    .venv/bin/python webform/fonts/subset.py
"""

from __future__ import annotations

from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent.parent / "resources" / "fonts"
RANGES = [
    (0x20, 0x7E), (0xA0, 0xFF),          # ASCII, Latin-1 (·, ×, ², …)
    (0x2000, 0x206F), (0x2190, 0x21FF),  # punctuation, arrows
    (0x2460, 0x24FF), (0x25A0, 0x25FF),  # circled numbers, shapes
    (0x3000, 0x303F), (0x3130, 0x318F),  # CJK punctuation, Hangul compatibility jamo
    (0x3200, 0x32FF), (0x3380, 0x33FF),  # enclosed CJK, units (㎡)
    (0xAC00, 0xD7A3), (0xFF00, 0xFFEF),  # every Hangul syllable, full-width forms
]  # fmt: skip


def main() -> None:
    unicodes = [c for a, b in RANGES for c in range(a, b + 1)]
    for weight in ("Regular", "Bold"):
        options = subset.Options()
        options.flavor = "woff2"
        options.hinting = False
        options.name_IDs = ["*"]
        options.notdef_outline = True
        options.layout_features = ["*"]
        font = TTFont(SOURCE / f"PretendardGOV-{weight}.otf")
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=unicodes)
        subsetter.subset(font)
        font.flavor = "woff2"
        out = HERE / f"PretendardGOV-{weight}.woff2"
        font.save(out)
        print(out, out.stat().st_size)


if __name__ == "__main__":
    main()
