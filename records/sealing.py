"""One rule for sealing: every row the program relies on is sealed when its transaction ends.

The case seal and the keyed chain (:mod:`records.integrity`) covered cases
and events; the rows the program trusts for its other security decisions
(accounts with their role and password hash, the set-up marker and the
database's key id in ``meta``, access-review and purge records, the case
number counters) carry a ``mac`` column: the HMAC, under the integrity key,
of the table's name and every other column of the row.

Sealing is not left to each write: :meth:`records.store.CaseStore.write`
calls :func:`reseal` after the work of every transaction, and it seals
whatever the transaction added or changed. A code path that forgets to seal
(the counter's return at intake did, so ``db check`` called every returned
case tampered) can no longer exist. Before a sealed row is changed its old
seal is checked (:func:`verify_old_rows`, a ``before_flush`` hook), so the
program never re-seals an edit made behind its back.

A row's place in the audit chain is sealed with it, so an older sealed copy
cannot be put back: a case's ``seal_seq`` is the last intake, correction or
status event of the case, an account's ``audit_seq`` the last account or
sign-in event naming it; ``db check`` compares both with the chain.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, func, inspect, select
from sqlalchemy.orm import Session

from records.errors import Tampered
from records.integrity import mac, plain, row_values, seal_case, seals
from records.models import Attachment, AuditEvent, Case, Correction, StatusChange

# The events that change a case (its seal names the last of them).
STATE_ACTIONS = ("intake", "correction", "status")
# The events that change an account row (its ``audit_seq`` names the last naming it).
ACCOUNT_ACTIONS = ("account", "signin")
SEALED_TABLES = ("accounts", "access_reviews", "purged_cases", "case_counters", "meta")

_KEY = "counter_ikey"  # session.info: the integrity key of the transaction
_TOUCHED = "counter_touched"
_VERIFIED = "counter_verified"
_BINDING = "counter_binding"  # session.info: sealing rows made before revision 0006


def row_mac(key: bytes, table: str, values: dict[str, Any]) -> str:
    """The seal of one row: its table and every column with a value but ``mac``."""
    return mac(key, {"table": table, "row": values})


def mac_of(key: bytes, row: Any) -> str:
    return row_mac(key, row.__table__.name, row_values(row, skip=("mac",)))


def row_sound(key: bytes, row: Any) -> bool:
    return row.mac is not None and hmac.compare_digest(row.mac, mac_of(key, row))


def _ident(row: Any) -> tuple[str, tuple[Any, ...]]:
    return row.__table__.name, tuple(inspect(row).mapper.primary_key_from_instance(row))


def has_mac(row: Any) -> bool:
    return getattr(row, "__table__", None) is not None and "mac" in row.__table__.c


def begin(session: Session, key: bytes, *, binding: bool = False) -> None:
    """Mark ``session`` as a sealed transaction under ``key`` (the store does this)."""
    session.info[_KEY] = key
    session.info[_TOUCHED] = []
    session.info[_VERIFIED] = set()
    session.info[_BINDING] = binding


def session_key(session: Session) -> bytes | None:
    key = session.info.get(_KEY)
    return key if isinstance(key, bytes) else None


def _old_values(row: Any) -> dict[str, Any]:
    state = inspect(row)
    out: dict[str, Any] = {}
    for column in row.__table__.columns:
        hist = state.attrs[column.key].history
        old = hist.deleted or hist.unchanged
        if old and old[0] is not None and column.key != "mac":
            out[column.key] = old[0]
    return out


def row_name(row: Any) -> str:
    """How ``db check`` names a sealed row: ``accounts.kim``, ``meta.accounts``, ..."""
    table = row.__table__.name
    if table == "accounts":
        return f"accounts.{row.name}"
    if table == "meta":
        return f"meta.{row.key}"
    if table == "case_counters":
        return f"case_counters.{row.office}-{row.year}"
    if table == "purged_cases":
        return f"purged_cases.{row.case_number}"
    return f"{table}.{'/'.join(str(i) for i in _ident(row)[1])}"


def tampered_row(row: Any) -> Tampered:
    """The error for a sealed row that no longer matches its seal: nothing is built on it."""
    where = row_name(row)
    return Tampered(
        f"{where}: 이 기록이 프로그램 밖에서 바뀌어 사용하지 않았습니다. "
        "'counter-app db check' 로 확인하고 전산 담당자에게 연락해 주세요.",
        f"{where}: this record was changed outside the program, so it was not used. "
        "Run 'counter-app db check' and call IT staff.",
        {"table": row.__table__.name, "where": where},
    )


@event.listens_for(Session, "before_flush")
def verify_old_rows(session: Session, _ctx: Any, _instances: Any) -> None:
    """A sealed row about to change must still match its seal (no laundering of an edit)."""
    key = session_key(session)
    if key is None or session.info.get(_BINDING):
        return
    verified: set[Any] = session.info[_VERIFIED]
    for row in list(session.dirty) + list(session.deleted):
        if not has_mac(row):
            continue
        ident = _ident(row)
        if ident in verified:
            continue
        verified.add(ident)
        state = inspect(row)
        old_mac = state.attrs["mac"].history
        tag = (old_mac.deleted or old_mac.unchanged or [None])[0]
        values = {k: plain(v) for k, v in _old_values(row).items()}
        expected = row_mac(key, row.__table__.name, values)
        if tag is None or not hmac.compare_digest(str(tag), expected):
            raise tampered_row(row)


@event.listens_for(Session, "after_flush")
def _collect(session: Session, _ctx: Any) -> None:
    touched = session.info.get(_TOUCHED)
    if touched is None:
        return
    verified: set[Any] = session.info[_VERIFIED]
    for row in session.new:
        touched.append(row)
        if has_mac(row):  # made by this transaction: there is no older seal to check
            verified.add(_ident(row))
    touched.extend(r for r in session.dirty if session.is_modified(r))


def reseal(session: Session) -> None:
    """Seal every case and sealed row this transaction added or changed, with its chain place."""
    key = session_key(session)
    if key is None:
        return
    session.flush()
    touched: list[Any] = session.info[_TOUCHED]
    case_ids: set[int] = set()
    rows: list[Any] = []
    events: list[AuditEvent] = []
    for row in touched:
        if isinstance(row, Case):
            case_ids.add(row.id)
        elif isinstance(row, Attachment | StatusChange | Correction):
            case_ids.add(row.case_id)
        elif isinstance(row, AuditEvent):
            events.append(row)
            if row.case_id is not None and row.action in STATE_ACTIONS:
                case_ids.add(row.case_id)
        elif has_mac(row):
            rows.append(row)
    session.info[_TOUCHED] = []
    rows += _accounts_named(session, events)
    if case_ids:
        places = chain_places(session, case_ids)
        for c in session.execute(select(Case).where(Case.id.in_(case_ids))).scalars():
            c.seal_seq = places.get(c.id)
            seal_case(session, key, c)
    seen: set[int] = set()
    for row in rows:
        if id(row) in seen or inspect(row).deleted or inspect(row).detached:
            continue
        seen.add(id(row))
        row.mac = mac_of(key, row)
    session.flush()
    session.info[_TOUCHED] = []


def chain_places(session: Session, case_ids: Iterable[int]) -> dict[int, int]:
    """The seq of the last intake, correction or status event of each case."""
    ids = list(case_ids)
    out: dict[int, int] = {}
    for i in range(0, len(ids), 500):
        q = (select(AuditEvent.case_id, func.max(AuditEvent.seq))
             .where(AuditEvent.case_id.in_(ids[i:i + 500]),
                    AuditEvent.action.in_(STATE_ACTIONS))
             .group_by(AuditEvent.case_id))
        out.update({c: int(s) for c, s in session.execute(q) if c is not None})
    return out


def named_account(event_row: AuditEvent) -> str | None:
    """The account an account or sign-in event is about."""
    if event_row.action not in ACCOUNT_ACTIONS:
        return None
    try:
        detail = json.loads(event_row.detail)
    except ValueError:
        return None
    name = detail.get("account") if isinstance(detail, dict) else None
    return name if isinstance(name, str) else None


def _accounts_named(session: Session, events: list[AuditEvent]) -> list[Any]:
    last: dict[str, int] = {}
    for e in events:
        name = named_account(e)
        if name is not None:
            last[name] = max(last.get(name, 0), e.seq)
    if not last:
        return []
    from records.accounts import Account  # records.accounts builds on the store (and on this)

    out = []
    for a in session.execute(select(Account).where(Account.name.in_(list(last)))).scalars():
        a.audit_seq = last[a.name]
        out.append(a)
    return out


def case_problems(session: Session, key: bytes, cases: list[Case]) -> dict[int, str]:
    """Why each of ``cases`` cannot be trusted as it is ("seal", "rolled_back"), by id."""
    expected = seals(session, key, cases)
    places = chain_places(session, [c.id for c in cases])
    out: dict[int, str] = {}
    for c in cases:
        if c.seal is None or not hmac.compare_digest(c.seal, expected[c.id]):
            out[c.id] = "seal"
        elif c.seal_seq != places.get(c.id):
            out[c.id] = "rolled_back"
    return out


def refuse_unsound_cases(session: Session, key: bytes, cases: list[Case]) -> None:
    problems = case_problems(session, key, cases)
    for c in cases:
        if c.id in problems:
            refuse_unsound_case(session, key, c, problems[c.id])


def refuse_unsound_case(session: Session, key: bytes, case: Case,
                        problem: str | None = None) -> None:
    """The program changes no case that was changed behind its back (it would seal the edit)."""
    problem = problem or case_problems(session, key, [case]).get(case.id)
    if problem is not None:
        raise Tampered(
            f"{case.case_number}: 접수 건이 프로그램 밖에서 바뀌어 (봉인 불일치"
            f"{', 예전 상태로 되돌려짐' if problem == 'rolled_back' else ''}) 처리하지 않았습니다. "
            "'counter-app db check' 로 확인하고 전산 담당자에게 연락해 주세요.",
            f"case {case.case_number} was changed outside the program ("
            f"{'put back to an older state' if problem == 'rolled_back' else 'seal mismatch'}); "
            "nothing was done. Run 'counter-app db check' and call IT staff.",
            {"case": case.case_number, "problem": problem},
        )
