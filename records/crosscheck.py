"""The rows against the chain: what ``db check`` finds that no single seal can.

A seal proves a row was written by the program; it cannot prove the row is
the newest one, or that a row is not missing. The audit chain (keyed, so it
cannot be rewritten) is the record of what happened, and every row must
agree with it:

* every case has its ``intake`` event, and every intake event its case (or
  a purge record): a deleted case is named by the intake that made it;
* a case's ``seal_seq`` and an account's ``audit_seq`` are the last event that
  changed them: an older sealed copy put back is named as rolled back;
* an account's role and enabled state are those of its last account event,
  every account the chain added still exists, and the set-up marker exists
  once any was added;
* every access review and purge record has its event and every such event
  its records;
* each case-number counter equals the last serial its intake events used;
* every sealed row (:mod:`records.sealing`) matches its MAC.

:func:`bind_rows` seals the rows of a database made before revision 0006,
after these same checks pass (refusing otherwise): the program that holds
the key vouches only for rows that agree with the chain.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from records import audit
from records.errors import Tampered
from records.integrity import META_KEY, Binding, BindingInvalid, read_binding, seal_case, seals
from records.models import AuditEvent, Case, CaseCounter, Meta, PurgedCase
from records.sealing import ACCOUNT_ACTIONS, chain_places, mac_of, named_account, row_sound

ROWS_KEY = "row_seals"  # meta: when the rows of revision 0006 were first sealed
SEALED_META = ("accounts", "data_key_id", "integrity", ROWS_KEY)


@dataclass(frozen=True)
class Problem:
    kind: str
    message_ko: str
    message_en: str
    where: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "where": self.where,
                "message": f"{self.message_ko} ({self.message_en})"}


Add = Callable[[str, str, str, str | None], None]


def _detail(e: AuditEvent) -> dict[str, Any]:
    try:
        value = json.loads(e.detail)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _serial(number: str | None) -> tuple[str, int, int] | None:
    parts = (number or "").rsplit("-", 2)
    if len(parts) != 3 or not all(p.isascii() and p.isdigit() for p in parts[1:]):
        return None
    return parts[0], int(parts[1]), int(parts[2])


def cross_check(s: Session, key: bytes, *, binding: bool = False) -> list[Problem]:
    """Every row against the chain and its MAC; ``binding``: rows may have no MAC yet."""
    problems: list[Problem] = []

    def add(kind: str, ko: str, en: str, where: str | None) -> None:
        problems.append(Problem(kind, ko, en, where))

    def sealed(row: Any, kind: str, where: str, what_ko: str, what_en: str) -> None:
        if binding and row.mac is None:
            return
        if not row_sound(key, row):
            add(kind, f"{where}: {what_ko}이(가) 봉인과 맞지 않습니다 (프로그램 밖에서 바뀌거나 추가됨)",
                f"{where}: the {what_en} does not match its seal (changed or added outside "
                "the program)", where)

    _cases(s, key, add, binding)
    _accounts(s, key, add, sealed)
    _reviews(s, add, sealed)
    _purges(s, add, sealed)
    _counters(s, add, sealed)
    for row in s.execute(select(Meta).where(Meta.key.in_(SEALED_META))).scalars():
        sealed(row, "meta_tampered", f"meta.{row.key}", "설정 기록", "meta record")
    return problems


def _cases(s: Session, key: bytes, add: Add, binding: bool) -> None:
    intakes = {cid: (seq, num) for seq, cid, num in s.execute(
        select(AuditEvent.seq, AuditEvent.case_id, AuditEvent.case_number)
        .where(AuditEvent.action == "intake")) if cid is not None}
    purged = set(s.execute(select(PurgedCase.case_number)).scalars())
    cases = {int(i): (n, q) for i, n, q in s.execute(
        select(Case.id, Case.case_number, Case.seal_seq))}
    places = chain_places(s, list(cases))
    for cid, (seq, number) in sorted(intakes.items()):
        present = cases.get(cid)
        if (present is None or present[0] != number) and number not in purged:
            add("case_missing",
                f"{number}: 감사 기록 {seq}번에 접수되었으나 접수 건이 없습니다 (삭제됨, 파기 기록도 없음)",
                f"case {number} was taken in at event #{seq} but is gone, with no purge "
                "record (deleted outside the program)", number)
    for cid, (number, seal_seq) in sorted(cases.items()):
        intake = intakes.get(cid)
        if intake is None or intake[1] != number:
            add("case_without_intake",
                f"{number}: 감사 기록에 이 접수 건의 접수 기록이 없습니다 (프로그램 밖에서 추가됨)",
                f"case {number} has no intake event in the audit chain (added outside the "
                "program)", number)
        elif not (binding and seal_seq is None) and seal_seq != places.get(cid):
            add("case_rolled_back",
                f"{number}: 접수 건이 예전 상태로 되돌려졌습니다 (봉인은 {seal_seq}번 기록 시점, "
                f"감사 기록의 마지막 변경은 {places.get(cid)}번)",
                f"case {number} was put back to an older state: it is sealed as of event "
                f"#{seal_seq}, but the chain's last change of it is #{places.get(cid)}", number)


def account_history(
    s: Session,
) -> tuple[dict[str, int], dict[str, str], dict[str, bool], dict[str, int]]:
    """Per account the chain names: its last event, role, disabled state and the add event."""
    last_seq: dict[str, int] = {}
    role: dict[str, str] = {}
    disabled: dict[str, bool] = {}
    added: dict[str, int] = {}
    q = select(AuditEvent).where(AuditEvent.action.in_(ACCOUNT_ACTIONS)).order_by(AuditEvent.seq)
    for e in s.execute(q).scalars():
        name = named_account(e)
        if name is None:
            continue
        d = _detail(e)
        if e.action == "signin" and d.get("reason") == "unknown":
            continue  # a name that was never an account
        last_seq[name] = e.seq
        op = d.get("op")
        if op == "add":
            added.setdefault(name, e.seq)
            role[name], disabled[name] = str(d.get("role")), False
        elif op == "role":
            role[name] = str(d.get("role"))
        elif op in ("disable", "enable"):
            disabled[name] = op == "disable"
    return last_seq, role, disabled, added


def _accounts(s: Session, key: bytes, add: Add, sealed: Callable[..., None]) -> None:
    from records.accounts import Account  # records.accounts builds on the store

    last_seq, role, disabled, added = account_history(s)
    present = set()
    for a in s.execute(select(Account).order_by(Account.name)).scalars():
        present.add(a.name)
        where = f"accounts.{a.name}"
        sealed(a, "account_tampered", where, "계정(역할·비밀번호 해시·잠금)", "account (role, "
               "password hash, lock)")
        if a.name not in added:
            add("account_without_event", f"{where}: 감사 기록에 이 계정을 만든 기록이 없습니다",
                f"{where}: the audit chain never added this account", where)
            continue
        if a.audit_seq is not None and a.audit_seq != last_seq.get(a.name):
            add("account_rolled_back",
                f"{where}: 계정이 예전 상태로 되돌려졌습니다 ({a.audit_seq}번 기록 시점, 마지막은 "
                f"{last_seq.get(a.name)}번)",
                f"{where} was put back to an older state (as of event #{a.audit_seq}; the "
                f"last event naming it is #{last_seq.get(a.name)})", where)
        if a.role != role.get(a.name) or (a.disabled_at is not None) != disabled.get(a.name):
            add("account_role",
                f"{where}: 역할·사용 상태({a.role}, {'중지' if a.disabled_at else '사용'})가 "
                "감사 기록과 다릅니다",
                f"{where}: its role or state ({a.role}, "
                f"{'disabled' if a.disabled_at else 'active'}) differs from the audit chain", where)
    for name, seq in sorted(added.items()):
        if name not in present:
            add("account_missing", f"accounts.{name}: {seq}번 기록에서 만든 계정이 없습니다 (삭제됨)",
                f"account {name}, added at event #{seq}, is gone (deleted)", f"accounts.{name}")
    if added and s.get(Meta, "accounts") is None:
        add("setup_marker", "계정 사용 표시(meta accounts)가 없습니다 (삭제됨: 초기 설정이 다시 열릴 수 있음)",
            "the accounts marker (meta accounts) is gone (deleted: set-up mode could reopen)",
            "meta.accounts")


def _events(s: Session, action: str) -> dict[int, dict[str, Any]]:
    q = select(AuditEvent).where(AuditEvent.action == action)
    return {e.seq: _detail(e) for e in s.execute(q).scalars()}


def _reviews(s: Session, add: Add, sealed: Callable[..., None]) -> None:
    from records.accounts import AccessReview

    events = _events(s, "access_review")
    kept = set()
    for r in s.execute(select(AccessReview).order_by(AccessReview.id)).scalars():
        where = f"access_reviews.{r.id}"
        kept.add(r.audit_seq)
        sealed(r, "review_tampered", where, "접근 기록 검토 기록", "access review record")
        if r.audit_seq not in events:
            add("review_without_event", f"{where}: 감사 기록에 이 검토 기록이 없습니다 (위조)",
                f"{where}: no access-review event records it (forged)", where)
    for seq in sorted(set(events) - kept):
        add("review_missing", f"{seq}번 기록의 접근 기록 검토 기록이 없습니다 (삭제됨)",
            f"the access review of event #{seq} is gone (deleted)", f"#{seq}")


def _purges(s: Session, add: Add, sealed: Callable[..., None]) -> None:
    events = _events(s, "purge")
    named = {str(n): seq for seq, d in events.items() for n in (d.get("cases") or [])}
    for p in s.execute(select(PurgedCase).order_by(PurgedCase.case_number)).scalars():
        where = f"purged_cases.{p.case_number}"
        sealed(p, "purge_tampered", where, "파기 기록", "purge record")
        if named.get(p.case_number) != p.audit_seq:
            add("purge_without_event", f"{where}: 감사 기록의 파기 기록에 이 번호가 없습니다 (위조)",
                f"{where}: no purge event names it (forged)", where)
        named.pop(p.case_number, None)
    for number, seq in sorted(named.items()):
        add("purge_record_missing", f"{number}: {seq}번 기록에서 파기했으나 파기 기록이 없습니다 (삭제됨)",
            f"case {number} was purged at event #{seq} but its purge record is gone", number)


def _counters(s: Session, add: Add, sealed: Callable[..., None]) -> None:
    used: dict[tuple[str, int], int] = {}
    q = select(AuditEvent.case_number).where(AuditEvent.action == "intake")
    for (number,) in s.execute(q):
        parsed = _serial(number)
        if parsed is not None:
            office, year, serial = parsed
            used[(office, year)] = max(used.get((office, year), 0), serial)
    for c in s.execute(select(CaseCounter)).scalars():
        where = f"case_counters.{c.office}-{c.year}"
        sealed(c, "counter_tampered", where, "접수번호 카운터", "case-number counter")
        last = used.pop((c.office, c.year), 0)
        if c.last_serial != last:
            add("counter_mismatch",
                f"{where}: 번호 카운터({c.last_serial})가 감사 기록의 마지막 접수번호({last})와 다릅니다",
                f"{where}: the counter ({c.last_serial}) differs from the last number the audit "
                f"chain issued ({last})", where)
    for (office, year), last in sorted(used.items()):
        where = f"case_counters.{office}-{year}"
        add("counter_mismatch", f"{where}: 번호 카운터가 없습니다 (감사 기록은 {last}번까지 발급)",
            f"{where}: the counter is gone (the chain issued numbers up to {last})", where)


def bind(s: Session, key: bytes, now: dt.datetime) -> None:
    """Bind the chain (revision 0002), then seal the rows (revision 0006); each once."""
    bind_chain(s, key, now)
    bind_rows(s, key, now)


def bind_chain(s: Session, ikey: bytes, now: dt.datetime) -> None:
    """Seal a database made before revision 0002 (once; see records.integrity)."""
    head = audit.head_row(s, for_update=True)  # serialises binders
    try:
        if read_binding(s, ikey) is not None:
            return
    except BindingInvalid:
        raise Tampered(
            "무결성 기록(meta integrity)이 변조되었습니다. 전산 담당자에게 연락해 주세요.",
            "The integrity record (meta integrity) was altered. Call IT staff.",
        ) from None
    sealed = s.execute(select(Case.id).where(Case.seal.is_not(None)).limit(1)).first()
    last = s.get(AuditEvent, head.seq) if head.seq else None
    if sealed is not None or (last is not None and hmac.compare_digest(
            audit.keyed_hash(ikey, last), last.hash)):
        raise Tampered(
            "무결성 기록(meta integrity)이 삭제되었습니다 (봉인된 접수 건이 있음). "
            "데이터베이스가 변조되었습니다. 전산 담당자에게 연락해 주세요.",
            "The integrity record (meta integrity) was deleted although cases are "
            "sealed: the database was tampered with. Call IT staff.",
        )
    legacy = s.execute(select(Case).where(Case.seal.is_(None))).scalars().all()
    for c in legacy:
        seal_case(s, ikey, c)
    binding = Binding(head.seq + 1, now.isoformat(), len(legacy))
    s.add(Meta(key=META_KEY, value=binding.value(ikey)))
    if legacy or head.seq:
        audit.append(
            s, action="integrity", actor="system", counter="-", at=now,
            key=ikey, detail={
                "bound_cases": len(legacy), "legacy_events": head.seq,
                "note": "cases and events written before this event were sealed "
                        "now; changes made to them before this moment cannot be told",
            })


def bind_rows(s: Session, key: bytes, now: dt.datetime) -> None:
    """Seal the rows of a database made before revision 0006, once, if they agree with the chain."""
    from records.accounts import AccessReview, Account

    row = s.get(Meta, ROWS_KEY)
    if row is not None:
        if not row_sound(key, row):
            raise _refuse("meta.row_seals", "행 봉인 기록이 변조되었습니다",
                          "the row-seal record was altered")
        return
    models: tuple[Any, ...] = (Account, AccessReview, PurgedCase, CaseCounter)
    if any(s.execute(select(m).where(m.mac.is_not(None)).limit(1)).first() for m in models) \
            or s.execute(select(Case.id).where(Case.seal_seq.is_not(None)).limit(1)).first():
        raise _refuse("meta.row_seals", "행 봉인 기록이 삭제되었습니다 (봉인된 기록이 있음)",
                      "the row-seal record was deleted although rows are sealed")
    verdict = audit.verify(s, key)
    if not verdict.ok:
        raise _refuse(verdict.case_number or "audit", verdict.problem_ko, verdict.problem_en)
    cases = list(s.execute(select(Case)).scalars())
    expected = seals(s, key, cases)
    for c in cases:
        if c.seal is None or not hmac.compare_digest(c.seal, expected[c.id]):
            raise _refuse(c.case_number, "접수 건이 봉인과 맞지 않습니다", "the case does not match its seal")
    problems = cross_check(s, key, binding=True)
    if problems:
        p = problems[0]
        raise _refuse(p.where or p.kind, p.message_ko, p.message_en)
    places = chain_places(s, [c.id for c in cases])
    for c in cases:
        c.seal_seq = places.get(c.id)  # sealed again by the store when the transaction ends
    last_seq = account_history(s)[0]
    count = 0
    for model in (*models, Meta):
        for r in s.execute(select(model)).scalars():
            if model is Meta and r.key not in SEALED_META:
                continue
            if model is Account:
                r.audit_seq = last_seq.get(r.name)
            r.mac = mac_of(key, r)
            count += model is not Meta
    head = audit.head_row(s, for_update=True)
    s.add(Meta(key=ROWS_KEY, value=json.dumps({"from_seq": head.seq + 1, "at": now.isoformat()})))
    if cases or count:
        audit.append(s, action="integrity", actor="system", counter="-", at=now, key=key,
                     detail={"sealed_rows": count, "sealed_cases": len(cases),
                             "note": "rows checked against the audit chain, then sealed"})


def _refuse(where: str, ko: str, en: str) -> Tampered:
    return Tampered(
        f"{where}: {ko}. 기록을 봉인하지 않았습니다. 'counter-app db check' 로 확인하고 "
        "전산 담당자에게 연락해 주세요.",
        f"{where}: {en}. The rows were not sealed. Run 'counter-app db check' and call IT staff.",
        {"where": where},
    )


