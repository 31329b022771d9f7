"""The paper petition dialog finds forms by the words people use (the catalogue's aliases)."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from decoding.forms.catalogue import Catalogue
from ui.counter.paper import PaperEntryDialog

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, for dialogs


def test_the_form_search_matches_aliases(qtbot: QtBot, catalogue: Catalogue) -> None:
    dialog = PaperEntryDialog(catalogue)
    qtbot.addWidget(dialog)
    dialog.search.setText("오토바이")  # an alias only: the title says 이륜자동차
    codes = [dialog.form_box.itemData(i) for i in range(dialog.form_box.count())]
    assert codes == ["MOTORCYCLE_USE_REPORT"]
    dialog.search.setText("본적")  # the old word for 등록기준지
    codes = [dialog.form_box.itemData(i) for i in range(dialog.form_box.count())]
    assert codes == ["REGISTRATION_BASE_CHANGE"]


def test_title_matches_come_before_alias_matches(qtbot: QtBot, catalogue: Catalogue) -> None:
    dialog = PaperEntryDialog(catalogue)
    qtbot.addWidget(dialog)
    dialog.search.setText("등본")
    titles = [dialog.form_box.itemText(i) for i in range(dialog.form_box.count())]
    by_title = [t for t in titles if "등본" in t]
    assert titles[: len(by_title)] == by_title and len(titles) > len(by_title)
    assert dialog.formdef is not None and "등본" in dialog.formdef.title_ko
