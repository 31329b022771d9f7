"""The one checker: ``db check``, ``audit verify`` and the review window's 감사 기록 검증.

All three call :func:`check` and show its verdict, so they cannot disagree.
Problems (exit 1), each with a ``kind`` and the row it names: the schema is
not current, SQLite's own integrity check fails, an attachment file is
missing or altered (its SHA-256 no longer matches its name), a row refers to
a case that is not there, case numbers have gaps or run past their counter,
a case does not match its seal, the audit chain is broken or a kept
checkpoint is not in it, and every disagreement between the rows and the
chain (:mod:`records.crosscheck`: deleted, forged or rolled-back cases,
accounts, reviews, purge records, counters and set-up marker). Orphan files (written by an intake
that never committed, e.g. after a crash) are reported but are no problem:
nothing refers to them, and ``--repair`` removes them.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from records import audit, crosscheck, db
from records.crosscheck import Problem
from records.errors import DataKeyError, RecordsError
from records.files import ORPHAN_GRACE_SECONDS
from records.integrity import BindingInvalid, read_binding, seals
from records.models import (
    Attachment,
    Case,
    CaseCounter,
    Correction,
    Meta,
    PurgedCase,
    StatusChange,
)
from records.store import CaseStore, case_number

__all__ = ["CheckReport", "Problem", "check"]

_SEAL_BATCH = 500


@dataclass
class CheckReport:
    problems: list[Problem] = field(default_factory=list)
    cases: int = 0
    attachments: int = 0
    files_checked: int = 0
    orphans: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    chain: audit.Verdict | None = None  # the audit chain's own verdict, when it could be read

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def events(self) -> int:
        return self.chain.events if self.chain else 0

    @property
    def broken_seq(self) -> int | None:
        return self.chain.broken_seq if self.chain and not self.chain.ok else None

    @property
    def problem_ko(self) -> str:
        return self.problems[0].message_ko if self.problems else ""

    @property
    def problem_en(self) -> str:
        return self.problems[0].message_en if self.problems else ""

    @property
    def message(self) -> str:
        """One line for people: the verdict, or the first problem and how many there are."""
        if self.ok:
            kept = self.chain.checkpoints if self.chain else 0
            return (f"이상 없음: 접수 {self.cases}건, 첨부 {self.files_checked}개, 감사 기록 "
                    f"{self.events}건" + (f", 보관된 확인점 {kept}개 일치" if kept else "")
                    + f" (sound: {self.cases} cases, {self.files_checked} files, "
                    f"{self.events} audit events" + (f", {kept} kept checkpoint(s) match"
                                                      if kept else "") + ")")
        more = len(self.problems) - 1
        return (f"{self.problem_ko}" + (f" 외 {more}건" if more else "")
                + f" ({self.problem_en}" + (f"; {more} more" if more else "") + ")")

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "cases": self.cases,
            "attachments": self.attachments,
            "files_checked": self.files_checked,
            "orphan_files": len(self.orphans),
            "removed_files": len(self.removed),
            "problems": [p.to_json() for p in self.problems],
            "kinds": sorted({p.kind for p in self.problems}),
            **({"chain": self.chain.to_json()} if self.chain else {}),
        }


def _references(s: Session, report: CheckReport) -> None:
    for model, label in ((Attachment, "attachment"), (StatusChange, "status"),
                         (Correction, "correction")):
        q = (
            select(model.id, model.case_id)
            .outerjoin(Case, Case.id == model.case_id)
            .where(Case.id.is_(None))
            .limit(20)
        )
        for row_id, case_id in s.execute(q):
            report.problems.append(Problem(
                "broken_reference",
                f"{label} {row_id} 이(가) 없는 접수 건 {case_id} 을(를) 가리킵니다",
                f"{label} row {row_id} refers to case {case_id}, which does not exist",
                f"{model.__tablename__}.{row_id}",
            ))


def _numbers(s: Session, report: CheckReport) -> None:
    counters = {(c.office, c.year): c.last_serial for c in s.execute(select(CaseCounter)).scalars()}
    stats = s.execute(
        select(Case.office, Case.year, func.count(), func.max(Case.serial))
        .group_by(Case.office, Case.year)
    ).all()
    purged = dict(
        ((o, y), n) for o, y, n in s.execute(
            select(PurgedCase.office, PurgedCase.year, func.count())
            .group_by(PurgedCase.office, PurgedCase.year)
        ).all()
    )
    for office, year, count, top in stats:
        last = counters.get((office, year))
        where = f"{office}-{year}"
        if last is None or top > last:
            report.problems.append(Problem(
                "numbering", f"{where}: 접수번호가 번호 카운터({last})를 넘었습니다",
                f"{where}: case numbers run past their counter ({last})", where))
            continue
        if count + purged.get((office, year), 0) != last:
            missing = _first_gap(s, office, year, last)
            report.problems.append(Problem(
                "numbering",
                f"{where}: 접수번호에 빠진 번호가 있습니다 (예: {missing})",
                f"{where}: case numbers have a gap (first missing: {missing})", where))


def _first_gap(s: Session, office: str, year: int, last: int) -> str | None:
    used = {r for (r,) in s.execute(
        select(Case.serial).where(Case.office == office, Case.year == year))}
    used |= {r for (r,) in s.execute(
        select(PurgedCase.serial).where(PurgedCase.office == office, PurgedCase.year == year))}
    for n in range(1, last + 1):
        if n not in used:
            return case_number(office, year, n)
    return None


# What the attachment store's check says of a file -> the problem (code, Korean, English).
_FILE_PROBLEMS = {
    "missing": ("file_missing", "{number}의 첨부 파일이 없습니다: {sha}",
                "attachment {sha} of case {number} is missing"),
    "bad_name": ("file_name_tampered",
                 "{number}의 첨부 파일 이름이 해시가 아닙니다 (변조됨, 따라가지 않음): {name}",
                 "attachment name {name} of case {number} is not a content hash "
                 "(tampered; not followed)"),
    "unreadable": ("file_unreadable", "{number}의 첨부 파일을 읽을 수 없습니다: {sha}",
                   "attachment {sha} of case {number} cannot be read"),
    "altered": ("file_altered", "{number}의 첨부 파일이 바뀌었습니다 (해시 불일치): {sha}",
                "attachment {sha} of case {number} was altered (hash mismatch)"),
}


def _files(store: CaseStore, s: Session, report: CheckReport) -> set[str]:
    referenced: set[str] = set()
    q = (
        select(Attachment.sha256, Attachment.size, func.min(Case.case_number))
        .join(Case, Case.id == Attachment.case_id)
        .group_by(Attachment.sha256, Attachment.size)
    )
    for sha, size, number in s.execute(q):
        referenced.add(sha)
        report.files_checked += 1
        state = store.files.check(sha, size)
        if state in _FILE_PROBLEMS:
            code, ko, en = _FILE_PROBLEMS[state]
            shown = {"number": number, "sha": sha, "name": repr(sha[:80])}
            report.problems.append(Problem(code, ko.format(**shown), en.format(**shown), number))
    return referenced


def _integrity(store: CaseStore, s: Session, ikey: bytes, report: CheckReport) -> None:
    """Each case's seal (a key the database does not hold), its data key, the binding."""
    try:
        read_binding(s, ikey)
    except BindingInvalid:
        report.problems.append(Problem(
            "tampered", "무결성 기록(meta integrity)이 변조되었습니다",
            "the integrity record (meta integrity) was altered", "meta.integrity"))
    registered = s.get(Meta, "data_key_id")
    last_id = 0
    while True:
        batch = s.execute(
            select(Case).where(Case.id > last_id).order_by(Case.id).limit(_SEAL_BATCH)
        ).scalars().all()
        if not batch:
            break
        last_id = batch[-1].id
        expected = seals(s, ikey, list(batch))
        for c in batch:
            where = c.case_number
            if c.seal is None:
                report.problems.append(Problem(
                    "case_unsealed", f"{where}: 봉인이 없는 접수 건입니다 (프로그램 밖에서 추가됨)",
                    f"case {where} has no seal (inserted outside the program)", where))
            elif not hmac.compare_digest(c.seal, expected[c.id]):
                report.problems.append(Problem(
                    "case_tampered",
                    f"{where} (id {c.id}): 접수 건의 내용이 봉인과 맞지 않습니다 "
                    "(상태·번호·이름·암호문·첨부·이력 중 무엇인가가 프로그램 밖에서 바뀜)",
                    f"case {where} (id {c.id}) does not match its seal: its status, number, "
                    "names, ciphertexts, attachments or history were changed outside the "
                    "program", where))
            if registered is not None and c.data_key_id != registered.value:
                report.problems.append(Problem(
                    "data_key", f"{where}: 다른 데이터 키로 암호화된 접수 건입니다",
                    f"case {where} is encrypted under another data key", where))


