"""The power of attorney (위임장) derived from a proxy petition.

When ``delegate`` is present, the principal (위임인 = ``applicant``) entrusts
the petitions in ``forms`` to the delegate (수임인). The 위임장 is built from
those data alone: principal and delegate blocks from the two persons, one
delegated task per form, the application date from ``iat``. The seal or
signature is never copied; the counter captures it.

Some forms refuse it, with the reason their definition gives: proxies
forbidden outright (본인서명사실확인서), or a power of attorney the principal
must write by hand (인감증명서: 인감증명법 시행령 별지 제13호서식), which a
QR-made one cannot replace. Those appear as :class:`ProxyRefusal`, not tasks.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from decoding.document import Document, Person, mask_rrn
from decoding.forms.display import display_value
from decoding.forms.validation import resolved_fields
from decoding.text import display_text

if TYPE_CHECKING:
    from decoding.forms.catalogue import Catalogue
    from decoding.forms.model import FormDef

KST = dt.timezone(dt.timedelta(hours=9))
# Own field types shown as the task's particulars (long text and identifiers stay on the form).
_TASK_TYPES = {"text", "integer", "decimal", "money", "boolean", "date", "choice", "multichoice"}
BASIC_PROOF_KO = "위임인의 신분증(사본 가능)과 대리인의 신분증"
BASIC_PROOF_EN = "the principal's ID (a copy will do) and the delegate's ID"


@dataclass(frozen=True)
class ProxyRefusal:
    """A form of the petition that this power of attorney cannot cover, and why."""

    form_code: str
    title_ko: str
    title_en: str
    kind: Literal["forbidden", "handwritten"]
    reason_ko: str
    reason_en: str

    @property
    def message_ko(self) -> str:
        if self.kind == "forbidden":
            return f"{self.title_ko}: 대리 신청을 할 수 없습니다. {self.reason_ko}"
        return f"{self.title_ko}: QR로 작성한 위임장은 쓸 수 없습니다. {self.reason_ko}"

    @property
    def message_en(self) -> str:
        if self.kind == "forbidden":
            return f"{self.title_en}: no proxy application. {self.reason_en}"
        return f"{self.title_en}: a QR-made power of attorney cannot be used. {self.reason_en}"

    @property
    def message(self) -> str:
        return f"{self.message_ko} ({self.message_en})"


@dataclass(frozen=True)
class DelegatedTask:
    """One entrusted petition: its form and the particulars (label, value as text)."""

    form_code: str
    form_ver: int
    title_ko: str
    title_en: str
    particulars: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class PowerOfAttorney:
    principal: Person
    agent: Person
    date: str
    office: str | None
    tasks: tuple[DelegatedTask, ...]
    refusals: tuple[ProxyRefusal, ...]
    proof_ko: tuple[str, ...]

    @property
    def relation(self) -> str:
        return self.agent.relation or ""

    @property
    def printable(self) -> bool:
        """At least one task can be entrusted with this 위임장."""
        return bool(self.tasks)

    def to_json(self, *, reveal_rrn: bool = False) -> dict[str, Any]:
        def person(p: Person) -> dict[str, Any]:
            return {
                "name": p.name,
                "rrn": _rrn(p, reveal_rrn),
                "phone": p.phone,
                "address": p.address.one_line() if p.address else None,
                "relation": p.relation,
            }

        return {
            "principal": person(self.principal),
            "agent": person(self.agent),
            "date": self.date,
            "tasks": [
                {
                    "form": t.form_code,
                    "ver": t.form_ver,
                    "title_ko": t.title_ko,
                    "particulars": [list(p) for p in t.particulars],
                }
                for t in self.tasks
            ],
            "refusals": [
                {"form": r.form_code, "kind": r.kind, "message": r.message} for r in self.refusals
            ],
            "proof_ko": list(self.proof_ko),
        }


def _rrn(p: Person, reveal: bool) -> str | None:
    if not p.rrn:
        return None
    return p.rrn[:6] + "-" + p.rrn[6:] if reveal else mask_rrn(p.rrn)


def _task(formdef: FormDef, doc: Document) -> DelegatedTask:
    values = resolved_fields(formdef, doc)
    particulars = tuple(
        (fd.label_ko, display_value(fd, values[fd.id]))
        for fd in formdef.fields
        if fd.source is None and fd.type in _TASK_TYPES and fd.id in values
    )
    return DelegatedTask(formdef.code, formdef.ver, formdef.title_ko, formdef.title_en, particulars)


def power_of_attorney(doc: Document, catalogue: Catalogue) -> PowerOfAttorney | None:
    """The 위임장 of a proxy petition, or None when the applicant applies in person.

    Forms unknown to the catalogue are left out (validation reports them).
    """
    if doc.delegate is None:
        return None
    tasks: list[DelegatedTask] = []
    refusals: list[ProxyRefusal] = []
    proof = [BASIC_PROOF_KO]
    for entry in doc.forms:
        formdef = catalogue.get(entry.code, entry.ver)
        if formdef is None:
            continue
        rule = formdef.proxy
        if rule.kind == "forbidden" or rule.handwritten:
            kind: Literal["forbidden", "handwritten"] = (
                "forbidden" if rule.kind == "forbidden" else "handwritten"
            )
            refusals.append(
                ProxyRefusal(
                    formdef.code,
                    formdef.title_ko,
                    formdef.title_en,
                    kind,
                    rule.reason_ko,
                    rule.reason_en,
                )
            )
            continue
        tasks.append(_task(formdef, doc))
        if rule.needs_ko and f"{formdef.title_ko}: {rule.needs_ko}" not in proof:
            proof.append(f"{formdef.title_ko}: {rule.needs_ko}")
    date = dt.datetime.fromtimestamp(doc.iat, KST).date().isoformat()
    return PowerOfAttorney(
        principal=doc.applicant,
        agent=doc.delegate,
        date=date,
        office=doc.office,
        tasks=tuple(tasks),
        refusals=tuple(refusals),
        proof_ko=tuple(proof),
    )


def _person_lines(p: Person, reveal_rrn: bool, *, agent: bool) -> list[tuple[str, str]]:
    lines = [("성명", p.name), ("주민등록번호", _rrn(p, reveal_rrn) or "")]
    if agent:
        lines.append(("위임인과의 관계", p.relation or ""))
    else:
        lines.append(("주소", p.address.one_line() if p.address else ""))
    lines.append(("전화번호", p.phone or ""))
    return lines


def render_text(poa: PowerOfAttorney, *, reveal_rrn: bool = False) -> str:
    """Plain text of the 위임장 (RRNs masked unless ``reveal_rrn``)."""
    out = ["위 임 장 (Power of attorney)", ""]
    for title, person, agent in (
        ("위임인 (Principal)", poa.principal, False),
        ("수임인 (Delegate)", poa.agent, True),
    ):
        out.append(f"[{title}]")
        out.extend(f"  {k}: {v}" for k, v in _person_lines(person, reveal_rrn, agent=agent))
        out.append("")
    out.append("[위임 내용 (Entrusted petitions)]")
    if not poa.tasks:
        out.append("  (위임할 수 있는 민원이 없습니다)")
    for i, task in enumerate(poa.tasks, 1):
        out.append(f"  {i}. {task.title_ko} ({task.form_code})")
        out.extend(f"     - {k}: {v}" for k, v in task.particulars)
    if poa.refusals:
        out += ["", "[위임할 수 없는 민원 (Refused)]"]
        out.extend(f"  * {r.message_ko}" for r in poa.refusals)
    out += ["", "[지참 서류 (Bring)]"]
    out.extend(f"  * {p}" for p in poa.proof_ko)
    out += [
        "",
        "위 사람에게 위의 민원 신청에 관한 권한을 위임합니다.",
        f"{poa.date}",
        f"위임인 {poa.principal.name} (서명 또는 인)",
    ]
    return display_text("\n".join(out) + "\n", multiline=True)


_CSS = (
    "body{font-family:'Noto Sans KR','Malgun Gothic',sans-serif;font-size:11pt}"
    "h1{text-align:center;letter-spacing:.5em}table{border-collapse:collapse;width:100%}"
    "th,td{border:1px solid #333;padding:4px 6px;text-align:left}th{background:#eee;width:25%}"
    ".refused{color:#a00}.sign{margin-top:2em;text-align:right}"
)


def render_html(poa: PowerOfAttorney, *, reveal_rrn: bool = False) -> str:
    """A printable HTML page of the 위임장 (Qt's rich text can show and print it)."""
    e = html.escape
    parts = [
        f"<html><head><meta charset='utf-8'><style>{_CSS}</style></head><body>",
        "<h1>위 임 장</h1>",
    ]
    for title, person, agent in (("위임인", poa.principal, False), ("수임인", poa.agent, True)):
        parts.append(f"<h3>{title}</h3><table>")
        parts.extend(
            f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>"
            for k, v in _person_lines(person, reveal_rrn, agent=agent)
        )
        parts.append("</table>")
    parts.append("<h3>위임 내용</h3><table>")
    for task in poa.tasks:
        detail = "<br>".join(f"{e(k)}: {e(v)}" for k, v in task.particulars)
        parts.append(f"<tr><th>{e(task.title_ko)}</th><td>{detail}</td></tr>")
    if not poa.tasks:
        parts.append("<tr><td>위임할 수 있는 민원이 없습니다</td></tr>")
    parts.append("</table>")
    if poa.refusals:
        parts.append("<h3 class='refused'>위임할 수 없는 민원</h3><ul class='refused'>")
        parts.extend(f"<li>{e(r.message_ko)}</li>" for r in poa.refusals)
        parts.append("</ul>")
    parts.append("<h3>지참 서류</h3><ul>")
    parts.extend(f"<li>{e(p)}</li>" for p in poa.proof_ko)
    parts.append("</ul><p>위 사람에게 위의 민원 신청에 관한 권한을 위임합니다.</p>")
    parts.append(
        f"<p class='sign'>{e(poa.date)}<br>위임인 {e(poa.principal.name)} (서명 또는 인)</p>"
    )
    parts.append("</body></html>")
    return "".join(parts)
