"""Signing in, the idle lock and the second password: one account per person at every window.

* :class:`SignInWindow`: the first screen of ``run``, ``review`` and ``demo``.
  Korean, keyboard first: the name field has the focus, Enter goes to the
  password, Enter signs in; a refusal says why (wrong password with the tries
  left, disabled, locked, no right) and every attempt is an audit event
  (:mod:`records.accounts`). The demo lists its demo accounts on it.
* :class:`IdleLock`: after the office's idle time (``idle_lock_minutes`` in
  counter.toml, 10 by default) the window is covered by a lock screen; the
  window and its draft stay exactly as they were underneath, keys and clicks
  outside the lock screen are swallowed, and only the signed-in account's
  password opens it again.
* :class:`GrantDialog` / :class:`Authorizer`: before a reveal, a print or an
  export, the reason (kept with the audit event) and the password again.

The checks are blocking (Argon2, and the pause after a failure), so they run
on a :class:`ui.workers.TaskRunner`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter_app import authz
from counter_app.auth import Gate
from records.access import junk_reason
from records.accounts import ROLE_KO, AccountInfo
from records.errors import AuthError
from ui import theme
from ui.i18n import pick, tr
from ui.workers import TaskRunner

T = TypeVar("T")


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)

# Input that counts as "someone is at the PC" and that the lock screen swallows.
_INPUT = {QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.MouseButtonPress,
          QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick, QEvent.Type.Wheel,
          QEvent.Type.ShortcutOverride, QEvent.Type.Shortcut}  # fmt: skip
_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
             QEvent.Type.Wheel}  # fmt: skip

COMMON_REASONS = ("민원인 본인 확인", "민원인 요청에 따른 발급 확인", "정정 요청 처리", "감사·점검 요청",
                  "법령에 따른 기관 제출")  # fmt: skip


def message_of(exc: BaseException) -> str:
    """The error in the window's language (our errors carry both)."""
    text = getattr(exc, "message_ko", None)
    if isinstance(text, str) and text:
        return pick(text, str(getattr(exc, "message_en", "") or ""))
    return f"{type(exc).__name__}: {exc}"



def _add_centred(lay: QVBoxLayout, panel: QWidget) -> None:
    """Put the sign-in panel in ``lay``, centred at 3/5 of the width, with stretch 3 below it
    (the caller put stretch 2 above it: the panel sits a little above the middle)."""
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(panel, 3)
    row.addStretch(1)
    lay.addLayout(row)
    lay.addStretch(3)

