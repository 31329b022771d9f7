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
numbers and reasons only, and any resident registration number typed into a
reason is masked before it is stored (:func:`records.redact.redact`).

The chain is *keyed* (see :mod:`records.integrity`): an event's ``hash`` is
the HMAC-SHA256, under a key the database does not hold, of every column of
the event (``prev_hash`` included, and any column a later revision adds), so
an edited event cannot be hidden by recomputing the hashes after it. Events
written before the database was bound (revision 0001) keep their plain
SHA-256 links; the first keyed event links to them, so they cannot be
rewritten either without breaking it. :func:`checkpoint` gives the head as a
short tagged text for supervisors to keep outside the database, and
:func:`verify` checks kept checkpoints, which catches events cut off the end.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from records.errors import Tampered
from records.integrity import (
    Binding,
    BindingInvalid,
    Checkpoint,
    mac,
    make_checkpoint,
    parse_checkpoint,
    read_binding,
    row_values,
)
from records.models import AuditEvent, AuditHead
from records.redact import redact

GENESIS = "0" * 64

# Every action of the audit trail with its label, Korean and English: the one table the
# review window, the access review, the reports and the command line read.
ACTION_LABELS: dict[str, tuple[str, str]] = {
    "account": ("계정 변경", "Account change"),
    "signin": ("로그인", "Sign-in"),
    "access_review": ("접근 기록 검토", "Access review"),
    "intake": ("접수", "Intake"),
    "reveal_rrn": ("주민등록번호 열람", "RRN revealed"),
    "correction": ("수정", "Correction"),
    "status": ("상태 변경", "Status change"),
    "export": ("내보내기", "Export"),
    "print": ("인쇄", "Print"),
    "view": ("조회", "Viewed"),
    "purge": ("파기", "Purge"),
    "integrity": ("무결성 키 적용", "Keyed chain started"),
}
ACTIONS = tuple(ACTION_LABELS)
ACTION_KO = {action: ko for action, (ko, _en) in ACTION_LABELS.items()}
ACTION_EN = {action: en for action, (_ko, en) in ACTION_LABELS.items()}


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


def keyed_hash(key: bytes, event: AuditEvent) -> str:
    """The HMAC of every column of ``event`` but its own hash."""
    return mac(key, {"event": row_values(event, skip=("hash",))})


def head_row(session: Session, *, for_update: bool = False) -> AuditHead:
    """The chain's head row; its absence is tampering (the program never deletes it)."""
    q = select(AuditHead).where(AuditHead.id == 1)
    if for_update:
        q = q.with_for_update()
    head = session.execute(q).scalar_one_or_none()
    if head is None:
        raise Tampered(
            "감사 기록의 머리(audit_head)가 없습니다. 데이터베이스가 변조되었거나 손상되었습니다. "
            "'counter-app audit verify' 로 확인하고 전산 담당자에게 연락해 주세요.",
            "The audit chain head (audit_head) is missing: the database was tampered with or "
            "damaged. Run 'counter-app audit verify' and call IT staff.",
        )
    return head


