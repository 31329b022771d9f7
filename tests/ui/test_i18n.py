"""English comes from the compiled Qt translation; no visible text lacks it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ui.translations_en import EN
from ui.widgets.i18n import TRANSLATIONS_DIR, install_translator, tr, write_ts

UI = Path(__file__).resolve().parents[2] / "ui"
_TR = re.compile(r"""\btr\((["'])(.+?)\1\)""")
MINE = [p for p in UI.glob("*.py")
        if not p.name.startswith("review") and p.name not in ("i18n.py", "translations_en.py")]


def test_every_tr_text_has_english() -> None:
    missing = {m.group(2) for p in MINE for m in _TR.finditer(p.read_text(encoding="utf-8"))}
    missing -= set(EN)
    assert not missing, f"no English for: {sorted(missing)} (add to ui/translations_en.py)"


def test_qm_is_up_to_date(tmp_path: Path) -> None:
    """The shipped .ts is what ui.translations_en says (run python -m ui.widgets.i18n when not)."""
    fresh = write_ts(tmp_path / "counter_en.ts").read_text(encoding="utf-8")
    assert (TRANSLATIONS_DIR / "counter_en.ts").read_text(encoding="utf-8") == fresh
    assert (TRANSLATIONS_DIR / "counter_en.qm").stat().st_size > 1000


@pytest.fixture
def english(qapp: object) -> Iterator[None]:
    assert install_translator("en")
    yield
    install_translator("ko")


def test_window_in_english(qtbot: QtBot, english: None) -> None:
    assert tr("접수 (Ctrl+Enter)") == "Accept (Ctrl+Enter)"
    assert tr("한국어") == "English"


def test_korean_by_default(qtbot: QtBot) -> None:
    install_translator("ko")
    assert tr("접수 (Ctrl+Enter)") == "접수 (Ctrl+Enter)"
