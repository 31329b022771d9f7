"""The receipt (접수증) and the power of attorney (위임장) as HTML, printed to PDF.

QTextDocument renders the HTML and QPdfWriter writes A4 pages, with the
shipped Korean font, so the printout looks the same on every PC. RRNs are
masked on paper too.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

from PySide6.QtCore import QSizeF
from PySide6.QtGui import (
    QFont,
    QPagedPaintDevice,
    QTextDocument,
)

from counter_app.viewmodel import PetitionView
from decoding.document import Person
from records.models import CaseStatus
from records.views import KST, Receipt
from ui.printing.pdf import pdf_file
from ui.widgets.theme import FONT_FAMILY


def _e(text: object) -> str:
    return html.escape(str(text or "—"))


def _when(at: dt.datetime) -> str:
    return at.astimezone(KST).strftime("%Y-%m-%d %H:%M")


def _person_rows(title: str, p: Person) -> str:
    addr = p.address.one_line() if p.address else ""
    rows = [("성명", p.name), ("주민등록번호", p.rrn_masked or p.birth or ""), ("주소", addr),
            ("전화번호", p.phone or "")]
    if p.relation:
        rows.append(("위임인과의 관계", p.relation))
    cells = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows)
    return f"<h3>{_e(title)}</h3><table>{cells}</table>"


_CSS = """
body { font-family: 'FONT'; font-size: 11pt; }
h1 { font-size: 20pt; text-align: center; }
h3 { font-size: 13pt; margin-top: 14px; }
table { border-collapse: collapse; width: 100%; }
th { background: #f4f5f6; text-align: left; width: 30%; padding: 4px; border: 1px solid #888; }
td { padding: 4px; border: 1px solid #888; }
.num { font-size: 18pt; font-weight: bold; }
""".replace("FONT", FONT_FAMILY)


def receipt_html(receipt: Receipt, view: PetitionView | None, office: str, counter: str,
                 clerk: str) -> str:
    title = view.title if view else ""
    status = "반려" if receipt.status == CaseStatus.RETURNED else "접수"
    parts = [
        f"<html><head><style>{_CSS}</style></head><body>",
        "<h1>민원 접수증</h1>",
        "<table>",
        f"<tr><th>접수번호</th><td class='num'>{_e(receipt.case_number)}</td></tr>",
        f"<tr><th>민원 종류</th><td>{_e(title)}</td></tr>",
        f"<tr><th>처리 상태</th><td>{_e(status)}</td></tr>",
        f"<tr><th>접수 일시</th><td>{_e(_when(receipt.received_at))}</td></tr>",
        f"<tr><th>접수 기관 / 창구</th><td>{_e(office)} / {_e(counter)}</td></tr>",
        f"<tr><th>담당자</th><td>{_e(clerk)}</td></tr>",
    ]
    if receipt.reason:
        parts.append(f"<tr><th>반려 사유</th><td>{_e(receipt.reason)}</td></tr>")
    parts.append("</table>")
    if view is not None:
        parts.append(_person_rows("신청인", view.applicant))
        if view.delegate is not None:
            parts.append(_person_rows("대리인", view.delegate))
        for form in view.forms:
            if form.attachments:
                items = "".join(
                    f"<li>{'☑' if a.done else '☐'} {_e(a.name_ko)}</li>" for a in form.attachments
                )
                parts.append(f"<h3>구비서류 ({_e(form.title_ko)})</h3><ul>{items}</ul>")
    parts.append("<p>이 접수증은 민원 처리 상황을 확인할 때 필요합니다.</p></body></html>")
    return "".join(parts)


def _document(html_text: str) -> QTextDocument:
    from ui.widgets.qtapp import load_fonts

    load_fonts()  # the Korean font must be there whoever made the QApplication
    doc = QTextDocument()
    font = QFont(FONT_FAMILY)
    font.setPointSize(11)
    doc.setDefaultFont(font)
    doc.setHtml(html_text)
    return doc


def print_html(html_text: str, printer: QPagedPaintDevice) -> None:
    """Print on a printer (or any paged device) chosen by the clerk."""
    _document(html_text).print_(printer)


def save_pdf(html_text: str, path: Path) -> Path:
    """Render ``html_text`` to an A4 PDF at ``path`` (written to a temp file, then renamed)."""
    with pdf_file(path, path.stem, margins_mm=18, resolution=150) as writer:
        doc = _document(html_text)
        doc.setPageSize(QSizeF(writer.width(), writer.height()))
        doc.print_(writer)
    return path
