"""The one registry of field editors: an input that fits a catalogue field's type.

The paper petition dialog (a clerk types a paper form) and the correction
dialog (a clerk changes one field of a petition) both ask :func:`editor_for`
for a field's editor, so a type looks and reads the same wherever it is typed:
a choice is picked from the form's choices, a yes/no is a check box, several
choices are check boxes, an address has its three parts, an amount takes
"1,200", an identification number loses its hyphens. A resident or foreigner
registration number is never put back into an editor (showing it would be a
reveal that bypasses the audit): the clerk types it from the ID card.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.i18n import tr

DIGITS_ONLY = ("rrn", "frn", "brn", "crn", "postcode")  # typed with hyphens, kept as digits
NEVER_SHOWN = ("rrn", "frn")  # the current value never fills the editor
ADDRESS_PARTS = (("postcode", "우편번호"), ("road", "도로명주소"), ("detail", "상세주소"))


@dataclass(frozen=True)
class FieldSpec:
    """What an editor needs to know of a field."""

    type: str
    choices: tuple[str, ...] = ()
    allow_other: bool = False
    help: str = ""


class FieldEditor:
    """One field's input: ``widget`` goes into the form; ``inputs`` names its parts."""

    def __init__(self, spec: FieldSpec, widget: QWidget, inputs: dict[str, QWidget]) -> None:
        self.spec = spec
        self.widget = widget
        self.inputs = inputs
        if spec.help:
            widget.setToolTip(spec.help)

    def value(self) -> Any:
        """The value typed as the catalogue wants it (``None`` when left empty)."""
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        """Show a value of the petition (never an RRN: see the module's note)."""
        raise NotImplementedError

    def set_text(self, text: str) -> None:
        """Fill the field as a clerk would type it."""
        self.set_value(text)


def typed(spec: FieldSpec, text: str) -> Any:
    """Text typed into a one-line input, as the field's type wants it (bad input stays text:
    validation says what is wrong with it)."""
    text = text.strip()
    if not text:
        return None
    if spec.type in ("integer", "money"):
        try:
            return int(text.replace(",", ""))
        except ValueError:
            return text
    if spec.type == "decimal":
        try:
            return float(text)
        except ValueError:
            return text
    if spec.type in DIGITS_ONLY:
        return text.replace("-", "").replace(" ", "")
    return text


class _Line(FieldEditor):
    def __init__(self, spec: FieldSpec) -> None:
        self.edit = QLineEdit()
        hint = "YYYY-MM-DD" if spec.type == "date" else \
            tr("신분증을 보고 새 번호를 입력하세요") if spec.type in NEVER_SHOWN else ""
        self.edit.setPlaceholderText(hint)
        super().__init__(spec, self.edit, {"value": self.edit})

    def value(self) -> Any:
        return typed(self.spec, self.edit.text())

    def set_value(self, value: Any) -> None:
        if self.spec.type in NEVER_SHOWN:
            return  # typed from the ID card, never shown
        self.edit.setText("" if value is None else str(value))

    def set_text(self, text: str) -> None:
        self.edit.setText(text)


class _LongText(FieldEditor):
    def __init__(self, spec: FieldSpec) -> None:
        self.edit = QPlainTextEdit()
        self.edit.setMaximumHeight(90)
        super().__init__(spec, self.edit, {"value": self.edit})

    def value(self) -> Any:
        return self.edit.toPlainText().strip() or None

    def set_value(self, value: Any) -> None:
        self.edit.setPlainText("" if value is None else str(value))


class _Choice(FieldEditor):
    def __init__(self, spec: FieldSpec) -> None:
        self.box = QComboBox()
        self.box.addItem("", None)  # nothing chosen yet
        for c in spec.choices:
            self.box.addItem(c, c)
        self.box.setEditable(spec.allow_other)
        super().__init__(spec, self.box, {"value": self.box})

    def value(self) -> Any:
        return self.box.currentText().strip() or None

    def set_value(self, value: Any) -> None:
        self.box.setCurrentText("" if value is None else str(value))


class _YesNo(FieldEditor):
    def __init__(self, spec: FieldSpec) -> None:
        self.check = QCheckBox(tr("예"))
        super().__init__(spec, self.check, {"value": self.check})

    def value(self) -> Any:
        return self.check.isChecked()

    def set_value(self, value: Any) -> None:
        self.check.setChecked(bool(value))

    def set_text(self, text: str) -> None:
        self.check.setChecked(text.strip() in ("1", "true", "예"))


class _Container(FieldEditor):
    """Several inputs in one row; the row's focus goes to its first input."""

    def __init__(self, spec: FieldSpec, inputs: dict[str, QWidget], vertical: bool) -> None:
        box = QWidget()
        lay: QVBoxLayout | QHBoxLayout = QVBoxLayout(box) if vertical else QHBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        for w in inputs.values():
            lay.addWidget(w)
        first = next(iter(inputs.values()), None)
        if first is not None:
            box.setFocusProxy(first)
        super().__init__(spec, box, inputs)


class _Several(_Container):
    def __init__(self, spec: FieldSpec) -> None:
        self.checks = {c: QCheckBox(c) for c in spec.choices}
        super().__init__(spec, dict(self.checks), vertical=True)

    def value(self) -> Any:
        return [c for c, cb in self.checks.items() if cb.isChecked()]

    def set_value(self, value: Any) -> None:
        chosen = set(value) if isinstance(value, list | tuple | set) else set()
        for c, cb in self.checks.items():
            cb.setChecked(c in chosen)

    def set_text(self, text: str) -> None:
        self.set_value([t.strip() for t in text.split(",") if t.strip()])


class _Address(_Container):
    def __init__(self, spec: FieldSpec) -> None:
        self.parts = {key: QLineEdit() for key, _label in ADDRESS_PARTS}
        for key, label in ADDRESS_PARTS:
            self.parts[key].setPlaceholderText(tr(label))
            self.parts[key].setAccessibleName(tr(label))
        super().__init__(spec, dict(self.parts), vertical=False)

    def value(self) -> Any:
        parts = {k: typed(FieldSpec("postcode" if k == "postcode" else "text"), w.text())
                 for k, w in self.parts.items()}
        return {k: v for k, v in parts.items() if v} or None

    def set_value(self, value: Any) -> None:
        if isinstance(value, dict):
            parts = {k: str(value.get(k) or "") for k in self.parts}
        else:
            parts = {"postcode": str(getattr(value, "postcode", "") or ""),
                     "road": str(getattr(value, "road", value) or ""),
                     "detail": str(getattr(value, "detail", "") or "")}
        for k, w in self.parts.items():
            w.setText(parts.get(k, ""))

    def set_text(self, text: str) -> None:
        self.set_value({"road": text})


EDITORS: dict[str, Callable[[FieldSpec], FieldEditor]] = {
    "boolean": _YesNo,
    "choice": _Choice,
    "multichoice": _Several,
    "longtext": _LongText,
    "address": _Address,
}


def editor_for(type_: str, choices: Sequence[str] = (), *, allow_other: bool = False,
               help: str = "") -> FieldEditor:
    """The editor of a field of type ``type_`` (a one-line input for the types not listed)."""
    spec = FieldSpec(type_, tuple(choices), allow_other, help)
    if type_ in ("choice", "multichoice") and not spec.choices:
        return _Line(spec)  # a list the catalogue left open: typed
    return EDITORS.get(type_, _Line)(spec)
