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
on a :class:`ui.widgets.workers.TaskRunner`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter_app.auth import Gate
from decoding.errors import CounterError
from records.accounts import ROLE_KO, AccountInfo
from records.errors import AuthError
from ui.widgets import theme
from ui.widgets.i18n import pick, tr
from ui.widgets.workers import TaskRunner


def message_of(exc: BaseException) -> str:
    """The error in the window's language (our errors carry both)."""
    if isinstance(exc, CounterError):
        return pick(exc.message_ko, exc.message_en)
    return f"{type(exc).__name__}: {exc}"



def add_centred(lay: QVBoxLayout, panel: QWidget) -> None:
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
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signin-panel")
        self._check = check
        self._runner = runner
        self.busy = False
        self.setStyleSheet(f"QFrame#signin-panel {{ background: {theme.WHITE}; border: 1px solid "
                           f"{theme.BORDER}; border-radius: 12px; }}")
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
                              f"border-radius: 8px; }}")
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
                 demo_accounts: Sequence[tuple[str, str]] = (), demo_password: str = "") -> None:
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
                                 demo_accounts=demo_accounts, demo_password=demo_password)
        self.panel.signed_in.connect(self._signed_in)
        self.panel.setEnabled(False)
        self.panel.show_message(tr("데이터베이스를 여는 중…"))
        self.panel.message.setProperty("severity", None)
        add_centred(lay, self.panel)
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
