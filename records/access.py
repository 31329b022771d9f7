"""The access-log review (개인정보의 안전성 확보조치 기준 제8조): who handled whose data.

:func:`access_report` reads the audit trail of a period (Korean days) --
who viewed, revealed, corrected, printed, exported, took in, returned or
purged whose case, from which terminal, with which reason -- filtered by
account, action and person, and flags what the office's rules
(:class:`Rules`, from ``[access_review]`` in ``counter.toml``) call
suspicious:

* ``burst``: more than ``burst_per_hour`` reveals, prints and exports by one
  account within an hour;
* ``out_of_hours``: access outside ``office_hours`` (Korean time) or on a weekend;
* ``not_own_case``: an RRN revealed on a case another clerk took in;
* ``bad_reason``: a reveal, print or export whose reason is empty or junk
  ("ㅁㅁㅁ", "asdf", "...", "1234", one repeated character);
* ``failed_signins``: ``failed_signins`` or more refused sign-ins of one account.

:func:`record_review` keeps the supervisor's "this period reviewed" with
the findings (table ``access_reviews``), itself an audit event.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import select

from records import queries
from records.access_flags import (
    FLAG_EN,
    FLAG_KO,
    FLAG_SHORT,
    SEVERITY,
    Flag,
    FlagRules,
    find_flags,
    junk_reason,
)
from records.accounts import AccessReview, append_event, list_accounts, write_audited
from records.audit import ACTION_KO
from records.errors import InvalidChange
from records.models import AuditEvent, Case
from records.store import CaseStore
from records.views import KST

__all__ = [
    "FLAG_EN",
    "FLAG_KO",
    "FLAG_SHORT",
    "SEVERITY",
    "AccessEvent",
    "AccessReport",
    "Flag",
    "ReviewRecord",
    "Rules",
    "access_report",
    "find_flags",
    "flag_reviews",
    "junk_reason",
    "load_events",
    "record_review",
    "review_flag",
]

WITH_REASON = ("reveal_rrn", "print", "export", "status")  # the events that carry a reason
ACCESS_ACTIONS = ("intake", "view", "reveal_rrn", "correction", "status", "print", "export",
                  "purge")
@dataclass(frozen=True)
class Rules(FlagRules):
    """The office's rules (``[access_review]`` of counter.toml) of what is flagged."""

    @classmethod
    def from_settings(cls, table: dict[str, Any]) -> Rules:
        """``[access_review]`` of counter.toml; a wrong value is a ValueError naming it."""
        r = cls()
        kw: dict[str, Any] = {}
        for key in ("burst_per_hour", "min_reason", "failed_signins", "same_person"):
            if key in table:
                v = table[key]
                if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                    raise ValueError(f"[access_review] {key} 는 1 이상의 정수여야 합니다 / must be a whole number >= 1")
                kw[key] = v
        if "office_hours" in table:
            m = re.fullmatch(r"(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})", str(table["office_hours"]))
            if not m:
                raise ValueError('[access_review] office_hours 는 "08:00-19:00" 형식이어야 합니다 / must look like "08:00-19:00"')
            h1, m1, h2, m2 = (int(x) for x in m.groups())
            try:
                kw["office_start"], kw["office_end"] = dt.time(h1, m1), dt.time(h2, m2)
            except ValueError:
                raise ValueError(f"[access_review] office_hours: {table['office_hours']}") from None
        if "weekends" in table:
            kw["weekends"] = bool(table["weekends"])
        return cls(**{**r.__dict__, **kw})


@dataclass(frozen=True)
class AccessEvent:
    seq: int
    at: dt.datetime  # aware UTC
    actor: str
    counter: str
    action: str
    case_number: str | None
    person: str | None  # the applicant of the case (None: no case, or purged)
    case_clerk: str | None
    reason: str | None
    detail: dict[str, Any]
    subject: str | None = None  # the person as one person: name and masked number

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "at": self.at.isoformat(), "actor": self.actor,
                "counter": self.counter, "action": self.action, "case_number": self.case_number,
                "person": self.person, "reason": self.reason, "detail": self.detail}


@dataclass(frozen=True)
class ReviewRecord:
    period_from: str
    period_to: str
    reviewer: str
    reviewed_at: dt.datetime
    events: int
    flags: int
    findings: str

    def to_json(self) -> dict[str, Any]:
        return {"from": self.period_from, "to": self.period_to, "reviewer": self.reviewer,
                "reviewed_at": self.reviewed_at.isoformat(), "events": self.events,
                "flags": self.flags, "findings": self.findings}


