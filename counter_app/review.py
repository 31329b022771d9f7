"""What the review window does and shows, without widgets.

:class:`ReviewService` is the window's only way to the case database: every
method is a blocking call meant for a worker thread, and each one that reads
personal data or changes a case leaves an audit event (through the store).
The ``*_rows`` functions turn a case into the label/value lines the detail
pane draws, from the form catalogue, masked.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from counter_app.casestatus import CaseStatusService
from decoding.forms import Catalogue, FormDef, display_value
from records import caselist, daystats, export, review
from records.caselist import CaseQuery
from records.check import CheckReport as Verdict  # the one checker's verdict (db check)
from records.daystats import DayStats
from records.errors import RecordsError
from records.review import AuditView
from records.store import CaseStore
from records.views import KST, CaseDetail, CaseRow

STATUS_KO = {"received": "접수", "returned": "반려", "completed": "완료"}
STATUS_EN = {"received": "Received", "returned": "Returned", "completed": "Completed"}


PERSON_LABELS: tuple[tuple[str, str, str], ...] = (
    ("name", "성명", "Name"),
    ("rrn", "주민등록번호", "RRN"),
    ("birth", "생년월일", "Date of birth"),
    ("phone", "전화번호", "Phone"),
    ("email", "전자우편", "Email"),
    ("address", "주소", "Address"),
    ("relation", "관계", "Relation"),
)


def today_kst(clock: Callable[[], float] | None = None) -> dt.date:
    """Cases are filed by Korean day, whatever the PC's time zone is."""
    now = dt.datetime.now(dt.UTC) if clock is None else dt.datetime.fromtimestamp(clock(), dt.UTC)
    return now.astimezone(KST).date()


PAGE_SIZE = 200  # rows read at a time as the list scrolls


@dataclass(frozen=True)
class DayData:
    """The list as opened: its query, M cases in the range, N of them shown, the first page.

    ``position`` is the row of the case to keep selected (-1: not in the list).
    """

    day: dt.date
    query: CaseQuery
    total: int
    shown: int
    rows: list[CaseRow]
    counts: dict[str, int]
    choices: dict[str, list[str]] = field(default_factory=dict)
    position: int = -1
    keep_rows: list[CaseRow] = field(default_factory=list)  # the page holding ``position``


@dataclass(frozen=True)
class CaseBundle:
    """One case as the detail pane shows it: the masked detail plus its audit events."""

    detail: CaseDetail
    audit: list[AuditView] = field(default_factory=list)


@dataclass(frozen=True)
class Line:
    """One label/value line of the detail pane."""

    label_ko: str
    label_en: str
    value: str
    rrn_of: str | None = None  # "applicant"/"delegate": this line can be revealed


@dataclass(frozen=True)
class Block:
    title_ko: str
    title_en: str
    lines: list[Line]