def check(store: CaseStore, *, repair: bool = False, grace: float = ORPHAN_GRACE_SECONDS,
          checkpoints: Sequence[str] = ()) -> CheckReport:
    """Check the database, the chain (with the kept ``checkpoints``) and the attachment
    store; with ``repair``, remove old orphan files."""
    report = CheckReport()
    current = db.current_revision(store.engine, store.url)
    head = db.head_revision()
    if current != head:
        report.problems.append(Problem(
            "schema", f"데이터베이스 구조 버전이 {current} 입니다 (필요: {head})",
            f"schema revision is {current}, expected {head}"))
        return report
    with store.read() as s:
        if s.get_bind().dialect.name == "sqlite":
            result = [r for (r,) in s.execute(text("PRAGMA quick_check"))]
            if result != ["ok"]:
                report.problems.append(Problem(
                    "integrity", "SQLite 무결성 검사 실패: " + "; ".join(result[:5]),
                    "SQLite integrity check failed: " + "; ".join(result[:5])))
        report.cases = s.execute(select(func.count()).select_from(Case)).scalar_one()
        report.attachments = s.execute(
            select(func.count()).select_from(Attachment)).scalar_one()
        _references(s, report)
        _numbers(s, report)
        referenced = _files(store, s, report)
    try:
        ikey: bytes | None = store.integrity_key()
    except RecordsError as exc:
        ikey = None
        report.problems.append(Problem(
            "data_key" if isinstance(exc, DataKeyError) else "tampered",
            f"봉인을 확인할 수 없습니다: {exc.message_ko}",
            f"the seals cannot be checked: {exc.message_en}",
            str(exc.details["where"]) if exc.details.get("where") else None))
    if ikey is not None:
        with store.read() as s:
            _integrity(store, s, ikey, report)
            verdict = audit.verify(s, ikey, checkpoints)
            report.chain = verdict
            if not verdict.ok:
                report.problems.append(Problem(
                    "audit", verdict.problem_ko, verdict.problem_en,
                    verdict.case_number or (f"#{verdict.broken_seq}" if verdict.broken_seq
                                            else None)))
            report.problems += crosscheck.cross_check(s, ikey)
    report.orphans = sorted(set(store.files.hashes()) - referenced)
    if repair:
        report.removed = store.files.remove_orphans(referenced, grace)
    return report
