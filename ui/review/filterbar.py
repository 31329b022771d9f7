"""The review list's filters: clerk, counter, form, status, origin, hour and the flags.

The bar owns what is chosen (``filters``: :class:`records.caselist.CaseQuery`
fields; ``flags``: the names of the list's flags) and says when it changed;
the window reads the choice into its query and reloads the list.

Signals:
    changed: a filter or flag was chosen, cleared or toggled.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QPushButton, QToolButton, QWidget

from records.caselist import FLAGS, WAIT_BUCKETS
from ui.review.table import status_name
from ui.widgets import theme
from ui.widgets.i18n import pick, tr

FIRST_HOUR, LAST_HOUR = 7, 21  # the hours a counter may be open


def chip_text(name: str, value: Any) -> str:
    """What a chip says: the filter and its value, in the window's language."""
    if name == "reason":
        return tr("반려 사유") + f": {value}"
    if name == "wait":
        _limit, ko, en = WAIT_BUCKETS[int(value)]
        return tr("스캔에서 접수까지") + f": {pick(ko, en)}"
    if name in ("forms", "clerks"):
        what = tr("서식") if name == "forms" else tr("담당자")
        return f"{what}: " + tr("그 외 {n}").format(n=len(value))
    return f"{name}: {value}"


class FilterBar(QWidget):
    """The filter row; ``form_title`` turns a form code into the title shown in its box."""

    changed = Signal()

    def __init__(self, form_title: Callable[[str], str]) -> None:
        super().__init__()
        self.form_title = form_title
        self.filters: dict[str, Any] = {}
        self.flags: set[str] = set()
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.combos: dict[str, QComboBox] = {}
        specs = [("clerk", tr("담당자 전체")), ("counter", tr("창구 전체")), ("form", tr("서식 전체")),
                 ("status", tr("상태 전체")), ("source", tr("QR·종이 전체")), ("hour", tr("시간 전체"))]
        for name, everything in specs:
            box = QComboBox()
            box.setObjectName(f"review-filter-{name}")
            box.setAccessibleName(everything)
            box.addItem(everything, None)
            # as wide as their texts, but able to give way on a 1024-pixel screen
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(7)
            box.activated.connect(lambda _i, n=name: self.set_filter(n, self.combos[n].currentData()))
            self.combos[name] = box
            self.row.addWidget(box)
        self.combos["form"].setMaximumWidth(260)
        for status in ("received", "returned", "completed"):
            self.combos["status"].addItem(status_name(status), status)
        self.combos["source"].addItem("QR", "qr")
        self.combos["source"].addItem(tr("종이"), "paper")
        for h in range(FIRST_HOUR, LAST_HOUR + 1):
            self.combos["hour"].addItem(tr("{h}시").format(h=h), h)
        self.flag_btns: dict[str, QToolButton] = {}
        for flag in FLAGS.values():
            btn = QToolButton()
            btn.setObjectName(f"review-flag-{flag.name}")
            btn.setText(pick(flag.label_ko, flag.label_en))
            btn.setCheckable(True)
            btn.setStyleSheet(f"QToolButton:checked {{ background: {theme.PRIMARY_LIGHT};"
                              f" border: 2px solid {theme.PRIMARY}; color: {theme.PRIMARY_DARK};"
                              f" font-weight: 700; }}")
            btn.toggled.connect(lambda on, n=flag.name: self._flag_toggled(n, on))
            self.flag_btns[flag.name] = btn
            self.row.addWidget(btn)
        # Filters a chart's bar sets that have no box of their own (a return reason, a wait,
        # a chart's "그 외" bar) show as a chip; clicking it takes the filter off.
        self.chips: dict[str, QToolButton] = {}
        self.clear_btn = QPushButton(tr("조건 지우기"))
        self.clear_btn.setObjectName("review-clear-filters")
        self.clear_btn.clicked.connect(self.clear)
        self.row.addWidget(self.clear_btn)
        self.row.addStretch(1)

    def controls(self) -> list[QWidget]:
        """Every control of the bar (disabled together when the database cannot be opened)."""
        return [*self.combos.values(), *self.flag_btns.values(), self.clear_btn]

    def fill_choices(self, choices: dict[str, list[str]]) -> None:
        """The clerks, counters and forms of the range; a chosen one stays even if absent."""
        for name in ("clerk", "counter", "form"):
            box = self.combos[name]
            chosen = self.filters.get(name)
            values = list(choices.get(name, []))
            if chosen and chosen not in values:
                values.append(chosen)
            box.blockSignals(True)
            while box.count() > 1:
                box.removeItem(1)
            for v in values:
                box.addItem(self.form_title(v) if name == "form" else v, v)
            box.setCurrentIndex(max(0, box.findData(chosen)) if chosen else 0)
            box.blockSignals(False)

    def set_filter(self, name: str, value: Any) -> None:
        if value is None or value == "":
            self.filters.pop(name, None)
        else:
            self.filters[name] = value
        box = self.combos[name]
        box.blockSignals(True)
        box.setCurrentIndex(max(0, box.findData(value)) if value is not None else 0)
        box.blockSignals(False)
        self.changed.emit()

    def filter_by(self, name: str, value: Any) -> None:
        """Keep only the cases with ``name`` = ``value`` (a chart's bar was clicked)."""
        if name not in self.combos:
            self.filters[name] = value
            self._chip(name, value)
            self.changed.emit()
            return
        box = self.combos[name]
        if box.findData(value) < 0:  # a form, clerk or hour the list had not offered yet
            text = self.form_title(str(value)) if name == "form" else \
                tr("{h}시").format(h=value) if name == "hour" else str(value)
            box.addItem(text, value)
        self.set_filter(name, value)

    def _flag_toggled(self, name: str, on: bool) -> None:
        if on:
            self.flags.add(name)
        else:
            self.flags.discard(name)
        self.changed.emit()

    def _chip(self, name: str, value: Any) -> None:
        chip = self.chips.get(name)
        if chip is None:
            chip = QToolButton()
            chip.setObjectName(f"review-chip-{name}")
            chip.clicked.connect(lambda _=False, n=name: self._drop(n))
            self.row.insertWidget(self.row.indexOf(self.clear_btn), chip)
            self.chips[name] = chip
        chip.setText(f"{chip_text(name, value)} ✕")
        chip.setToolTip(tr("눌러서 이 조건을 지웁니다"))
        chip.show()

    def _drop(self, name: str) -> None:
        self.filters.pop(name, None)
        chip = self.chips.pop(name, None)
        if chip is not None:
            chip.hide()
            chip.deleteLater()
        self.changed.emit()

    def reset(self) -> None:
        """Every filter and flag off, without a ``changed`` signal."""
        for chip in self.chips.values():
            chip.hide()
            chip.deleteLater()
        self.chips.clear()
        self.filters.clear()
        self.flags.clear()
        for box in self.combos.values():
            box.blockSignals(True)
            box.setCurrentIndex(0)
            box.blockSignals(False)
        for btn in self.flag_btns.values():
            btn.blockSignals(True)
            btn.setChecked(False)
            btn.blockSignals(False)

    def clear(self) -> None:
        self.reset()
        self.changed.emit()