@dataclass
class AccessReport:
    first: dt.date
    last: dt.date
    events: list[AccessEvent]
    flags: list[Flag]
    reviews: list[ReviewRecord] = field(default_factory=list)
    person: str | None = None  # a citizen's own report: whose access this lists

    def summary(self) -> list[tuple[str, dict[str, int], int, int]]:
        """Per account: its counts by action, its flags, how many of them are reviewed."""
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for e in self.events:
            counts[e.actor][e.action] += 1
        flags = Counter(f.actor for f in self.flags)
        done = Counter(f.actor for f in self.flags if f.review)
        return [(who, dict(c), flags[who], done[who]) for who, c in sorted(counts.items())]

    def by_action(self) -> dict[str, int]:
        return dict(Counter(e.action for e in self.events))

    def by_actor(self) -> dict[str, int]:
        return dict(Counter(e.actor for e in self.events))

    def flagged(self) -> set[int]:
        return {s for f in self.flags for s in f.seqs}

    def to_json(self) -> dict[str, Any]:
        return {"from": self.first.isoformat(), "to": self.last.isoformat(),
                "count": len(self.events), "by_action": self.by_action(),
                "by_actor": self.by_actor(), "flags": [f.to_json() for f in self.flags],
                "reviews": [r.to_json() for r in self.reviews],
                "events": [e.to_json() for e in self.events]}


def _iso(t: dt.datetime) -> str:
    return t.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse_at(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)


def _detail(text: str) -> dict[str, Any]:
    try:
        v = json.loads(text)
    except ValueError:
        return {"raw": text}
    return v if isinstance(v, dict) else {"value": v}


def load_events(
    store: CaseStore, first: dt.date, last: dt.date, *, user: str | None = None,
    action: str | None = None, person: str | None = None,
    actions: Iterable[str] = (*ACCESS_ACTIONS, "signin", "account", "access_review"),
) -> list[AccessEvent]:
    """The period's events (Korean days ``first``..``last``), oldest first, filtered.

    A reveal at the counter (F8, before the petition is recorded) names its payload:
    once the petition is accepted, the event is the case's (its number and person), so
    "who saw my number" finds the counter's reveals too.
    """
    start, _ = queries.day_bounds(first)
    _, end = queries.day_bounds(last)
    q = (select(AuditEvent, Case.applicant_name, Case.clerk, Case.applicant_rrn_masked)
         .outerjoin(Case, Case.id == AuditEvent.case_id)
         .where(AuditEvent.at >= _iso(start), AuditEvent.at < _iso(end))
         .order_by(AuditEvent.seq))
    wanted = [action] if action else list(actions)
    q = q.where(AuditEvent.action.in_(wanted))
    if user:
        q = q.where(AuditEvent.actor == user)
    out: list[AccessEvent] = []
    with store.read() as s:
        rows = [(e, _detail(e.detail), name, clerk, masked) for e, name, clerk, masked in s.execute(q)]
        pending = {d["payload_id"] for e, d, *_ in rows
                   if e.case_id is None and isinstance(d.get("payload_id"), str)}
        by_payload = {pid: (number, name, clerk, masked) for pid, number, name, clerk, masked in s.execute(
            select(Case.payload_id, Case.case_number, Case.applicant_name, Case.clerk,
                   Case.applicant_rrn_masked).where(Case.payload_id.in_(sorted(pending))))} if pending else {}
    for e, d, name, clerk, masked in rows:
        number = e.case_number
        if e.case_id is None and d.get("payload_id") in by_payload:
            number, name, clerk, masked = by_payload[d["payload_id"]]
        reason = d.get("reason") if e.action in WITH_REASON else None
        subject = f"{name} ({masked})" if name and masked else name
        ev = AccessEvent(e.seq, _parse_at(e.at), e.actor, e.counter, e.action, number, name, clerk,
                         reason if isinstance(reason, str) else None, d, subject)
        if person and not (person in (ev.person or "") or person == ev.case_number):
            continue
        out.append(ev)
    return out


def _roles(store: CaseStore) -> dict[str, str]:
    return {a.name: a.role for a in list_accounts(store)}


def reviews(store: CaseStore, first: dt.date, last: dt.date) -> list[ReviewRecord]:
    """The reviews recorded for periods that overlap ``first``..``last``."""
    q = (select(AccessReview)
         .where(AccessReview.period_from <= last.isoformat(),
                AccessReview.period_to >= first.isoformat())
         .order_by(AccessReview.id))
    with store.read() as s:
        return [ReviewRecord(r.period_from, r.period_to, r.reviewer, r.reviewed_at, r.events,
                             r.flags, r.findings) for r in s.execute(q).scalars()]


def access_report(
    store: CaseStore, first: dt.date, last: dt.date, *, rules: Rules | None = None,
    user: str | None = None, action: str | None = None, person: str | None = None,
) -> AccessReport:
    """The period's events and flags; flags are found on the whole period, then filtered."""
    rules = rules or Rules()
    every = load_events(store, first, last)
    flags = find_flags(every, rules, _roles(store))
    events = every
    if user or action or person:
        events = load_events(store, first, last, user=user, action=action, person=person)
        keep = {e.seq for e in events}
        flags = [f for f in flags if keep.intersection(f.seqs)]
    done = flag_reviews(store)
    flags = [replace(f, review=done[f.key]) if f.key in done else f for f in flags]
    return AccessReport(first, last, events, flags, reviews(store, first, last), person)


