"""What the access-log review flags, and why: rules that know the office's real work.

A clerk at the counter prints the receipt of the petition in hand, reveals its
resident number with F8 to compare it with the ID card, and a supervisor
reveals a number on a citizen's request with a reason: that is the work, and
none of it is flagged. What is flagged is access to personal data *beyond* the
petition an account handles (:func:`own`):

* ``burst``: more than ``burst_per_hour`` reveals and exports beyond one's own
  petitions within an hour;
* ``out_of_hours``: a reveal, export or view outside ``office_hours`` or on a
  weekend (one's own petitions too: the office is closed);
* ``not_own_case``: a clerk revealing a number on another clerk's case (a
  supervisor's review is their work, and is flagged only by the other rules);
* ``same_person``: one account opening ``same_person`` or more cases of one
  person it did not handle (browsing a citizen's history);
* ``bad_reason``: a reveal of a recorded case or an export whose reason (asked
  for before it) is empty or junk;
* ``failed_signins``: ``failed_signins`` or more refused sign-ins of one account;
* ``disabled_account``: any attempt to sign in with a disabled account.

Each flag names its evidence (the audit events, by number) and a note a
supervisor can read without opening the log; the flag's :attr:`Flag.key`
stays the same between runs, so a flag marked as reviewed stays reviewed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict, deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from records.views import KST

FLAG_KO = {"burst": "1시간 안에 대량 열람·내보내기", "out_of_hours": "업무시간 외 접근",
           "not_own_case": "다른 담당자 민원의 주민번호 열람", "bad_reason": "사유 없음·무의미한 사유",
           "same_person": "한 사람의 민원을 거듭 열람", "failed_signins": "로그인 실패 반복",
           "disabled_account": "사용 중지된 계정의 로그인 시도"}
FLAG_SHORT = {"burst": "대량", "out_of_hours": "시간 외", "not_own_case": "타 담당", "bad_reason": "사유",
              "same_person": "한 사람", "failed_signins": "로그인 실패",
              "disabled_account": "중지 계정"}
FLAG_EN = {"burst": "many reveals/downloads in an hour", "out_of_hours": "out-of-hours access",
           "not_own_case": "RRN revealed on another clerk's case", "bad_reason": "empty or junk reason",
           "same_person": "one person's cases opened again and again",
           "failed_signins": "repeated failed sign-ins",
           "disabled_account": "sign-in attempts of a disabled account"}
SEVERITY = ("disabled_account", "burst", "same_person", "not_own_case", "bad_reason",
            "failed_signins", "out_of_hours")
BEYOND = ("reveal_rrn", "export", "view")  # access that may go beyond one's own petitions
REASONED = ("reveal_rrn", "export")  # a reason is asked before each of these

_JUNK_WORDS = {"test", "asdf", "qwer", "aaa", "abc", "xxx", "na", "n/a", "none", "-", "ㅇㅇ",
               "ㅁㅁ", "테스트", "그냥", "없음", "확인", "기타", "."}
_JAMO = re.compile(r"^[\u3131-\u318e\s]+$")  # only loose jamo: ㅁㄴㅇㄹ typed at random
_NO_LETTERS = re.compile(r"^[\W\d_]+$")


class Event(Protocol):
    """An audit event as the access review reads it (:class:`records.access.AccessEvent`)."""

    @property
    def seq(self) -> int: ...

    @property
    def at(self) -> dt.datetime: ...

    @property
    def actor(self) -> str: ...

    @property
    def counter(self) -> str: ...

    @property
    def action(self) -> str: ...

    @property
    def case_number(self) -> str | None: ...

    @property
    def person(self) -> str | None: ...

    @property
    def case_clerk(self) -> str | None: ...

    @property
    def reason(self) -> str | None: ...

    @property
    def detail(self) -> dict[str, Any]: ...

    @property
    def subject(self) -> str | None: ...


@dataclass(frozen=True)
class FlagRules:
    burst_per_hour: int = 10
    office_start: dt.time = dt.time(8, 0)
    office_end: dt.time = dt.time(19, 0)
    weekends: bool = True  # a weekend is out of hours
    min_reason: int = 4
    failed_signins: int = 3
    same_person: int = 3  # cases of one person, not one's own, opened by one account


@dataclass(frozen=True)
class Flag:
    rule: str
    actor: str
    seqs: tuple[int, ...]
    at: dt.datetime
    note: str = ""
    review: str = ""  # "reviewer (time): note" once a supervisor has marked it reviewed

    @property
    def key(self) -> str:
        """Stable between runs: the rule, the account and the first event."""
        return f"{self.rule}:{self.actor}:{self.seqs[0] if self.seqs else 0}"

    @property
    def message_ko(self) -> str:
        return f"{FLAG_KO[self.rule]}: {self.actor} {self.note}".strip()

    @property
    def message_en(self) -> str:
        return f"{FLAG_EN[self.rule]}: {self.actor} {self.note}".strip()

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "key": self.key, "actor": self.actor, "seqs": list(self.seqs),
                "at": self.at.isoformat(), "note": self.note, "message_ko": self.message_ko,
                "message_en": self.message_en, "reviewed": self.review or None}


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
            or bool(_NO_LETTERS.match(text)) or bool(re.fullmatch(r"(.{1,3})\1{2,}", squeezed)))


def own(e: Event) -> bool:
    """Within the handling of the account's own petition: its own case, or (at the counter)
    the petition in hand before it is recorded. An export is never one's own petition."""
    if e.action == "export":
        return False
    if e.case_clerk is not None:
        return e.case_clerk == e.actor
    return e.case_number is None and bool(e.detail.get("payload_id"))