class SignInPanel(QFrame):
    """Name, password, sign in. ``check(name, password)`` runs on ``runner`` and returns the account.

    Signals: ``signed_in(AccountInfo)``.
    """

    signed_in = Signal(object)

    def __init__(self, check: Callable[[str, str], AccountInfo], runner: TaskRunner, *,
                 title: str, subtitle: str, fixed_name: str | None = None,
                 demo_accounts: Sequence[tuple[str, str]] = (), demo_password: str = "",
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("signin-panel")
        self._check = check
        self._runner = runner
        self.busy = False
        self.setStyleSheet(f"QFrame#signin-panel {{ background: {theme.WHITE}; border: 1px solid "
                           f"{theme.BORDER}; border-radius: 12px; }}")  # fmt: skip
        self.setMaximumWidth(520)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(36, 28, 36, 28)
        lay.setSpacing(10)
        head = QLabel(title)
        head.setObjectName("signin-title")
        head.setProperty("role", "h1")
        lay.addWidget(head)
        sub = QLabel(subtitle)
        sub.setObjectName("signin-subtitle")
        sub.setProperty("role", "muted")
        sub.setWordWrap(True)
        lay.addWidget(sub)
        lay.addSpacing(6)
        name_label = QLabel(tr("계정 이름"))
        name_label.setProperty("role", "label")
        self.name = QLineEdit()
        self.name.setObjectName("signin-name")
        self.name.setAccessibleName(tr("계정 이름"))
        self.name.setMaxLength(64)
        name_label.setBuddy(self.name)
        pw_label = QLabel(tr("비밀번호"))
        pw_label.setProperty("role", "label")
        self.password = QLineEdit()
        self.password.setObjectName("signin-password")
        self.password.setAccessibleName(tr("비밀번호"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMaxLength(256)
        pw_label.setBuddy(self.password)
        for w in (name_label, self.name, pw_label, self.password):
            lay.addWidget(w)
        if fixed_name:
            self.name.setText(fixed_name)
            self.name.setReadOnly(True)
            self.name.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.message = QLabel("")
        self.message.setObjectName("signin-message")
        self.message.setProperty("severity", "error")
        self.message.setWordWrap(True)
        self.message.hide()
        lay.addWidget(self.message)
        self.button = QPushButton(tr("로그인 (Enter)") if not fixed_name else tr("잠금 해제 (Enter)"))
        self.button.setObjectName("signin-button")
        self.button.setProperty("kind", "primary")
        self.button.clicked.connect(self.submit)
        lay.addWidget(self.button)
        self.name.returnPressed.connect(self._name_entered)
        self.password.returnPressed.connect(self.submit)
        if demo_accounts:
            box = QFrame()
            box.setObjectName("signin-demo")
            box.setStyleSheet(f"QFrame#signin-demo {{ background: {theme.PRIMARY_LIGHT}; "
                              f"border-radius: 8px; }}")  # fmt: skip
            bl = QVBoxLayout(box)
            bl.setContentsMargins(14, 10, 14, 10)
            cap = QLabel(tr("체험용 계정 — 비밀번호는 모두 {pw}").format(pw=demo_password))
            cap.setObjectName("signin-demo-caption")
            cap.setProperty("role", "label")
            bl.addWidget(cap)
            row = QVBoxLayout()
            row.setSpacing(4)
            for i, (name, role) in enumerate(demo_accounts, 1):
                b = QPushButton(f"{name}  ·  {ROLE_KO.get(role, role)}   (Alt+{i})")
                b.setStyleSheet("text-align: left; padding: 6px 12px;")
                b.setObjectName(f"signin-demo-{name}")
                b.setToolTip(tr("이 계정 이름을 넣습니다 (Alt+{n})").format(n=i))
                b.clicked.connect(lambda _=False, n=name: self.use_name(n))
                row.addWidget(b)
                sc = QShortcut(QKeySequence(f"Alt+{i}"), self)
                sc.setContext(Qt.ShortcutContext.WindowShortcut)
                sc.activated.connect(lambda n=name: self.use_name(n))
            bl.addLayout(row)
            lay.addSpacing(6)
            lay.addWidget(box)

    def focus(self) -> None:
        (self.password if self.name.text() else self.name).setFocus()

    def use_name(self, name: str) -> None:
        if not self.name.isReadOnly():
            self.name.setText(name)
        self.password.clear()
        self.password.setFocus()

    def _name_entered(self) -> None:
        if self.name.text().strip():
            self.password.setFocus()

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def submit(self) -> None:
        name, password = self.name.text().strip(), self.password.text()
        if self.busy:
            return
        if not name:
            self.show_message(tr("계정 이름을 입력해 주세요."))
            self.name.setFocus()
            return
        if not password:
            self.show_message(tr("비밀번호를 입력해 주세요."))
            self.password.setFocus()
            return
        self.busy = True
        for w in (self.name, self.password, self.button):
            w.setEnabled(False)
        self.show_message("")
        self.button.setText(tr("확인하는 중…"))
        check = self._check
        self._runner.submit(lambda: check(name, password), self._done, self._failed)

    def _ready(self) -> None:
        self.busy = False
        for w in (self.name, self.password, self.button):
            w.setEnabled(True)
        self.button.setText(tr("로그인 (Enter)") if not self.name.isReadOnly() else tr("잠금 해제 (Enter)"))

    def _done(self, info: AccountInfo) -> None:
        self._ready()
        self.password.clear()
        self.signed_in.emit(info)

    def _failed(self, exc: BaseException) -> None:
        self._ready()
        self.password.clear()
        self.show_message(message_of(exc))
        self.password.setFocus() if self.name.text() else self.name.setFocus()


class SignInWindow(QWidget):
    """The first screen: opens the account gate on a worker, then asks for name and password.

    ``opener`` makes the :class:`Gate` (on the worker). Signals:
    ``signed_in(AccountInfo, Gate)`` (the gate stays open for the lock and the
    second password; the receiver owns it), ``failed(exception)`` when the
    database cannot be opened or has no accounts.
    """

    signed_in = Signal(object, object)
    failed = Signal(object)  # the exception: the database cannot open, or it has no accounts

    def __init__(self, opener: Callable[[], Gate], *, title: str, right: str, where: str = "",
                 demo_accounts: Sequence[tuple[str, str]] = (), demo_password: str = "") -> None:  # fmt: skip
        super().__init__()
        self.setObjectName("signin-window")
        self.setWindowTitle(title + " — counter-app")
        theme.style_sheet_on(self)
        self.setStyleSheet(self.styleSheet() + f" QWidget#signin-window {{ background: {theme.SURFACE}; }}")
        self.runner = TaskRunner(self, name="window worker")
        self.gate: Gate | None = None
        self.error: str | None = None
        self.right = right
        self._handed_over = False
        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 24, 24, 12)
        lay.addStretch(2)
        self.panel = SignInPanel(self._check, self.runner, title=title,
                                 subtitle=tr("본인 계정으로 로그인하세요. 처리한 모든 일은 이 계정 이름과 단말로 기록됩니다."),
                                 demo_accounts=demo_accounts, demo_password=demo_password)  # fmt: skip
        self.panel.signed_in.connect(self._signed_in)
        self.panel.setEnabled(False)
        self.panel.show_message(tr("데이터베이스를 여는 중…"))
        self.panel.message.setProperty("severity", None)
        _add_centred(lay, self.panel)
        foot = QLabel(where)
        foot.setObjectName("signin-where")
        foot.setProperty("role", "muted")
        lay.addWidget(foot)
        self.runner.submit(opener, self._opened, self._open_failed)

    def _check(self, name: str, password: str) -> AccountInfo:
        assert self.gate is not None
        return self.gate.sign_in(name, password, self.right)

    def _opened(self, gate: Gate) -> None:
        self.gate = gate
        self.panel.message.setProperty("severity", "error")
        theme.repolish(self.panel.message)
        self.panel.show_message("")
        self.runner.submit(gate.has_accounts, self._accounts_known, self._open_failed)

    def _accounts_known(self, has: bool) -> None:
        if not has:
            self._open_failed(AuthError(
                "이 데이터베이스에는 아직 계정이 없습니다. IT 담당자가 'counter-app users add 이름 --role admin "
                "--new-password-file 파일' 로 첫 관리자를 만든 뒤 계정을 나눠 주어야 합니다.",
                "this database has no accounts yet: IT makes the first admin with 'counter-app "
                "users add NAME --role admin --new-password-file F', then one account per person"))
            return
        self.panel.setEnabled(True)
        self.panel.focus()

    def _open_failed(self, exc: BaseException) -> None:
        self.failed.emit(exc)
        self.error = message_of(exc)
        self.panel.message.setProperty("severity", "error")
        theme.repolish(self.panel.message)
        self.panel.show_message(self.error)
        self.panel.setEnabled(False)

    def _signed_in(self, info: AccountInfo) -> None:
        self._handed_over = True
        self.signed_in.emit(info, self.gate)

    def shutdown(self) -> None:
        self.runner.shutdown()
        if self.gate is not None and not self._handed_over:
            self.gate.close()
            self.gate = None


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
                 *, clock: Callable[[], float] = time.monotonic) -> None:  # fmt: skip
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
                        if w is not self.window and w.isVisible()]  # fmt: skip
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
               else tr("화면을 잠갔습니다."))  # fmt: skip
        gate, account = self.gate, self.account
        self.panel = SignInPanel(
            lambda _n, pw: gate.sign_in(account.name, pw), self.runner, title=tr("화면 잠김"),
            subtitle=why + " " + tr("{name} 님의 비밀번호를 넣으면 하던 일이 그대로 이어집니다.").format(name=account.name),
            fixed_name=account.name)  # fmt: skip
        self.panel.signed_in.connect(self._unlocked)
        _add_centred(lay, self.panel)
        cover.setGeometry(self.window.rect())
        cover.show()
        cover.raise_()
        self.cover = cover
        self.panel.focus()
        self.runner.submit(lambda: gate.note(account, "lock" if not idle else "idle_lock"),
                           lambda _: None, lambda _e: None)  # fmt: skip
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
        self.locked_changed.emit(False)

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
                and not self._within(obj, self.cover))  # fmt: skip

    def shutdown(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.runner.shutdown()


class GrantDialog(QDialog):
    """The reason (kept with the audit event) and the password again, before a reveal/print/export."""

    def __init__(self, title: str, text: str, account: AccountInfo | None, *,
                 ask_reason: bool = True, parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("grant-dialog")
        self.setWindowTitle(title)
        lay = QVBoxLayout(self)
        head = QLabel(text)
        head.setWordWrap(True)
        lay.addWidget(head)
        self.reason_box: QComboBox | None = None
        if ask_reason:
            lab = QLabel(tr("사유 (감사 기록에 함께 남습니다)"))
            lab.setProperty("role", "label")
            lay.addWidget(lab)
            self.reason_box = QComboBox()
            self.reason_box.setObjectName("grant-reason")
            self.reason_box.setEditable(True)
            self.reason_box.addItem("")
            for r in COMMON_REASONS:
                self.reason_box.addItem(tr(r), r)
            self.reason_box.setCurrentIndex(0)
            line = self.reason_box.lineEdit()
            if line is not None:
                line.setPlaceholderText(tr("사유를 고르거나 적어 주세요"))
            self.reason_box.editTextChanged.connect(self._changed)
            lab.setBuddy(self.reason_box)
            lay.addWidget(self.reason_box)
        self.password: QLineEdit | None = None
        if account is not None:
            lab = QLabel(tr("{name} 님의 비밀번호").format(name=account.name))
            lab.setProperty("role", "label")
            lay.addWidget(lab)
            self.password = QLineEdit()
            self.password.setObjectName("grant-password")
            self.password.setEchoMode(QLineEdit.EchoMode.Password)
            self.password.textChanged.connect(self._changed)
            lab.setBuddy(self.password)
            lay.addWidget(self.password)
        self.hint = QLabel("")
        self.hint.setProperty("severity", "warning")
        self.hint.setWordWrap(True)
        lay.addWidget(self.hint)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)  # fmt: skip
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("확인"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("취소"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.resize(520, 280)
        self._changed()
        (self.reason_box or self.password or self.buttons).setFocus()

    def reason(self) -> str:
        return self.reason_box.currentText().strip() if self.reason_box is not None else ""

    def secret(self) -> str:
        return self.password.text() if self.password is not None else ""

    def _changed(self, *_: Any) -> None:
        ok = True
        hint = ""
        if self.reason_box is not None:
            r = self.reason()
            if junk_reason(r):
                ok = False
                hint = tr("사유를 알아볼 수 있게 적어 주세요 (예: 민원인 본인 확인).") if r else ""
        if self.password is not None and not self.secret():
            ok = False
        self.hint.setText(hint)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)


Grant = tuple[str, str]  # (reason, password)


def ask_grant(parent: QWidget, title: str, text: str, account: AccountInfo | None,
              ask_reason: bool = True) -> Grant | None:  # fmt: skip
    dlg = GrantDialog(title, text, account, ask_reason=ask_reason, parent=parent)
    try:
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        return dlg.reason(), dlg.secret()
    finally:
        dlg.deleteLater()


class Authorizer:
    """A window's signed-in account: what it may do, and the reason + password before it does it.

    ``account``/``gate`` stay None in a window opened without a sign-in (the
    tests of other features, set-up mode): then every action is allowed and no
    reason is asked, as before accounts existed. ``ask(title, text, account)``
    is the dialog; tests hand in an answer instead.
    """

    def __init__(self, parent: QWidget, runner: TaskRunner,
                 on_error: Callable[[BaseException], None]) -> None:  # fmt: skip
        self.parent = parent
        self.runner = runner
        self.on_error = on_error
        self.account: AccountInfo | None = None
        self.gate: Gate | None = None
        self.session: authz.Session | None = None
        self._lock: IdleLock | None = None
        self.rules: Any = None  # records.access.Rules of the office (counter.toml)
        self.ask: Callable[[str, str, AccountInfo], Grant | None] = \
            lambda title, text, account: ask_grant(parent, title, text, account)  # fmt: skip

    @property
    def lock(self) -> IdleLock | None:
        return self._lock

    @lock.setter
    def lock(self, lock: IdleLock | None) -> None:
        """The window's lock: a refusal that ends the session uses it; unlocking renews the session."""
        self._lock = lock
        if lock is not None:
            lock.on_unlocked = self.unlocked

    def sign_in(self, account: AccountInfo, gate: Gate) -> None:
        self.account = account
        self.gate = gate
        self.session = authz.Session.of(account, account.last_signin_at or _utcnow())

    def allowed(self, right: str) -> bool:
        """True when the signed-in role holds ``right`` in the one table; otherwise the refusal
        is audited (by the gate, which reads the account again) and shown."""
        account, gate, session = self.account, self.gate, self.session
        if account is None or gate is None or session is None or authz.allowed(session.role, right):
            return True
        self.runner.submit(lambda: gate.authorize(session, right), lambda _: None, self.failed)
        return False

    def guarded(self, right: str, work: Callable[[], T]) -> Callable[[], T]:
        """``work`` for the worker thread, behind the gate: the account is read again first
        (disabled, demoted or a new password since the sign-in: refused, and the window locks)."""
        gate, session = self.gate, self.session
        if gate is None or session is None:
            return work

        def run() -> T:
            gate.authorize(session, right)
            return work()

        return run

    def failed(self, exc: BaseException) -> None:
        """The error callback of a guarded action: a refusal that ends the session locks every
        window of the program (only the account's password, if it still may, opens it)."""
        if isinstance(exc, authz.Refusal) and exc.ends_session and self.lock is not None:
            self.lock.lock_now()
        self.on_error(exc)

    def unlocked(self, account: AccountInfo) -> None:
        """Signed in again at the lock: the session is the account as it is now."""
        self.account = account
        self.session = authz.Session.of(account, account.last_signin_at or _utcnow())

    def request(self, right: str, title: str, text: str) -> tuple[Callable[[], None], str | None] | None:
        """None: refused or cancelled. Else (check, reason): run ``check()`` on the worker first
        (the password again, audited; raises AuthError when wrong)."""
        account, gate = self.account, self.gate
        if account is None or gate is None:
            return (lambda: None), None
        if not self.allowed(right):
            return None
        answer = self.ask(title, text, account)
        if answer is None:
            return None
        reason, password = answer
        session = self.session

        def check() -> None:
            if session is not None:
                gate.authorize(session, right)
            gate.confirm(account, password, right)

        return check, reason

    def shutdown(self) -> None:
        if self.lock is not None:
            self.lock.shutdown()
            self.lock = None


# -- the windows' entry (counter-app run, review, demo) --------------------------


def signed_in_window(app: Any, opener: Any, build: Any, *, right: str, title: str, counter: str,
                     idle_minutes: float, maximized: bool = False, demo: bool = False,
                     on_failed: Any = None, on_started: Any = None) -> int:
    """The sign-in screen; then ``build(account name)`` makes the counter, locked when idle.

    ``build`` returns what has ``.window`` and ``.close()`` (CounterParts, DemoCounter).
    ``on_started(parts)``, if given, runs once the window shows and may return a function
    to call when it has closed (a background service, a demo web server).
    Exit code: the window's, or 1 when the database cannot be opened or has no accounts."""
    import sys

    from counter_app.auth import DEMO_ACCOUNTS, DEMO_PASSWORD

    sign = SignInWindow(opener, title=title, right=right, where=f"단말 {counter}",
                        demo_accounts=DEMO_ACCOUNTS if demo else (),
                        demo_password=DEMO_PASSWORD if demo else "")  # fmt: skip
    held: dict[str, Any] = {}

    def signed_in(info: Any, gate: Any) -> None:
        parts = build(info.name)
        lock = IdleLock(parts.window, gate, info, idle_minutes * 60)
        held.update(parts=parts, gate=gate, lock=lock)
        desk = getattr(parts, "desk", None)
        if desk is not None:  # the counter window: its actions reach the database through the desk
            guard_desk(desk, gate, info, lock)
        if maximized:
            parts.window.showMaximized()
        else:
            parts.window.resize(1366, 768)
            parts.window.show()
        sign.close()
        if on_started is not None:
            held["stop"] = on_started(parts)

    sign.signed_in.connect(signed_in)
    if on_failed is not None:
        sign.failed.connect(on_failed)
    sign.resize(1366, 768)
    sign.showMaximized() if maximized else sign.show()
    code = int(app.exec())
    sign.shutdown()
    error = sign.error
    delete_now(sign)
    if "parts" in held:
        if held.get("stop") is not None:
            held["stop"]()
        held["lock"].shutdown()
        held["parts"].close()
        held["gate"].close()
    elif error:
        if on_failed is None:  # (else said already)
            print(f"counter-app: {error}", file=sys.stderr)
        return 1
    return code


def guard_desk(desk: Any, gate: Gate, account: AccountInfo, lock: IdleLock) -> None:
    """Every database action of the counter window asks the gate (on the worker thread); a refusal
    that ends the session locks the window, and signing in again at the lock renews the session."""
    session = [authz.Session.of(account, account.last_signin_at or _utcnow())]

    def authorize(action: str) -> object:
        try:
            return gate.authorize(session[0], action)
        except authz.Refusal as exc:
            if exc.ends_session:
                lock.lock_requested.emit()  # queued to the GUI thread
            raise

    def renewed(info: AccountInfo) -> None:
        session[0] = authz.Session.of(info, info.last_signin_at or _utcnow())

    desk.authorize = authorize
    lock.on_unlocked = renewed


def delete_now(widget: Any) -> None:
    """Delete a top-level widget on this (the GUI) thread, now: left to Python's garbage
    collector it could be freed on a worker thread (a crash)."""
    widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