def flag_reviews(store: CaseStore) -> dict[str, str]:
    """Flag key → "reviewer (time): note", from the audit trail's flag reviews."""
    q = (select(AuditEvent).where(AuditEvent.action == "access_review",
                                  AuditEvent.detail.like('%"flag":%'))
         .order_by(AuditEvent.seq))
    out: dict[str, str] = {}
    with store.read() as s:
        for e in s.execute(q).scalars():
            d = _detail(e.detail)
            if isinstance(d.get("flag"), str):
                at = _parse_at(e.at).astimezone(KST)
                out[d["flag"]] = f"{e.actor} ({at:%m-%d %H:%M}): {d.get('note', '')}"
    return out


def review_flag(store: CaseStore, flag: Flag, *, reviewer: str, counter: str, note: str) -> None:
    """Mark a flag reviewed with what the supervisor found (an audit event; a note is required)."""
    note = note.strip()
    if junk_reason(note):
        raise InvalidChange("검토 내용을 적어 주세요 (무엇을 확인했는지).",
                            "write what was found (the review needs a note)")

    def work(s: Any) -> None:
        append_event(s, store, "access_review", reviewer, counter,
                     {"flag": flag.key, "rule": flag.rule, "account": flag.actor,
                      "seqs": list(flag.seqs[:50]), "note": note})

    write_audited(store, work)


def record_review(
    store: CaseStore, report: AccessReport, *, reviewer: str, counter: str, findings: str,
) -> ReviewRecord:
    """"This period reviewed", with what was found; an audit event in the same transaction."""
    findings = findings.strip()
    at = store.now()

    def work(s: Any) -> ReviewRecord:
        event = append_event(s, store, "access_review", reviewer, counter,
                             {"from": report.first.isoformat(), "to": report.last.isoformat(),
                              "events": len(report.events), "flags": len(report.flags),
                              "findings": findings})
        s.add(AccessReview(period_from=report.first.isoformat(), period_to=report.last.isoformat(),
                           reviewer=reviewer, counter=counter, reviewed_at=at,
                           events=len(report.events), flags=len(report.flags), findings=findings,
                           audit_seq=event.seq))
        return ReviewRecord(report.first.isoformat(), report.last.isoformat(), reviewer, at,
                            len(report.events), len(report.flags), findings)

    result: ReviewRecord = write_audited(store, work)
    return result


HEADER = ("번호 seq", "시각 time (KST)", "계정 account", "단말 terminal", "행위 action",
          "표시 flags", "접수번호 case", "정보주체 person", "사유 reason")


def rows(report: AccessReport) -> list[list[str]]:
    """The report's events as table cells (the window, xlsx and PDF use the same)."""
    by_seq: dict[int, list[str]] = defaultdict(list)
    for f in report.flags:
        for s in f.seqs:
            by_seq[s].append(FLAG_SHORT[f.rule])
    out = []
    for e in report.events:
        what = ACTION_KO.get(e.action, e.action)
        if e.action == "signin":
            what += " " + ("성공" if e.detail.get("ok") else f"실패({e.detail.get('reason', '')})")
        elif e.action == "export":
            what += f" {e.detail.get('from', '')}~{e.detail.get('to', '')} {e.detail.get('cases', '')}건"
        out.append([str(e.seq), f"{e.at.astimezone(KST):%Y-%m-%d %H:%M:%S}", e.actor, e.counter,
                    what, ", ".join(dict.fromkeys(by_seq.get(e.seq, []))), e.case_number or "",
                    e.person or "", e.reason or ""])
    return out


def export_xlsx(report: AccessReport, out: Path) -> None:
    """Events, flags and recorded reviews, one sheet each, through the one spreadsheet writer
    (a return reason "=HYPERLINK(...)" stays text)."""
    from records.sheets import Sheet, write_sheets

    events: list[Sequence[object]] = [[f"접근 기록 검토 {report.first.isoformat()} ~ {report.last.isoformat()}"],
              list(HEADER), *rows(report)]
    flags: list[Sequence[object]] = [["규칙 rule", "계정 account", "시각 (KST)", "내용", "기록 번호 seqs"],
             *([FLAG_KO[f.rule], f.actor, f"{f.at.astimezone(KST):%Y-%m-%d %H:%M}", f.note,
                ", ".join(str(s) for s in f.seqs)] for f in report.flags)]
    reviews: list[Sequence[object]] = [["기간", "검토자", "검토 시각 (KST)", "기록 수", "표시 수", "검토 결과"],
               *([f"{rv.period_from}~{rv.period_to}", rv.reviewer,
                  f"{rv.reviewed_at.astimezone(KST):%Y-%m-%d %H:%M}", rv.events, rv.flags,
                  rv.findings] for rv in report.reviews)]
    write_sheets(out, "xlsx", [Sheet("접근기록", events), Sheet("표시", flags), Sheet("검토", reviews)])
