"""The clerk's correction of one field, with an input that fits the field's type.

A choice is picked from the form's choices, a yes/no from two, an address in
its three parts. A resident or foreigner registration number is never shown
here: the box starts empty (showing the old number would be a reveal that
bypasses the audit), and the clerk types the number from the ID card.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from counter_app.viewmodel import RRN_TYPES, FieldRow, display_value
from decoding.document import Address
from ui.widgets import ok_cancel, theme
from ui.widgets.i18n import pick, tr

_DIGITS_ONLY = ("rrn", "frn", "brn", "crn", "postcode")
REASONS = ("민원인 요청", "신분증과 다름", "오타 정정", "서류와 다름")


def _address_parts(value: Any) -> tuple[str, str, str]:
    if isinstance(value, Address):
        return value.postcode or "", value.road or "", value.detail or ""
    if isinstance(value, dict):
        return (str(value.get("postcode") or ""), str(value.get("road") or ""),
                str(value.get("detail") or ""))  # fmt: skip
    return "", str(value or ""), ""


class CorrectionDialog(QDialog):
    """Asks for the new value of ``row``; :meth:`value` gives it typed for the catalogue."""

    def __init__(self, row: FieldRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        theme.style_sheet_on(self)
        self.row = row
        self.setWindowTitle(tr("항목 수정"))
        self.setMinimumWidth(560)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(pick(row.label_ko, row.label_en)))
        before = display_value(row.value, row.type)  # masked for RRNs
        note = QLabel(f"{tr('현재 값')}: {before}")
        note.setProperty("role", "muted")
        lay.addWidget(note)
        form = QFormLayout()
        self.inputs: dict[str, QWidget] = {}
        t = row.type
        if t == "choice" and row.choices:
            box = QComboBox()
            box.addItems(list(row.choices))
            if row.value in row.choices:
                box.setCurrentText(str(row.value))
            self.inputs["value"] = box
            form.addRow(tr("새 값"), box)
        elif t == "boolean":
            box = QComboBox()
            box.addItems([tr("예"), tr("아니요")])
            box.setCurrentIndex(0 if row.value else 1)
            self.inputs["value"] = box
            form.addRow(tr("새 값"), box)
        elif t == "multichoice" and row.choices:
            current = set(row.value or []) if isinstance(row.value, list) else set()
            for c in row.choices:
                cb = QCheckBox(c)
                cb.setChecked(c in current)
                self.inputs[c] = cb
                form.addRow("", cb)
        elif t == "address":
            for key, label, text in zip(("postcode", "road", "detail"),
                                        ("우편번호", "도로명주소", "상세주소"),
                                        _address_parts(row.value), strict=True):  # fmt: skip
                edit = QLineEdit(text)
                self.inputs[key] = edit
                form.addRow(tr(label), edit)
        else:
            edit = QLineEdit("" if t in RRN_TYPES or row.value is None else str(row.value))
            if t in RRN_TYPES:
                edit.setPlaceholderText(tr("신분증을 보고 새 번호를 입력하세요"))
            elif t == "date":
                edit.setPlaceholderText("YYYY-MM-DD")
            self.inputs["value"] = edit
            form.addRow(tr("새 값"), edit)
        # Why: recorded with the correction. The usual reason is ready, so Enter is enough.
        self.reason_box = QComboBox()
        self.reason_box.setObjectName("correction-reason")
        self.reason_box.setEditable(True)
        self.reason_box.addItems([tr(r) for r in REASONS])
        form.addRow(tr("수정 사유"), self.reason_box)
        lay.addLayout(form)
        lay.addWidget(ok_cancel(self.accept, self.reject))
        first = next(iter(self.inputs.values()), None)
        if first is not None:
            first.setFocus()
            if isinstance(first, QLineEdit):
                first.selectAll()  # typing replaces the value: no Ctrl+A needed

    def reason(self) -> str:
        return self.reason_box.currentText().strip()

    def value(self) -> Any:
        """The new value, typed as the form's field type wants it."""
        t = self.row.type
        if t == "boolean":
            box = self.inputs["value"]
            assert isinstance(box, QComboBox)
            return box.currentIndex() == 0
        if t == "multichoice" and self.row.choices:
            return [c for c, cb in self.inputs.items() if isinstance(cb, QCheckBox) and cb.isChecked()]
        if t == "address":
            parts = {k: w.text().strip() for k, w in self.inputs.items() if isinstance(w, QLineEdit)}
            return {k: v for k, v in parts.items() if v}
        w = self.inputs["value"]
        text = w.currentText() if isinstance(w, QComboBox) else w.text().strip()  # type: ignore[attr-defined]
        if t in ("integer", "money"):
            try:
                return int(text.replace(",", ""))
            except ValueError:
                return text  # validation says what is wrong with it
        if t == "decimal":
            try:
                return float(text)
            except ValueError:
                return text
        if t in _DIGITS_ONLY:
            return text.replace("-", "").replace(" ", "")
        return text or None
