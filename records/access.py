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
from collections import Counter, defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from records import queries
from records.accounts import AccessReview, append_event, write_audited
from records.atomic import atomic_path
from records.audit import ACTION_KO
from records.models import AuditEvent, Case
from records.store import CaseStore
from records.views import KST

ACCESS_ACTIONS = ("intake", "view", "reveal_rrn", "correction", "status", "print", "export",
                  "purge")  # fmt: skip
REASONED = ("reveal_rrn", "print", "export")  # a reason is asked before each of these
FLAG_KO = {"burst": "1시간 안에 대량 열람·내보내기", "out_of_hours": "업무시간 외 접근",
           "not_own_case": "다른 담당자 민원의 주민번호 열람", "bad_reason": "사유 없음·무의미한 사유",
           "failed_signins": "로그인 실패 반복"}  # fmt: skip
FLAG_SHORT = {"burst": "대량", "out_of_hours": "시간 외", "not_own_case": "타 담당",
              "bad_reason": "사유", "failed_signins": "로그인 실패"}  # fmt: skip
FLAG_EN = {"burst": "many reveals/downloads in an hour", "out_of_hours": "out-of-hours access",
           "not_own_case": "RRN revealed on another clerk's case", "bad_reason": "empty or junk reason",
           "failed_signins": "repeated failed sign-ins"}  # fmt: skip

SEVERITY = ("burst", "not_own_case", "bad_reason", "failed_signins", "out_of_hours")
_JUNK_WORDS = {"test", "asdf", "qwer", "aaa", "abc", "xxx", "na", "n/a", "none", "-", "ㅇㅇ",
               "ㅁㅁ", "테스트", "그냥", "없음", "확인", "기타", "."}  # fmt: skip
_JAMO = re.compile(r"^[\u3131-\u318e\s]+$")  # only loose jamo: ㅁㄴㅇㄹ typed at random
_NO_LETTERS = re.compile(r"^[\W\d_]+$")


@dataclass(frozen=True)
class Rules:
    burst_per_hour: int = 10
    office_start: dt.time = dt.time(8, 0)
    office_end: dt.time = dt.time(19, 0)
    weekends: bool = True  # a weekend is out of hours
    min_reason: int = 4
    failed_signins: int = 3

    @classmethod
    def from_settings(cls, table: dict[str, Any]) -> Rules:
        """``[access_review]`` of counter.toml; a wrong value is a ValueError naming it."""
        r = cls()
        kw: dict[str, Any] = {}
        for key in ("burst_per_hour", "min_reason", "failed_signins"):
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

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "at": self.at.isoformat(), "actor": self.actor,
                "counter": self.counter, "action": self.action, "case_number": self.case_number,
                "person": self.person, "reason": self.reason, "detail": self.detail}  # fmt: skip


@dataclass(frozen=True)
class Flag:
    rule: str
    actor: str
    seqs: tuple[int, ...]
    at: dt.datetime
    note: str = ""

    @property
    def message_ko(self) -> str:
        return f"{FLAG_KO[self.rule]}: {self.actor} {self.note}".strip()

    @property
    def message_en(self) -> str:
        return f"{FLAG_EN[self.rule]}: {self.actor} {self.note}".strip()

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "actor": self.actor, "seqs": list(self.seqs),
                "at": self.at.isoformat(), "note": self.note, "message_ko": self.message_ko,
                "message_en": self.message_en}  # fmt: skip


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
                "flags": self.flags, "findings": self.findings}  # fmt: skip


@dataclass
class AccessReport:
    first: dt.date
    last: dt.date
    events: list[AccessEvent]
    flags: list[Flag]
    reviews: list[ReviewRecord] = field(default_factory=list)

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
                "events": [e.to_json() for e in self.events]}  # fmt: skip


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


def junk_reason(reason: str | None, min_len: int = 4) -> bool:
    """Empty, too short, one repeated character, no letters, loose jamo or a filler word."""
    text = (reason or "").strip()
    if len(text.replace(" ", "")) < min_len:
        # Korean packs a reason in few syllables ("본인확인" is 4): count syllables as two.
        hangul = sum(1 for c in text if "가" <= c <= "힣")
        if len(text.replace(" ", "")) + hangul < min_len:
            return True
    squeezed = text.replace(" ", "").lower()
    return (len(set(squeezed)) <= 1 or squeezed in _JUNK_WORDS or bool(_JAMO.match(text))
            or bool(_NO_LETTERS.match(text)) or bool(re.fullmatch(r"(.{1,3})\1{2,}", squeezed)))  # fmt: skip


