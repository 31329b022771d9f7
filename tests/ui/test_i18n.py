"""English comes from the compiled Qt translation; no visible text lacks it."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from records.audit import ACTION_KO
from ui.widgets.i18n import (
    TRANSLATIONS_DIR,
    TS_FILE,
    compile_qm,
    english_table,
    install_translator,
    tr,
)

REPO = Path(__file__).resolve().parents[2]


def _tr_literals() -> set[str]:
    """Every text written as ``tr("…")`` in the windows and the top floor's window commands."""
    found = set()
    for path in [*(REPO / "ui").rglob("*.py"), *(REPO / "app").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "tr" and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.add(node.args[0].value)
    return found


def test_every_tr_text_has_english() -> None:
    """One table (counter_en.ts) for every window: no visible text lacks its English."""
    literals = _tr_literals()
    assert len(literals) > 250  # the counter, the review, sign-in, the dialogs: all of them
    shown_by_name = set(ACTION_KO.values())  # tr(ACTION_KO[action]) in the review windows
    missing = sorted((literals | shown_by_name) - english_table().keys())
    assert not missing, f"no English for: {missing} (add them to {TS_FILE.name})"


def test_qm_is_up_to_date(tmp_path: Path) -> None:
    """The shipped .qm is the .ts compiled (run python -m ui.widgets.i18n when not)."""
    fresh = compile_qm(TS_FILE, tmp_path / "counter_en.qm").read_bytes()
    assert (TRANSLATIONS_DIR / "counter_en.qm").read_bytes() == fresh
    assert len(fresh) > 1000


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
