"""The one table of who may do what: role x action.

Every action the program has is a named permission; :data:`TABLE` says which
role holds it. The gate (:mod:`counter_app.authz`) checks it for the command
line, the counter window and the review window alike, and the sign-in of
:mod:`records.accounts` uses the same table. The table lives here, below the
gate, because the accounts (records) need it too; nothing else lists rights.
"""

from __future__ import annotations

# action -> (Korean, English): what the action is called in messages and the audit trail
ACTIONS: dict[str, tuple[str, str]] = {
    "view": ("민원 조회", "view cases"),
    "reveal": ("주민등록번호 열람", "reveal an RRN"),
    "print": ("인쇄", "print"),
    "export": ("내보내기", "export"),
    "correct": ("민원 정정", "correct a case"),
    "accept": ("민원 접수", "accept a petition"),
    "return": ("반려", "return a case"),
    "complete": ("완료 처리", "complete a case"),
    "purge": ("파기", "purge cases"),
    "set_aside": ("보류", "set a petition aside"),
    "users": ("계정 관리", "manage accounts"),
    "report": ("일일 보고서", "daily report"),
    "access": ("접근 기록 검토", "access review"),
    "fleet": ("창구 현황", "counter fleet"),
    "update": ("프로그램 업데이트", "program update"),
}

ROLES = ("clerk", "supervisor", "admin")

_COUNTER_WORK = frozenset({"view", "print", "correct", "accept", "return", "complete", "set_aside"})

# The table. A clerk works cases at the counter; a supervisor also sees what is masked,
# exports, purges and reviews; an admin manages accounts and the program, and sees cases
# only to answer for them (view), never changes one.
TABLE: dict[str, frozenset[str]] = {
    "clerk": _COUNTER_WORK,
    "supervisor": _COUNTER_WORK | {"reveal", "export", "purge", "report", "access", "fleet"},
    "admin": frozenset({"users", "access", "view", "fleet", "update"}),
}

assert all(a in ACTIONS for rights in TABLE.values() for a in rights)


def allowed(role: str, action: str) -> bool:
    """Whether ``role`` holds ``action`` (an unknown role or action holds nothing)."""
    return action in TABLE.get(role, frozenset())