def load_events(
    store: CaseStore, first: dt.date, last: dt.date, *, user: str | None = None,
    action: str | None = None, person: str | None = None,
    actions: Iterable[str] = (*ACCESS_ACTIONS, "signin", "account", "access_review"),
) -> list[AccessEvent]:
    """The period's events (Korean days ``first``..``last``), oldest first, filtered."""
    start, _ = queries.day_bounds(first)
    _, end = queries.day_bounds(last)
    q = (select(AuditEvent, Case.applicant_name, Case.clerk)
         .outerjoin(Case, Case.id == AuditEvent.case_id)
         .where(AuditEvent.at >= _iso(start), AuditEvent.at < _iso(end))
         .order_by(AuditEvent.seq))  # fmt: skip
    wanted = [action] if action else list(actions)
    q = q.where(AuditEvent.action.in_(wanted))
    if user:
        q = q.where(AuditEvent.actor == user)
    out: list[AccessEvent] = []
    with store.read() as s:
        for e, name, clerk in s.execute(q):
            d = _detail(e.detail)
            reason = d.get("reason") if e.action in (*REASONED, "status") else None
            ev = AccessEvent(e.seq, _parse_at(e.at), e.actor, e.counter, e.action, e.case_number,
                             name, clerk, reason if isinstance(reason, str) else None, d)  # fmt: skip
            if person and not (person in (ev.person or "") or person == ev.case_number):
                continue
            out.append(ev)
    return out


def find_flags(events: list[AccessEvent], rules: Rules) -> list[Flag]:
    flags: list[Flag] = []
    bursts: dict[str, deque[AccessEvent]] = defaultdict(deque)
    in_burst: dict[str, bool] = defaultdict(bool)
    failures: dict[str, list[AccessEvent]] = defaultdict(list)
    late: dict[tuple[str, dt.date], list[AccessEvent]] = defaultdict(list)
    others: dict[tuple[str, dt.date], list[AccessEvent]] = defaultdict(list)
    for e in events:
        if e.action == "signin":
            if e.detail.get("ok") is False and e.detail.get("reason") != "no_right":
                failures[str(e.detail.get("account") or e.actor)].append(e)
            continue
        local = e.at.astimezone(KST)
        out = (not rules.office_start <= local.time() < rules.office_end
               or (rules.weekends and local.weekday() >= 5))  # fmt: skip
        if out:  # one flag per account and day, naming every event
            late[(e.actor, local.date())].append(e)
        if e.action == "reveal_rrn" and e.case_clerk and e.case_clerk != e.actor:
            others[(e.actor, local.date())].append(e)
        if e.action in REASONED and junk_reason(e.reason, rules.min_reason):
            flags.append(Flag("bad_reason", e.actor, (e.seq,), e.at,
                              f"{ACTION_KO[e.action]} {e.case_number or ''} 사유 {e.reason or '(없음)'!r}"))  # fmt: skip
        if e.action in REASONED:
            window = bursts[e.actor]
            window.append(e)
            while window and e.at - window[0].at > dt.timedelta(hours=1):
                window.popleft()
            if len(window) > rules.burst_per_hour:
                if not in_burst[e.actor]:
                    in_burst[e.actor] = True
                    flags.append(Flag("burst", e.actor, tuple(x.seq for x in window), window[0].at,
                                      f"{len(window)}건"))  # fmt: skip
                else:  # the same burst goes on: its flag names every event of it
                    last = next(i for i in range(len(flags) - 1, -1, -1)
                                if flags[i].rule == "burst" and flags[i].actor == e.actor)  # fmt: skip
                    f = flags[last]
                    n = len(f.seqs) + 1
                    flags[last] = Flag("burst", e.actor, (*f.seqs, e.seq), f.at, f"{n}건")
            else:
                in_burst[e.actor] = False
    for (who, day), seen in others.items():
        clerks = Counter(x.case_clerk for x in seen)
        flags.append(Flag("not_own_case", who, tuple(x.seq for x in seen), seen[0].at,
                          f"{day} {len(seen)}건 (" + ", ".join(f"담당 {c} {n}" for c, n in clerks.items()) + ")"))  # fmt: skip
    for (who, day), seen in late.items():
        since, until = (x.at.astimezone(KST) for x in (seen[0], seen[-1]))
        flags.append(Flag("out_of_hours", who, tuple(x.seq for x in seen), seen[0].at,
                          f"{day} {since:%H:%M}~{until:%H:%M} {len(seen)}건"))  # fmt: skip
    for who, bad in failures.items():
        if len(bad) >= rules.failed_signins:
            flags.append(Flag("failed_signins", who, tuple(x.seq for x in bad), bad[0].at,
                              f"{len(bad)}회"))  # fmt: skip
    flags.sort(key=lambda f: (SEVERITY.index(f.rule), f.at))
    return flags