class ReviewService:
    """Blocking calls for a worker thread: list a day, open a case, reveal, return, export, verify."""

    def __init__(
        self, store: CaseStore, catalogue: Catalogue, *, clerk: str, counter: str,
        office: str | None = None, home_office: str = "", office_name: str = "",
    ) -> None:
        self.store = store
        self.statuses = CaseStatusService(store)
        self.home_office = home_office  # this PC's office (the report's heading); ``office`` filters
        self.office_name = office_name  # its name as reports print it
        self.catalogue = catalogue
        self.clerk = clerk
        self.counter = counter
        self.office = office
        self._viewed: set[int] = set()

    def close(self) -> None:
        self.store.close()

    def query(self, first: dt.date, last: dt.date | None = None, text: str = "",
              **filters: Any) -> CaseQuery:
        """A list query of this office; ``text``'s words also find forms by their titles."""
        words = tuple((w, self.forms_titled(w)) for w in text.casefold().split())
        return CaseQuery(first, last, self.office, words=words, **filters)

    def forms_titled(self, word: str) -> tuple[str, ...]:
        word = word.casefold()
        return tuple(sorted(f.code for f in self.catalogue.latest()
                            if word in f.title_ko.casefold() or word in (f.title_en or "").casefold()))

    def open_list(self, q: CaseQuery, keep: int | None = None,
                  same_range: DayData | None = None) -> DayData:
        """Counts, the first page and where ``keep`` is: all the window needs to show the list.

        ``same_range``: the list shown before, of the same days and unchanged cases (only a
        filter changed): its total, counts and filter choices are kept, not read again.
        """
        with self.store.read() as s:
            shown = caselist.count(s, q)
            rows = caselist.page(s, q, 0, PAGE_SIZE)
            pos = caselist.position(s, q, keep) if keep is not None else -1
            keep_rows: list[CaseRow] = []
            if pos >= PAGE_SIZE:
                keep_rows = caselist.page(s, q, pos - pos % PAGE_SIZE, PAGE_SIZE)
            if same_range is not None and same_range.query.unfiltered() == q.unfiltered():
                total, counts, choices = same_range.total, same_range.counts, same_range.choices
            else:
                total = caselist.count(s, q.unfiltered()) if q.is_filtered() else shown
                choices = caselist.choices(s, q)
                counts = caselist.counts_by_status(s, q.unfiltered())
        return DayData(q.first, q, total, shown, rows, counts, choices, pos, keep_rows)

    def day(self, day: dt.date) -> DayData:
        return self.open_list(self.query(day))

    def page(self, q: CaseQuery, offset: int, limit: int = PAGE_SIZE) -> list[CaseRow]:
        with self.store.read() as s:
            return caselist.page(s, q, offset, limit)

    def stats(self, first: dt.date, last: dt.date | None = None) -> DayStats:
        with self.store.read() as s:
            return daystats.day_stats(s, first, last, self.office)

    def log_report(self, first: dt.date, last: dt.date, out: Path) -> str:
        """The report names returned cases and who revealed whose: its printing is audited.

        Returns the audit chain's checkpoint after that event, which the report prints.
        """
        return log_report(self.store, first, last, out, clerk=self.clerk, counter=self.counter)

    def case(self, case_id: int) -> CaseBundle:
        """The case, masked; its first opening in this window is logged as a view (as ``cases show``)."""
        detail = self.store.get(case_id)
        if case_id not in self._viewed:
            self.store.log("view", case_id, clerk=self.clerk, counter=self.counter,
                           detail={"via": "review"})
            self._viewed.add(case_id)
        return CaseBundle(detail, review.case_audit(self.store, case_id))

    def reveal(self, case_id: int, person: str, reason: str | None = None) -> str | None:
        """The full RRN; the store writes the audit event (with the reason) before decrypting."""
        return self.store.reveal_rrn(case_id, person, clerk=self.clerk, counter=self.counter,
                                     reason=reason)

    def complete(self, case_id: int) -> None:
        self.statuses.complete(case_id, clerk=self.clerk, counter=self.counter)

    def return_case(self, case_id: int, reason: str) -> None:
        self.statuses.return_case(case_id, reason, clerk=self.clerk, counter=self.counter)

    def export_list(self, q: CaseQuery, out: Path, reason: str | None = None) -> int:
        """Export what the list shows: the query's days, filters, flags and words (xlsx or csv)."""
        fmt = "xlsx" if out.suffix.lower() == ".xlsx" else "csv"
        return export.export_query(self.store, q, fmt, out, clerk=self.clerk, counter=self.counter,
                                   reason=reason, title_of=self.title_ko)

    def title_ko(self, code: str) -> str:
        """A form's Korean title (its code when the catalogue does not know it)."""
        fd = self.formdef(code)
        return fd.title_ko if fd else code

    def verify(self) -> Verdict:
        return review.verify_chain(self.store)

    # -- presentation -------------------------------------------------------------

    def formdef(self, code: str, ver: int | None = None) -> FormDef | None:
        return self.catalogue.get(code, ver) or self.catalogue.get(code)

    def form_title(self, row: CaseRow, english: bool = False) -> str:
        """The first form's title; "외 N건" when the petition holds several."""
        fd = self.formdef(row.form_code)
        title = (fd.title_en if english and fd.title_en else fd.title_ko) if fd else row.form_code
        more = len([c for c in row.form_codes.split(",") if c]) - 1
        if more > 0:
            title += f" (+{more})" if english else f" 외 {more}건"
        return title


def person_block(title_ko: str, title_en: str, person: dict[str, Any], rrn_masked: str | None,
                 who: str) -> Block:
    lines: list[Line] = []
    for key, ko, en in PERSON_LABELS:
        if key == "rrn":
            if rrn_masked:
                lines.append(Line(ko, en, rrn_masked, rrn_of=who))
            continue
        value = person.get(key)
        if value in (None, "", {}):
            continue
        if isinstance(value, dict):
            parts = [str(value[k]) for k in ("road", "detail") if value.get(k)]
            shown = ", ".join(parts)
            value = f"({value['postcode']}) {shown}" if value.get("postcode") else shown
        lines.append(Line(ko, en, str(value)))
    return Block(title_ko, title_en, lines)


def people_blocks(detail: CaseDetail) -> list[Block]:
    doc = detail.document
    delegate = doc.get("delegate")
    blocks = [person_block("신청인 (위임인)" if delegate else "신청인",
                           "Applicant (principal)" if delegate else "Applicant",
                           doc.get("applicant") or {}, detail.row.applicant_rrn_masked,
                           "applicant")]
    if isinstance(delegate, dict):
        blocks.append(person_block("대리인 (수임인)", "Delegate (proxy)", delegate,
                                   detail.delegate_rrn_masked, "delegate"))
    return blocks


