"""The idle lock: after a while without keys or clicks, a cover hides the window until the password is typed again."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QVBoxLayout,
    QWidget,
)

from counter_app.auth import Gate
from records.accounts import AccountInfo
from ui.signin.scans import SignInScans
from ui.signin.window import SignInPanel, add_centred
from ui.widgets import theme
from ui.widgets.i18n import tr
from ui.widgets.workers import TaskRunner

# Input that counts as "someone is at the PC" and that the lock screen swallows.
_INPUT = {QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.MouseButtonPress,
          QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick, QEvent.Type.Wheel,
          QEvent.Type.ShortcutOverride, QEvent.Type.Shortcut}
_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
             QEvent.Type.Wheel}


class _Cover(QFrame):
    """The lock screen over a window: opaque, so nothing of the petition shows through."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("lock-cover")
        self.setAutoFillBackground(True)
        self.setStyleSheet(f"QFrame#lock-cover {{ background: {theme.SURFACE}; }}")


class IdleLock(QObject):
    """Locks ``window`` after ``idle_seconds`` without keys or clicks; the account's password opens it.

    Nothing of the window changes underneath: the clerk's draft, the case on
    screen, the scans in the queue stay. ``lock_now()`` locks at once (a
    shortcut or the screen saver). Signals: ``locked_changed(bool)``.
    """

    locked_changed = Signal(bool)
    lock_requested = Signal()  # from any thread: lock now (the gate ended the session)

    def __init__(self, window: QWidget, gate: Gate, account: AccountInfo, idle_seconds: float,
                 *, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(window)
        self.window = window
        self.gate = gate
        self.account = account
        self.idle_seconds = idle_seconds
        self.clock = clock
        self.last_input = clock()
        self.locked = False
        self.cover: _Cover | None = None
        self._hidden: list[QWidget] = []
        self.panel: SignInPanel | None = None
        self._scans: SignInScans | None = None
        self.runner = TaskRunner(self, name="window worker")
        self.on_unlocked: Callable[[AccountInfo], None] = lambda _info: None
        self.lock_requested.connect(lambda: self.lock_now())
        self.timer = QTimer(self)
        self.timer.setInterval(int(max(50, min(5000, idle_seconds * 1000 / 4))))
        self.timer.timeout.connect(self._tick)
        self.timer.start()
        self.shortcut = QShortcut(QKeySequence("Ctrl+Shift+L"), window)  # lock now, leaving the PC
        self.shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.shortcut.activated.connect(lambda: self.lock_now())
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def minutes(self) -> str:
        m = self.idle_seconds / 60
        return f"{m:g}"

    def _tick(self) -> None:
        if not self.locked and self.clock() - self.last_input >= self.idle_seconds:
            self.lock_now(idle=True)

    def lock_now(self, idle: bool = False) -> None:
        if self.locked:
            return
        self.locked = True
        # Other windows of the program (the access-log review, a page viewer) hide until unlocked.
        self._hidden = [w for w in QApplication.topLevelWidgets()
                        if w is not self.window and w.isVisible()]
        for w in self._hidden:
            w.hide()
        hide = getattr(getattr(self.window, "detail", None), "hide_revealed", None)
        if callable(hide):  # the review window: a revealed number is hidden again
            hide()
        cover = _Cover(self.window)
        theme.style_sheet_on(cover)  # the counter styles its containers, not the application
        lay = QVBoxLayout(cover)
        lay.addStretch(2)
        why = (tr("{m}분 동안 사용하지 않아 화면을 잠갔습니다.").format(m=self.minutes()) if idle
               else tr("화면을 잠갔습니다."))
        gate, account = self.gate, self.account
        self.panel = SignInPanel(
            lambda _n, pw: gate.sign_in(account.name, pw), self.runner, title=tr("화면 잠김"),
            subtitle=why + " " + tr("{name} 님의 비밀번호를 넣으면 하던 일이 그대로 이어집니다.").format(name=account.name),
            fixed_name=account.name)
        self.panel.signed_in.connect(self._unlocked)
        add_centred(lay, self.panel)
        cover.setGeometry(self.window.rect())
        cover.show()
        cover.raise_()
        self.cover = cover
        self.panel.focus()
        if not self._tell(True):  # a window that takes no scans: refused on the lock screen
            app = QApplication.instance()
            if isinstance(app, QApplication):
                self._scans = SignInScans(app, self.panel, parent=self)
        self.runner.submit(lambda: gate.note(account, "lock" if not idle else "idle_lock"),
                           lambda _: None, lambda _e: None)
        self.locked_changed.emit(True)

    def _unlocked(self, info: AccountInfo) -> None:
        self.account = info
        self.on_unlocked(info)
        self.locked = False
        self.last_input = self.clock()
        if self.cover is not None:
            self.cover.hide()
            self.cover.deleteLater()
        self.cover = None
        self.panel = None
        for w in self._hidden:
            with contextlib.suppress(RuntimeError):  # closed meanwhile
                w.show()
        self._hidden = []
        self._tell(False)
        if self._scans is not None:
            self._scans.stop()
            self._scans.deleteLater()
            self._scans = None
        self.locked_changed.emit(False)

    def _tell(self, locked: bool) -> bool:
        """The counter window's seen guard: nothing is seen under the lock, and a petition it
        uncovers is seen from the unlock on (see ui.counter.seen); its scanner filter queues
        scans made on the lock screen. False: the window is not a counter."""
        told = getattr(self.window, "screen_locked", None)
        if callable(told):
            told(locked)
            return True
        return False

    @staticmethod
    def _within(obj: QObject, ancestor: QObject | None) -> bool:
        node: QObject | None = obj
        while node is not None:
            if node is ancestor:
                return True
            node = node.parent()
        return False

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _ACTIVITY and not self.locked:
            self.last_input = self.clock()
        if obj is self.window and kind == QEvent.Type.Resize and self.cover is not None:
            self.cover.setGeometry(self.window.rect())
        # the window under the lock takes no keys, clicks or shortcuts
        return (self.locked and kind in _INPUT and self._within(obj, self.window)
                and not self._within(obj, self.cover))

    def shutdown(self) -> None:
        self.timer.stop()
        if self._scans is not None:
            self._scans.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.runner.shutdown()