def _outside(e: Event, rules: FlagRules) -> bool:
    local = e.at.astimezone(KST)
    return (not rules.office_start <= local.time() < rules.office_end
            or (rules.weekends and local.weekday() >= 5))


def _bursts(events: Sequence[Event], rules: FlagRules) -> list[Flag]:
    """Runs of more than ``burst_per_hour`` reveals and exports within an hour, per account."""
    flags: list[Flag] = []
    windows: dict[str, deque[Event]] = defaultdict(deque)
    current: dict[str, int] = {}  # the account's burst still going on: its flag's index
    for e in events:
        window = windows[e.actor]
        window.append(e)
        while e.at - window[0].at > dt.timedelta(hours=1):
            window.popleft()
        if len(window) <= rules.burst_per_hour:
            current.pop(e.actor, None)
        elif e.actor not in current:
            current[e.actor] = len(flags)
            flags.append(Flag("burst", e.actor, tuple(x.seq for x in window), window[0].at))
        else:  # the same burst goes on: its flag names every event of it
            i = current[e.actor]
            flags[i] = Flag("burst", e.actor, (*flags[i].seqs, e.seq), flags[i].at)
    return [Flag(f.rule, f.actor, f.seqs, f.at, f"{len(f.seqs)}건 "
                 f"({f.at.astimezone(KST):%H:%M}부터)") for f in flags]


def find_flags(events: Sequence[Event], rules: FlagRules,
               roles: Mapping[str, str] | None = None) -> list[Flag]:
    """The flags of a period's events (oldest first); ``roles``: account → role."""
    roles = roles or {}
    flags: list[Flag] = []
    failures: dict[str, list[Event]] = defaultdict(list)
    disabled: dict[str, list[Event]] = defaultdict(list)
    late: dict[tuple[str, dt.date], list[Event]] = defaultdict(list)
    others: dict[tuple[str, dt.date], list[Event]] = defaultdict(list)
    people: dict[tuple[str, str], dict[str, Event]] = defaultdict(dict)
    beyond: list[Event] = []
    for e in events:
        if e.action == "signin":
            if e.detail.get("ok") is False:
                who = str(e.detail.get("account") or e.actor)
                if e.detail.get("reason") == "disabled":
                    disabled[who].append(e)
                elif e.detail.get("reason") != "no_right":
                    failures[who].append(e)
            continue
        if e.action not in BEYOND:
            continue
        day = e.at.astimezone(KST).date()
        if _outside(e, rules):  # the office is closed: any access to personal data
            late[(e.actor, day)].append(e)
        # a reveal at the counter (F8 on the petition in hand, named by its payload) asks none
        asked = e.action == "export" or (e.action == "reveal_rrn" and not e.detail.get("payload_id"))
        if asked and junk_reason(e.reason, rules.min_reason):  # a reason was asked for
            flags.append(Flag("bad_reason", e.actor, (e.seq,), e.at,
                              f"{e.case_number or ''} 사유 {e.reason or '(없음)'!r}"))
        if own(e):
            continue  # the account's own petitions: the work itself
        if e.action in REASONED:
            beyond.append(e)
        if e.action == "reveal_rrn" and e.case_clerk and roles.get(e.actor, "clerk") == "clerk":
            others[(e.actor, day)].append(e)
        if e.subject and e.case_number and e.action != "export":
            people[(e.actor, e.subject)].setdefault(e.case_number, e)
    flags += _bursts(beyond, rules)
    for (who, day), seen in others.items():
        clerks = Counter(x.case_clerk for x in seen)
        flags.append(Flag("not_own_case", who, tuple(x.seq for x in seen), seen[0].at,
                          f"{day} {len(seen)}건 (" + ", ".join(f"담당 {c} {n}" for c, n in clerks.items()) + ")"))
    for (who, person), cases in people.items():
        if len(cases) >= rules.same_person:
            seen = sorted(cases.values(), key=lambda x: x.seq)
            flags.append(Flag("same_person", who, tuple(x.seq for x in seen), seen[0].at,
                              f"{person} {len(cases)}건 ({', '.join(cases)})"))
    for (who, day), seen in late.items():
        since, until = (x.at.astimezone(KST) for x in (seen[0], seen[-1]))
        flags.append(Flag("out_of_hours", who, tuple(x.seq for x in seen), seen[0].at,
                          f"{day} {since:%H:%M}~{until:%H:%M} {len(seen)}건"))
    for who, bad in failures.items():
        if len(bad) >= rules.failed_signins:
            flags.append(Flag("failed_signins", who, tuple(x.seq for x in bad), bad[0].at,
                              f"{len(bad)}회"))
    for who, tries in disabled.items():
        flags.append(Flag("disabled_account", who, tuple(x.seq for x in tries), tries[0].at,
                          f"{len(tries)}회"))
    flags.sort(key=lambda f: (SEVERITY.index(f.rule), f.at))
    return _folded(flags)


def _folded(flags: list[Flag]) -> list[Flag]:
    """One misuse, one flag: "another clerk's case" adds nothing where a burst, a browsed
    history or the hour already names every one of its events (the supervisor reads it once)."""
    covering = ("burst", "same_person", "out_of_hours")
    out = []
    for f in flags:
        named = {s for g in flags if g.actor == f.actor and g.rule in covering for s in g.seqs}
        if f.rule == "not_own_case" and set(f.seqs) <= named:
            continue
        out.append(f)
    return out