def reviews(store: CaseStore, first: dt.date, last: dt.date) -> list[ReviewRecord]:
    """The reviews recorded for periods that overlap ``first``..``last``."""
    q = (select(AccessReview)
         .where(AccessReview.period_from <= last.isoformat(),
                AccessReview.period_to >= first.isoformat())
         .order_by(AccessReview.id))  # fmt: skip
    with store.read() as s:
        return [ReviewRecord(r.period_from, r.period_to, r.reviewer, r.reviewed_at, r.events,
                             r.flags, r.findings) for r in s.execute(q).scalars()]  # fmt: skip


def access_report(
    store: CaseStore, first: dt.date, last: dt.date, *, rules: Rules | None = None,
    user: str | None = None, action: str | None = None, person: str | None = None,
) -> AccessReport:
    """The period's events and flags; flags are found on the whole period, then filtered."""
    rules = rules or Rules()
    every = load_events(store, first, last)
    flags = find_flags(every, rules)
    events = every
    if user or action or person:
        events = load_events(store, first, last, user=user, action=action, person=person)
        keep = {e.seq for e in events}
        flags = [f for f in flags if keep.intersection(f.seqs)]
    return AccessReport(first, last, events, flags, reviews(store, first, last))


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
                              "findings": findings})  # fmt: skip
        s.add(AccessReview(period_from=report.first.isoformat(), period_to=report.last.isoformat(),
                           reviewer=reviewer, counter=counter, reviewed_at=at,
                           events=len(report.events), flags=len(report.flags), findings=findings,
                           audit_seq=event.seq))  # fmt: skip
        return ReviewRecord(report.first.isoformat(), report.last.isoformat(), reviewer, at,
                            len(report.events), len(report.flags), findings)  # fmt: skip

    result: ReviewRecord = write_audited(store, work)
    return result


HEADER = ("번호 seq", "시각 time (KST)", "계정 account", "단말 terminal", "행위 action",
          "표시 flags", "접수번호 case", "정보주체 person", "사유 reason")  # fmt: skip


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
                    e.person or "", e.reason or ""])  # fmt: skip
    return out


def export_xlsx(report: AccessReport, out: Path) -> None:
    """Events, flags and recorded reviews, one sheet each (written to a temp file, then renamed)."""

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "접근기록"
    ws.append([f"접근 기록 검토 {report.first.isoformat()} ~ {report.last.isoformat()}"])
    ws.append(list(HEADER))
    for r in rows(report):
        ws.append(r)
    fs = wb.create_sheet("표시")
    fs.append(["규칙 rule", "계정 account", "시각 (KST)", "내용", "기록 번호 seqs"])
    for f in report.flags:
        fs.append([FLAG_KO[f.rule], f.actor, f"{f.at.astimezone(KST):%Y-%m-%d %H:%M}", f.note,
                   ", ".join(str(s) for s in f.seqs)])  # fmt: skip
    rs = wb.create_sheet("검토")
    rs.append(["기간", "검토자", "검토 시각 (KST)", "기록 수", "표시 수", "검토 결과"])
    for rv in report.reviews:
        rs.append([f"{rv.period_from}~{rv.period_to}", rv.reviewer,
                   f"{rv.reviewed_at.astimezone(KST):%Y-%m-%d %H:%M}", rv.events, rv.flags,
                   rv.findings])  # fmt: skip
    with atomic_path(out) as tmp:
        wb.save(tmp)
