"""The committed web fonts hold every character the site itself shows (and no more than
a first load can afford): ``webform/fonts/subset.py`` must be run again when the page's
text or the catalogue gains a character."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
FONTS = ROOT / "webform" / "fonts"


def _subset_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("webform_subset", FONTS / "subset.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("weight", ["Regular", "Bold"])
def test_the_subset_covers_every_character_the_site_shows(weight: str) -> None:
    from fontTools.ttLib import TTFont

    subset = _subset_module()
    shown = subset.site_characters(ROOT)
    assert {"주", "민", "등", "록", "위", "임", "장", "원"} <= shown  # the text was read
    cut = set(map(chr, TTFont(FONTS / f"PretendardGOV-{weight}.woff2").getBestCmap()))
    source = set(map(chr, TTFont(ROOT / "resources" / "fonts" / f"PretendardGOV-{weight}.otf").getBestCmap()))
    lacking = sorted((shown & source) - cut)
    assert not lacking, f"run webform/fonts/subset.py: the {weight} font lacks {''.join(lacking)!r}"


def test_the_fonts_are_small() -> None:
    """Two weights within 160 KB together: the first load's budget is 400 KB."""
    sizes = [(FONTS / f"PretendardGOV-{w}.woff2").stat().st_size for w in ("Regular", "Bold")]
    assert sum(sizes) <= 160_000, sizes
