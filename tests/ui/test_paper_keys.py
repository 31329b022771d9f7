"""The paper petition dialog by keyboard: Esc asks, Tab order, forms in 가나다 order with a search."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from decoding.forms.catalogue import Catalogue
from ui.counter.paper import PaperEntryDialog

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, for dialogs
WAIT = 5000


@pytest.fixture
def dialog(qtbot: QtBot, catalogue: Catalogue) -> Iterator[PaperEntryDialog]:
    dlg = PaperEntryDialog(catalogue)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.wait_until(lambda: dlg.isVisible(), timeout=WAIT)
    yield dlg


def _answer_box(qtbot: QtBot, button_text: str, seen: list[str]) -> None:
    """When the question box comes up, press the named button (as the clerk would)."""

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        seen.append(box.text())
        for b in box.buttons():
            if b.text() == button_text:
                b.click()
                return

    QTimer.singleShot(20, answer)


def test_esc_with_nothing_typed_closes_at_once(qtbot: QtBot, dialog: PaperEntryDialog) -> None:
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_esc_asks_before_discarding_typed_work(qtbot: QtBot, dialog: PaperEntryDialog) -> None:
    dialog.applicant["name"].setText("최종이")
    seen: list[str] = []
    _answer_box(qtbot, "계속 입력", seen)
    qtbot.keyClick(dialog.applicant["name"], Qt.Key.Key_Escape)
    assert seen == ["입력한 내용을 버리고 닫을까요?"]
    assert dialog.isVisible() and dialog.applicant["name"].text() == "최종이"
    _answer_box(qtbot, "버리고 닫기", seen)
    dialog.close()  # the window's × asks the same
    assert len(seen) == 2 and not dialog.isVisible()


def _chain(dialog: PaperEntryDialog, steps: int) -> list[QWidget]:
    out = []
    for _ in range(steps):
        dialog.focusNextChild()
        w = QApplication.focusWidget()
        assert w is not None
        out.append(w)
    return out


def test_tab_order_fields_then_buttons(qtbot: QtBot, dialog: PaperEntryDialog) -> None:
    dialog.select_form("RESIDENT_CERT_ISSUE")
    qtbot.wait_until(lambda: all(w.isVisible() for _f, w in dialog.inputs.values()), timeout=WAIT)
    dialog.search.setFocus()
    qtbot.wait_until(lambda: QApplication.focusWidget() is dialog.search, timeout=WAIT)
    n_fields = len(dialog.inputs)
    chain = _chain(dialog, 1 + 6 + 1 + n_fields + 2)
    assert all(w.isVisible() for w in chain)  # no invisible stop
    assert chain[0] is dialog.form_box
    assert chain[1] is dialog.applicant["name"]
    fields = [w for _f, w in dialog.inputs.values()]
    assert chain[8 : 8 + n_fields] == fields
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    assert chain[-2] is ok  # 확인 and 취소 come after the fields


def test_forms_sorted_by_korean_title_and_searchable(qtbot: QtBot, dialog: PaperEntryDialog) -> None:
    titles = [dialog.form_box.itemText(i) for i in range(dialog.form_box.count())]
    assert titles == sorted(titles) and titles[0].startswith("가")
    dialog.search.setText("등본")  # QTest types ASCII only
    codes = {dialog.form_box.itemData(i) for i in range(dialog.form_box.count())}
    assert "RESIDENT_CERT_ISSUE" in codes and len(codes) < len(titles)
    assert dialog.formdef is not None and "등본" in dialog.formdef.title_ko + str(
        [f.choices for f in dialog.formdef.fields])
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)  # Enter goes on to the applicant
    assert QApplication.focusWidget() is dialog.applicant["name"]
