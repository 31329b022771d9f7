"""The counter window's bars: the header (where, multi-part progress, busy) and the bar
under the petition (the error count, the warnings checkbox, set aside / return / accept).

What is enabled comes from the session's rules
(:meth:`ui.counter.session.PetitionSession.accept_blockers`); the bar only shows them.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.counter.session import PetitionSession
from ui.widgets import theme
from ui.widgets.i18n import tr


class ActionBar(QWidget):
    """Error count above; 경고 확인함, 보류, 반려 and 접수 below."""

    def __init__(self, session: PetitionSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.blockers = QLabel()
        self.blockers.setProperty("severity", "error")
        self.blockers.setObjectName("blockers")
        self.blockers.setContentsMargins(16, 4, 16, 0)
        self.blockers.setFont(theme.font_for("value"))
        self.blockers.setPalette(theme.palette_for(theme.ERROR))
        lay.addWidget(self.blockers)
        self.bar = QWidget()
        actions = QHBoxLayout(self.bar)
        actions.setContentsMargins(0, 8, 8, 8)  # the buttons sit right: no margin before the stretch
        self.ack = QCheckBox(tr("경고 확인함"))
        self.ack.setObjectName("ack-warnings")
        self.ack.toggled.connect(session.acknowledge_warnings)
        # on a line of its own (shown only with warnings): the buttons fit a 1024-px screen
        self.ack.setContentsMargins(16, 4, 16, 0)
        lay.addWidget(self.ack)
        actions.addStretch(1)
        self.clear_button = QPushButton(tr("보류 (Ctrl+Del)"))
        actions.addWidget(self.clear_button)
        self.return_button = QPushButton(tr("반려 (Ctrl+R)"))
        self.return_button.setProperty("kind", "danger")
        actions.addWidget(self.return_button)
        self.accept_button = QPushButton(tr("접수 (Ctrl+Enter)"))
        self.accept_button.setObjectName("accept")
        self.accept_button.setProperty("kind", "primary")
        # as wide as its words, the widest of the three (a fixed minimum width here, under the
        # words' width, let the layout cut "(Ctrl+Enter)" off at 1024×768)
        actions.addWidget(self.accept_button)
        lay.addWidget(self.bar)

    def redraw(self) -> None:
        """The warnings checkbox as the draft says (the petition was redrawn)."""
        s = self.session
        self.ack.setVisible(bool(s.view and s.view.warnings))
        if self.ack.isChecked() != s.draft.warnings_acknowledged:
            self.ack.setChecked(s.draft.warnings_acknowledged)  # toggles back into the same value
        self.update_actions()

    def update_actions(self) -> None:
        s = self.session
        blockers = s.accept_blockers() if s.current is not None else []
        errors = len(s.view.errors) if s.view else 0
        self.blockers.setText(
            tr("오류 {n}건: 고친 뒤 접수할 수 있습니다").replace("{n}", str(errors)) if errors else ""
        )
        self.blockers.setVisible(bool(errors))
        # "Still checking" (a scan for the queue on the worker) does not disable the button: a
        # focused button that is disabled throws the keyboard focus elsewhere at every scan.
        # Pressed meanwhile, the accept says why it waits.
        lasting = [b for b in blockers if b.en != "still checking"]
        self.accept_button.setEnabled(s.current is not None and not lasting)
        self.return_button.setEnabled(s.current is not None)
        self.clear_button.setEnabled(s.current is not None)


class HeaderBar(QWidget):
    """민원 창구 · office · counter · clerk, then the multi-part progress and what is busy."""

    def __init__(self, office: str, counter: str, clerk: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        head = QHBoxLayout(self)
        head.setContentsMargins(0, 0, 0, 0)
        title = QLabel(tr("민원 창구"))
        title.setProperty("role", "h1")
        head.addWidget(title)
        where = QLabel(f"{office} · {counter} · {tr('담당')} {clerk}")
        where.setProperty("role", "muted")
        head.addWidget(where)
        head.addStretch(1)
        self.progress = QLabel()
        self.progress.setObjectName("part-progress")
        self.progress.setProperty("role", "h2")
        head.addWidget(self.progress)
        self.busy = QLabel()
        self.busy.setProperty("role", "muted")
        head.addWidget(self.busy)
