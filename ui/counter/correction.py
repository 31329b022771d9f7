"""The clerk's correction of one field, with an input that fits the field's type.

The input is the field's editor from the one registry
(:func:`ui.widgets.fields.editor_for`), the same as the paper petition's. A
resident or foreigner registration number is never shown here: the box starts
empty (showing the old number would be a reveal that bypasses the audit), and
the clerk types the number from the ID card.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from counter_app.viewmodel import FieldRow, display_value
from ui.widgets import ok_cancel, theme
from ui.widgets.fields import editor_for
from ui.widgets.i18n import pick, tr

REASONS = ("민원인 요청", "신분증과 다름", "오타 정정", "서류와 다름")


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
        self.editor = editor_for(row.type, row.choices)
        if row.type != "choice" or row.value is not None:
            self.editor.set_value(row.value)
        self.inputs: dict[str, QWidget] = self.editor.inputs
        form.addRow(tr("새 값"), self.editor.widget)
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
        return self.editor.value()