def form_blocks(detail: CaseDetail, catalogue: Catalogue) -> list[Block]:
    """Each form's sections, labelled by the catalogue; autofilled fields from the people."""
    doc = detail.document
    blocks: list[Block] = []
    for entry in doc.get("forms") or []:
        code, ver = str(entry.get("code", "")), entry.get("ver")
        values: dict[str, Any] = dict(entry.get("fields") or {})
        fd = catalogue.get(code, ver if isinstance(ver, int) else None) or catalogue.get(code)
        if fd is None:  # a form this catalogue no longer has: raw ids, still readable
            blocks.append(Block(code, code, [Line(k, k, str(v)) for k, v in values.items()]))
            continue
        for sec in fd.sections:
            lines: list[Line] = []
            for f in sec.fields:
                value = values.get(f.id)
                if value in (None, "", [], {}) and f.source_person and f.source_member:
                    person = doc.get(f.source_person) or {}
                    value = person.get(f.source_member) if isinstance(person, dict) else None
                if value in (None, "", [], {}):
                    continue
                lines.append(Line(f.label_ko, f.label_en, display_value(f, value)))
            if lines:
                title_ko = sec.title_ko if len(doc.get("forms") or []) == 1 else \
                    f"{fd.title_ko} · {sec.title_ko}"
                blocks.append(Block(title_ko, sec.title_en or sec.title_ko, lines))
    return blocks


def audit_text(event: AuditView, english: bool = False,
               label: Callable[[str], str] | None = None) -> str:
    """A short reading of an event's detail (field names, reasons, counts; never personal data).

    ``label`` names a corrected field's path as the form does.
    """
    d = event.detail
    if event.action == "status":
        status = str(d.get("status", ""))
        name = (STATUS_EN if english else STATUS_KO).get(status, status)
        return f"{name}: {d['reason']}" if d.get("reason") else name
    if event.action == "reveal_rrn":
        person = str(d.get("person", ""))
        if english:
            return person
        return {"applicant": "신청인", "delegate": "대리인"}.get(person, person)
    if event.action == "correction":
        return ", ".join((label or str)(str(f)) for f in d.get("fields", []))
    if event.action == "view":
        via = str(d.get("via", ""))
        names = {"review": ("검토 화면", "review window"), "cli": ("명령줄", "command line")}
        return names.get(via, (via, via))[1 if english else 0]
    if event.action == "print":
        return str(d.get("what", ""))
    if event.action == "intake":
        src = "QR" if d.get("source") == "qr" else ("paper" if english else "종이")
        pages = d.get("pages", 0)
        return f"{src}, {pages} pages" if english else f"{src}, 첨부 {pages}쪽"
    return ", ".join(f"{k}={v}" for k, v in d.items())


_PERSON_NAMES = {"applicant": ("신청인", "Applicant"), "delegate": ("대리인", "Delegate")}
_MEMBER_NAMES = {key: (ko, en) for key, ko, en in PERSON_LABELS} | {
    "road": ("도로명주소", "Road address"), "detail": ("상세주소", "Address detail"),
    "postcode": ("우편번호", "Postcode"),
}
_FORM_PATH = re.compile(r"forms\[(\d+)\]\.fields\.([a-z0-9_]+)(.*)")


def field_label(detail: CaseDetail, catalogue: Catalogue, path: str, english: bool = False) -> str:
    """A correction's field path as the form calls it: ``applicant.phone`` -> "신청인 전화번호"."""
    parts = path.split(".")
    if parts[0] in _PERSON_NAMES:
        names = [_PERSON_NAMES[parts[0]]] + [_MEMBER_NAMES.get(p, (p, p)) for p in parts[1:]]
        return " ".join(n[1] if english else n[0] for n in names)
    m = _FORM_PATH.fullmatch(path)
    forms = detail.document.get("forms") or []
    if m and int(m.group(1)) < len(forms):
        entry = forms[int(m.group(1))]
        fd = catalogue.get(str(entry.get("code", "")))
        f = fd.get_field(m.group(2)) if fd else None
        if f is not None:
            return (f.label_en if english and f.label_en else f.label_ko) + m.group(3)
    return path


def log_report(store: CaseStore, first: dt.date, last: dt.date, out: Path, *, clerk: str,
               counter: str) -> str:
    """Audit a report (window or command line) before it is written; the checkpoint after it.

    The checkpoint (``CP1-…``) is printed on the report, so the paper a supervisor
    signs can later prove the audit trail up to it is unchanged (``audit verify
    --checkpoint-file report.pdf``). Without the office key there is none: "".
    """
    store.log("print", None, clerk=clerk, counter=counter,
              detail={"what": "daily_report", "from": first.isoformat(), "to": last.isoformat(),
                      "file": out.name})
    try:
        return store.checkpoint().text
    except RecordsError:  # no office key: the chain has no key to tag a checkpoint with
        return ""
