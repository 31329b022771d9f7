"""Before a reveal, print or export: the account's right, the reason kept with the audit event, the password again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from counter_app import authz
from counter_app.auth import Gate
from records.access import junk_reason
from records.accounts import AccountInfo
from ui.widgets.i18n import tr
from ui.widgets.workers import TaskRunner

if TYPE_CHECKING:
    from ui.signin.lock import IdleLock

T = TypeVar("T")


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


COMMON_REASONS = ("민원인 본인 확인", "민원인 요청에 따른 발급 확인", "정정 요청 처리", "감사·점검 요청",
                  "법령에 따른 기관 제출")



class GrantDialog(QDialog):
    """The reason (kept with the audit event) and the password again, before a reveal/print/export."""

    def __init__(self, title: str, text: str, account: AccountInfo | None, *,
                 ask_reason: bool = True, parent: QWidget | None = None) -> None:
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
                                        | QDialogButtonBox.StandardButton.Cancel)
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
              ask_reason: bool = True) -> Grant | None:
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
                 on_error: Callable[[BaseException], None]) -> None:
        self.parent = parent
        self.runner = runner
        self.on_error = on_error
        self.account: AccountInfo | None = None
        self.gate: Gate | None = None
        self.session: authz.Session | None = None
        self._lock: IdleLock | None = None
        self.rules: Any = None  # records.access.Rules of the office (counter.toml)
        self.ask: Callable[[str, str, AccountInfo], Grant | None] = \
            lambda title, text, account: ask_grant(parent, title, text, account)

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
        """The error callback of a guarded action: :meth:`lock_if_over`, then the window's own."""
        self.lock_if_over(exc)
        self.on_error(exc)

    def lock_if_over(self, exc: BaseException) -> None:
        """A refusal that ends the session locks every window of the program (only the
        account's password, if it still may, opens it)."""
        if isinstance(exc, authz.Refusal) and exc.ends_session and self.lock is not None:
            self.lock.lock_now()

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