def _iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def append(
    session: Session,
    *,
    action: str,
    actor: str,
    counter: str,
    at: dt.datetime,
    key: bytes,
    case_id: int | None = None,
    case_number: str | None = None,
    detail: dict[str, Any] | None = None,
    **columns: Any,
) -> AuditEvent:
    """Add one event in the caller's transaction (which commits it with the change it records).

    ``key`` is the integrity key (:func:`records.integrity.integrity_key`);
    ``columns`` sets columns a later revision adds (they are covered by the HMAC).
    Resident registration numbers in ``detail`` (a return reason) are masked.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    head = head_row(session, for_update=True)
    seq = head.seq + 1
    at_text = _iso(at)
    detail_text = canonical(redact(detail or {}))
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
        **columns,
    )
    digest = keyed_hash(key, event)
    event.hash = digest
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
    case_number: str | None = None
    keyed_from: int | None = None
    checkpoints: int = 0

    @property
    def message(self) -> str:
        if self.ok:
            kept = (f", 보관된 확인점 {self.checkpoints}개 일치" if self.checkpoints else "")
            kept_en = (f", {self.checkpoints} kept checkpoint(s) match" if self.checkpoints
                       else "")
            return (f"감사 기록 {self.events}건의 연결이 온전합니다{kept} "
                    f"({self.events} audit events, chain intact{kept_en}).")
        return f"{self.problem_ko} ({self.problem_en})"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"ok": self.ok, "events": self.events}
        if self.keyed_from is not None:
            out["keyed_from"] = self.keyed_from
        if self.checkpoints:
            out["checkpoints"] = self.checkpoints
        if not self.ok:
            out.update(
                broken_seq=self.broken_seq,
                message=self.message,
                message_ko=self.problem_ko,
                message_en=self.problem_en,
            )
            if self.case_number:
                out["case_number"] = self.case_number
        return out


def _label(e: AuditEvent) -> tuple[str, str]:
    case = f", {e.case_number}" if e.case_number else ""
    return f"{e.seq}번 기록({e.at}, {e.action}{case})", f"event #{e.seq} ({e.at}, {e.action}{case})"


def _legacy_hash(e: AuditEvent) -> str:
    return event_hash(e.seq, e.at, e.actor, e.counter, e.case_id, e.case_number, e.action,
                      e.detail, e.prev_hash)


@dataclass
class _Walk:
    key: bytes | None
    binding: Binding | None
    wanted: set[int]
    count: int = 0
    prev_hash: str = GENESIS
    seen: dict[int, str] | None = None

    def check(self, e: AuditEvent) -> Verdict | None:
        expected = self.count + 1
        ko, en = _label(e)

        def broken(seq: int, pko: str, pen: str) -> Verdict:
            return Verdict(False, self.count, seq, pko, pen, e.case_number,
                           self.binding.keyed_from if self.binding else None)

        if e.seq != expected:
            return broken(expected, f"{expected}번 기록이 없습니다 (삭제됨). 다음은 {ko}",
                          f"event #{expected} is missing (deleted); next is {en}")
        if e.prev_hash != self.prev_hash:
            return broken(e.seq, f"{ko}의 앞 기록 해시가 맞지 않습니다 (앞 기록이 바뀌었거나 삭제됨)",
                          f"{en} does not link to the event before it "
                          "(that one was changed or removed)")
        keyed = self.binding is not None and e.seq >= self.binding.keyed_from
        if keyed:
            assert self.key is not None
            good = hmac.compare_digest(keyed_hash(self.key, e), e.hash)
        else:
            good = _legacy_hash(e) == e.hash
            if not good and self.binding is None and self.key is not None \
                    and hmac.compare_digest(keyed_hash(self.key, e), e.hash):
                return broken(e.seq, "감사 기록의 키 적용 기록(meta integrity)이 삭제되었습니다 (변조)",
                              "the record of when the keyed chain starts (meta integrity) was "
                              "deleted (tampering)")
        if not good:
            return broken(e.seq, f"{ko}의 내용이 해시와 맞지 않습니다 (기록이 수정됨)",
                          f"{en}: its content does not match its keyed hash (the event was "
                          "edited)")
        if e.seq in self.wanted and self.seen is not None:
            self.seen[e.seq] = e.hash
        self.prev_hash = e.hash
        self.count += 1
        return None


def verify(
    session: Session, key: bytes | None = None, checkpoints: Iterable[str] = (),
    batch: int = 5000,
) -> Verdict:
    """Walk the chain from the first event; name the first link that does not hold.

    ``key`` (the integrity key) is needed once the database is bound; each of
    ``checkpoints`` (texts from :func:`checkpoint`, kept outside the database)
    must still be in the chain unchanged, which catches events cut off the end.
    """
    try:
        binding = read_binding(session, key)
    except BindingInvalid:
        return Verdict(False, 0, None, "감사 기록의 키 적용 기록(meta integrity)이 변조되었습니다",
                       "the record of when the keyed chain starts (meta integrity) was altered")
    if binding is not None and key is None:
        return Verdict(False, 0, None,
                       "기관 키가 없어 감사 기록을 검증할 수 없습니다. --key 로 기관 개인키를 주세요.",
                       "the audit chain is keyed: give the office private key (--key) to verify it")
    wanted: dict[int, str] = {}
    for text_ in checkpoints:
        if key is None:
            return Verdict(False, 0, None, "확인점을 검증하려면 기관 키가 필요합니다",
                           "checking a checkpoint needs the office key (--key)")
        try:
            seq, prefix = parse_checkpoint(text_, key)
        except ValueError as exc:
            return Verdict(False, 0, None, f"보관된 확인점이 올바르지 않습니다: {text_[:80]}",
                           f"the kept checkpoint is not valid ({exc}): {text_[:80]}")
        wanted[seq] = prefix
    walk = _Walk(key, binding, set(wanted), seen={})
    result = session.execute(
        select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=batch)
    )
    try:
        for e in result.scalars():
            broken = walk.check(e)
            if broken is not None:
                return broken
    finally:
        result.close()  # a server-side cursor on PostgreSQL: close it even when stopping early
    count, keyed_from = walk.count, binding.keyed_from if binding else None
    assert walk.seen is not None
    for seq, prefix in sorted(wanted.items()):
        if seq > count:
            return Verdict(
                False, count, count + 1,
                f"보관된 확인점에는 {seq}번 기록까지 있었으나 지금은 {count}번까지만 있습니다 "
                f"(마지막 기록 {seq - count}건이 삭제됨)",
                f"the kept checkpoint names event #{seq}, but the chain ends at #{count} "
                f"(the last {seq - count} event(s) were cut off)", None, keyed_from)
        if not walk.seen.get(seq, "").startswith(prefix):
            return Verdict(
                False, count, seq,
                f"{seq}번 기록이 보관된 확인점과 다릅니다 (그 뒤의 기록이 다시 쓰임)",
                f"event #{seq} differs from the kept checkpoint (the chain was rewritten)",
                None, keyed_from)
    head = session.execute(select(AuditHead).where(AuditHead.id == 1)).scalar_one_or_none()
    if head is None:
        return Verdict(False, count, count + 1, "감사 기록의 머리(audit_head)가 없습니다 (삭제됨)",
                       "the audit chain head (audit_head) is missing (deleted)", None, keyed_from)
    if head.seq != count or head.hash != walk.prev_hash:
        return Verdict(
            False, count, count + 1,
            f"마지막 기록이 사라졌거나 기록 머리가 바뀌었습니다 (머리: {head.seq}번, 실제 마지막: {count}번)",
            f"events were cut off the end or the chain head was changed "
            f"(head says #{head.seq}, last event is #{count})", None, keyed_from,
        )
    return Verdict(True, count, keyed_from=keyed_from, checkpoints=len(wanted))


def checkpoint(session: Session, key: bytes) -> Checkpoint:
    """The chain's head now, tagged with the integrity key: what supervisors keep
    outside the database (the daily report prints it; ``audit checkpoint`` exports it)."""
    head = head_row(session)
    return make_checkpoint(key, head.seq, head.hash)
