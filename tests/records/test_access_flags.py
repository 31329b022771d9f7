"""Flags a supervisor reads in five minutes: a generated 500-case day with planted misuse.

The day is built through the real intake pipeline (QR texts encrypted to the office
key, checked, the number revealed with F8 at the counter for some, accepted, the
receipt printed, some returned) by four clerks, with a supervisor who reveals
numbers on citizens' requests, exports the day and prints the daily report. Planted
in it: a clerk revealing 12 numbers of others' cases in 6 minutes (a burst), a
clerk browsing one person's history, a reveal at 21:40, a clerk revealing on a
colleague's case with a junk reason, and a disabled account trying to sign in.
Every planted misuse must be flagged, by the rule that names it, and the day must
have at most 10 flags in all: precision and recall are printed (-s) and checked.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from counter_app.intake import IntakeService
from counter_app.review import log_report
from decoding.forms import default_catalogue
from decoding.forms.examples import EXAMPLE_ADDRESS, example_fields
from decoding.keys import KeyRing, load_public_key
from decoding.payload import encode, make_document
from records import access, accounts, export
from records.errors import AuthError, InvalidChange
from records.store import CaseStore
from records.views import KST
from tests.records.support import KEY_PATH, OFFICE, PUB_PATH, db_url, open_test_store
from ui.review.access import pdf_from_cli

__all__ = ["db_url"]  # the fixture: SQLite, and PostgreSQL where a server is given

DAY = dt.date(2026, 3, 10)  # a Tuesday
CLERKS = ("kim", "lee", "park", "choi")
FORMS = ("RESIDENT_CERT_ISSUE", "FAMILY_CERT_ISSUE", "LOCAL_TAX_PAYMENT_CERT", "MOVE_IN_REPORT")
PASSWORD = "Clerk-pass-1"
RRNS = ("9001011234568", "8505051234566", "7702022234561")  # valid check digits
TARGET = "김영희"  # whose history a clerk browses


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime.combine(DAY, dt.time(8, 50), KST)

    def __call__(self) -> float:
        return self.now.timestamp()

    def at(self, hh: int, mm: int, ss: int = 0) -> None:
        self.now = dt.datetime.combine(DAY, dt.time(hh, mm, ss), KST)


def _petition(i: int, name: str) -> dict[str, object]:
    catalogue = default_catalogue()
    form = catalogue.get(FORMS[i % len(FORMS)])
    assert form is not None
    rrn = RRNS[0] if name == TARGET else RRNS[i % len(RRNS)]  # one person, one number
    applicant = {"name": name, "rrn": rrn, "phone": "010-2345-6789",
                 "address": EXAMPLE_ADDRESS}
    return make_document(applicant, [{"code": form.code, "ver": form.ver, "fields": example_fields(form)}],
                         now=int(dt.datetime.combine(DAY, dt.time(8), KST).timestamp()), office=OFFICE)


def _day(store: CaseStore, clock: Clock, tmp_path: Path) -> dict[str, set[tuple[str, str]]]:
    """The 500-case day; returns the planted misuse as (rule, account) pairs."""
    accounts.add(store, "boss", "admin", "Admin-pass-1", by=None, counter="IT")
    accounts.add(store, "chief", "supervisor", "Team-lead-77", by="boss", counter="IT")
    for clerk in (*CLERKS, "jung"):
        accounts.add(store, clerk, "clerk", PASSWORD, by="boss", counter="IT")
    pub = load_public_key(PUB_PATH)
    service = IntakeService(KeyRing.from_files([KEY_PATH]), store, office=OFFICE,
                            catalogue=default_catalogue(), clock=clock)
    cases: dict[str, list[tuple[int, str]]] = {}  # person -> (case id, clerk)
    for i in range(500):
        clock.at(9, 0)
        clock.now += dt.timedelta(seconds=i * 64)  # 9:00 to 17:53
        clerk = CLERKS[i % len(CLERKS)]
        counter = f"민원{i % len(CLERKS) + 1}"
        name = TARGET if i in (40, 170, 333) else f"시민{i:03d}"
        checked = service.check(encode(_petition(i, name), pub))
        if i % 3 == 0:  # F8 at the counter: the number on the ID card compared
            service.reveal_numbers(checked, clerk=clerk, counter=counter)
        returned = "구비서류 미비: 신분증 사본 없음" if i % 25 == 0 else None
        receipt = service.accept(checked, clerk=clerk, counter=counter, returned=returned)
        service.record_print(receipt.case_id, clerk=clerk, counter=counter, what="receipt")
        cases.setdefault(name, []).append((receipt.case_id, clerk))
    # the supervisor's ordinary day: reveals on citizens' requests, an export, the report
    for n, i in enumerate((12, 99, 250, 401, 480)):
        clock.at(10 + n, 30)
        case_id = cases[f"시민{i:03d}"][0][0]
        store.reveal_rrn(case_id, "applicant", clerk="chief", counter="감독", reason="민원인 요청에 따른 발급 확인")
    clock.at(17, 55)
    export.export(store, DAY, DAY, "xlsx", tmp_path / "day.xlsx", clerk="chief", counter="감독",
                  reason="일일 접수 현황 보고")
    log_report(store, DAY, DAY, tmp_path / "day.pdf", clerk="chief", counter="감독")

    planted: set[tuple[str, str]] = set()
    # 1. lee reveals 12 numbers of others' cases in 6 minutes: a burst
    clock.at(14, 0)
    for i in range(12):
        clock.now += dt.timedelta(seconds=30)
        case_id = cases[f"시민{4 * i + 2:03d}"][0][0]  # park's and choi's cases, not lee's
        store.reveal_rrn(case_id, "applicant", clerk="lee", counter="민원2", reason="민원인 본인 확인 요청")
    planted.add(("burst", "lee"))
    # 2. choi opens the three cases of 김영희, handled by others: browsing one person's history
    clock.at(15, 10)
    for case_id, handled_by in cases[TARGET]:
        assert handled_by != "choi"
        clock.now += dt.timedelta(minutes=3)
        store.reveal_rrn(case_id, "applicant", clerk="choi", counter="민원4", reason="가족관계 확인 요청")
    planted.add(("same_person", "choi"))
    # 3. park reveals a case at 21:40, when the office is closed
    clock.at(21, 40)
    store.reveal_rrn(cases["시민007"][0][0], "applicant", clerk="park", counter="민원3", reason="민원 처리 확인")
    planted.add(("out_of_hours", "park"))
    # 4. kim reveals a colleague's case with a junk reason
    clock.at(16, 20)
    store.reveal_rrn(cases["시민005"][0][0], "applicant", clerk="kim", counter="민원1", reason="ㅁㅁㅁ")
    planted |= {("bad_reason", "kim"), ("not_own_case", "kim")}
    # 5. jung is disabled, and tries twice anyway
    accounts.disable(store, "jung", by="boss", counter="IT", reason="퇴직")
    for _ in range(2):
        clock.now += dt.timedelta(minutes=1)
        with pytest.raises(AuthError):
            accounts.authenticate(store, "jung", PASSWORD, counter="민원5", via="test", sleep=lambda s: None)
    planted.add(("disabled_account", "jung"))
    return {"planted": planted}


def test_a_planted_day_is_flagged_and_nothing_else_to_speak_of(tmp_path: Path, db_url: str) -> None:
    clock = Clock()
    store = open_test_store(db_url, tmp_path, clock=clock)
    try:
        planted = _day(store, clock, tmp_path)["planted"]
        report = access.access_report(store, DAY, DAY)
        # "who saw my number": the F8 reveal at the counter, before the petition was a case,
        # is found by the person and names the case it became
        mine = access.access_report(store, DAY, DAY, person="시민003")
        # the supervisor handles a flag: marked reviewed with what was found (a note is required)
        burst = next(f for f in report.flags if f.rule == "burst")
        with pytest.raises(InvalidChange):
            access.review_flag(store, burst, reviewer="chief", counter="감독", note="ㅇㅇ")
        access.review_flag(store, burst, reviewer="chief", counter="감독",
                           note="lee: 가족관계 일괄 확인 공문 (3월 10일) 확인함")
        handled = access.access_report(store, DAY, DAY)
        citizen = tmp_path / "시민003.pdf"
        pdf_from_cli(mine, citizen)
        summary = tmp_path / "month.pdf"
        pdf_from_cli(handled, summary)
    finally:
        store.close()
    found = {(f.rule, f.actor) for f in report.flags}
    hits = planted & found
    recall = len(hits) / len(planted)
    precision = len({f for f in report.flags if (f.rule, f.actor) in planted}) / len(report.flags)
    print(f"\naccess review of a 500-case day: {len(report.events)} events, {len(report.flags)} flags, "
          f"planted {len(planted)}, found {len(hits)}; recall {recall:.0%}, precision {precision:.0%}")
    for f in report.flags:
        print(f"  {f.rule:16} {f.actor:6} {f.note}")
    assert recall == 1.0, sorted(planted - found)
    assert len(report.flags) <= 10
    assert precision >= 0.8, [(f.rule, f.actor, f.note) for f in report.flags if (f.rule, f.actor) not in planted]
    counter_reveal = [e for e in mine.events if e.action == "reveal_rrn"]
    assert len(counter_reveal) == 1 and counter_reveal[0].actor == "choi"
    assert counter_reveal[0].case_number == "3210000-2026-000004" and counter_reveal[0].person == "시민003"
    reviewed = {f.key: f.review for f in handled.flags}
    assert reviewed[burst.key].startswith("chief") and "공문" in reviewed[burst.key]
    assert sum(1 for r in reviewed.values() if r) == 1
    assert [(who, n, done) for who, _c, n, done in handled.summary() if n] == [
        ("choi", 1, 0), ("jung", 1, 0), ("kim", 2, 0), ("lee", 1, 1), ("park", 1, 0)]
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(citizen), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert "개인정보 열람·이용 내역" in text and "시민003" in text and "창구에서 신분증과 대조" in text
        text = subprocess.run(["pdftotext", "-layout", str(summary), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert "계정별 요약" in text and "검토함" in text and "검토 전" in text
        pages = subprocess.run(["pdfinfo", str(summary)], capture_output=True, text=True, check=True).stdout
        assert int(next(line.split()[-1] for line in pages.splitlines() if line.startswith("Pages"))) <= 3
    # the evidence: every flag names its events, and the burst all twelve reveals
    burst = next(f for f in report.flags if f.rule == "burst")
    assert len(burst.seqs) == 12 and all(f.seqs for f in report.flags)
