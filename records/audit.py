"""The audit trail: every intake, RRN reveal, correction, status change, export,
print and purge as one event in a hash chain.

개인정보 보호법's access-log rules ask for who, when, which terminal, whose
data and what was done, protected against tampering and kept two years. Each
event stores the hash of the event before it, and its own hash over its
content and that link; the newest link is also kept in ``audit_head``, a
single row every writer locks, which (a) serialises appends from several
counters so the chain stays linear and (b) lets :func:`verify` notice events
cut off the end. Events are never deleted by this program (the retention
purge removes cases, not their audit events).

An event's ``detail`` never holds personal data: field names, counts, case
numbers and reasons only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from records.models import AuditEvent, AuditHead

GENESIS = "0" * 64

ACTIONS = (
    # issue 13 (records.accounts): account changes, sign-ins (good or bad, lock, unlock),
    # the supervisor's access-log review
    "account",
    "signin",
    "access_review",
    "intake",
    "reveal_rrn",
    "correction",
    "status",
    "export",
    "print",
    "view",
    "purge",
)


def canonical(detail: dict[str, Any]) -> str:
    return json.dumps(detail, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def event_hash(
    seq: int,
    at: str,
    actor: str,
    counter: str,
    case_id: int | None,
    case_number: str | None,
    action: str,
    detail: str,
    prev_hash: str,
) -> str:
    body = json.dumps(
        [seq, at, actor, counter, case_id, case_number, action, detail, prev_hash],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def append(
    session: Session,
    *,
    action: str,
    actor: str,
    counter: str,
    at: dt.datetime,
    case_id: int | None = None,
    case_number: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one event in the caller's transaction (which commits it with the change it records)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    head = session.execute(
        select(AuditHead).where(AuditHead.id == 1).with_for_update()
    ).scalar_one()
    seq = head.seq + 1
    at_text = _iso(at)
    detail_text = canonical(detail or {})
    digest = event_hash(
        seq, at_text, actor, counter, case_id, case_number, action, detail_text, head.hash
    )
    event = AuditEvent(
        seq=seq,
        at=at_text,
        actor=actor,
        counter=counter,
        case_id=case_id,
        case_number=case_number,
        action=action,
        detail=detail_text,
        prev_hash=head.hash,
        hash=digest,
    )
    session.add(event)
    head.seq = seq
    head.hash = digest
    session.flush()
    return event


@dataclass(frozen=True)
class Verdict:
    ok: bool
    events: int
    broken_seq: int | None = None
    problem_ko: str = ""
    problem_en: str = ""

    @property
    def message(self) -> str:
        if self.ok:
            return f"감사 기록 {self.events}건의 연결이 온전합니다 ({self.events} audit events, chain intact)."
        return f"{self.problem_ko} ({self.problem_en})"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"ok": self.ok, "events": self.events}
        if not self.ok:
            out.update(
                broken_seq=self.broken_seq,
                message=self.message,
                message_ko=self.problem_ko,
                message_en=self.problem_en,
            )
        return out


def _label(e: AuditEvent) -> tuple[str, str]:
    case = f", {e.case_number}" if e.case_number else ""
    return f"{e.seq}번 기록({e.at}, {e.action}{case})", f"event #{e.seq} ({e.at}, {e.action}{case})"


def _walk(events: Iterable[AuditEvent]) -> tuple[Verdict | None, int, str]:
    """Check each link; (the first break or None, events seen, hash of the last)."""
    prev_hash = GENESIS
    count = 0
    for e in events:
        expected = count + 1
        ko, en = _label(e)
        if e.seq != expected:
            return Verdict(
                False, count, expected,
                f"{expected}번 기록이 없습니다 (삭제됨). 다음은 {ko}",
                f"event #{expected} is missing (deleted); next is {en}",
            ), count, prev_hash
        if e.prev_hash != prev_hash:
            return Verdict(
                False, count, e.seq,
                f"{ko}의 앞 기록 해시가 맞지 않습니다 (앞 기록이 바뀌었거나 삭제됨)",
                f"{en} does not link to the event before it (that one was changed or removed)",
            ), count, prev_hash
        digest = event_hash(
            e.seq, e.at, e.actor, e.counter, e.case_id, e.case_number, e.action, e.detail,
            e.prev_hash,
        )
        if digest != e.hash:
            return Verdict(
                False, count, e.seq,
                f"{ko}의 내용이 해시와 맞지 않습니다 (기록이 수정됨)",
                f"{en}: its content does not match its hash (the event was edited)",
            ), count, prev_hash
        prev_hash = e.hash
        count += 1
    return None, count, prev_hash


def verify(session: Session, batch: int = 5000) -> Verdict:
    """Walk the chain from the first event; name the first link that does not hold."""
    result = session.execute(
        select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=batch)
    )
    try:
        broken, count, last_hash = _walk(result.scalars())
    finally:
        result.close()  # a server-side cursor on PostgreSQL: close it even when stopping early
    if broken is not None:
        return broken
    head = session.execute(select(AuditHead).where(AuditHead.id == 1)).scalar_one_or_none()
    if head is None or head.seq != count or head.hash != last_hash:
        seq = head.seq if head is not None else None
        return Verdict(
            False, count, count + 1,
            f"마지막 기록이 사라졌거나 기록 머리가 바뀌었습니다 (머리: {seq}번, 실제 마지막: {count}번)",
            f"events were cut off the end or the chain head was changed "
            f"(head says #{seq}, last event is #{count})",
        )
    return Verdict(True, count)
