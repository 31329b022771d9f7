"""A scanner on the sign-in screen: recognised, never typed into the name or password field.

A keyboard-wedge scanner types wherever the focus is. On the sign-in screen
that is 계정 이름 (the audit would record an account named ``MW1:…``) or
비밀번호 (five scans lock the clerk out for 15 minutes), and the petition is
lost. Nobody is signed in yet, so there is no counter to queue it at: the
scan is caught by the same filter the counter uses
(:class:`ui.counter.wedge_filter.WedgeFilter`), nothing of it reaches the
fields, and the screen says, with the alert sound, to sign in and scan again.
The clerk's own typing is given back to the fields as always.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from ui.counter.wedge_filter import WedgeFilter
from ui.signin.window import SignInPanel
from ui.widgets.i18n import pick

REFUSED_KO = "로그인 화면에서는 스캔을 받지 않습니다 (계정 이름·비밀번호에 입력되지 않았습니다). 로그인한 뒤 다시 스캔하세요."
REFUSED_EN = ("Scans are not taken on the sign-in screen (nothing was typed into the name or "
              "password). Sign in, then scan again.")


class SignInScans(QObject):
    """Catches scans while ``panel`` (a sign-in screen) is up; ``sound()`` is played for each.

    ``refused`` counts the scans turned away.
    """

    def __init__(self, app: QApplication, panel: SignInPanel,
                 sound: Callable[[], None] = QApplication.beep, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.app, self.panel, self.sound = app, panel, sound
        self.refused = 0
        self.filter = WedgeFilter(parent=self)
        self.filter.scanned.connect(lambda _text, _source: self._refuse())
        self.filter.dropped.connect(lambda _why: self._refuse())
        self.filter.install(app)

    def _refuse(self) -> None:
        self.refused += 1
        self.panel.message.setProperty("severity", "error")
        self.panel.show_message(f"[SCAN_SIGNIN] {pick(REFUSED_KO, REFUSED_EN)}")
        self.sound()

    def stop(self) -> None:
        self.filter.uninstall(self.app)
