"""The power of attorney's validity period (위임장 유효기간), checked when a proxy petition
is read.

Some laws limit how old a 위임장 may be: 인감증명법 시행령 제13조 gives six months from
the day of delegation. A form says so with ``[proxy] valid_months`` and names the date
field that holds the day of delegation (``date_field``). The petition is judged on the
day its QR was made (the document's ``iat``; a QR lives at most 30 days), so the verdict
is the same on every counter and in every test. The findings are warnings for the clerk,
who sees the paper 위임장 anyway and may accept a fresh one: the phone cannot know which
paper will be brought, so the counter must not refuse what the phone accepted.
"""

from __future__ import annotations

import datetime
from typing import Any

from decoding.document import Document, FormEntry
from decoding.forms.model import FormDef
from decoding.forms.validation import Finding


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by ``months`` calendar months (the 31st becomes the month's last day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a 28th")


def poa_findings(doc: Document, formdef: FormDef, entry: FormEntry) -> list[Finding]:
    """Warnings about the 위임장's date of a proxy petition, or none."""
    rule = formdef.proxy
    if doc.delegate is None or rule.valid_months is None or not rule.date_field:
        return []
    field = formdef.get_field(rule.date_field)
    label_ko = field.label_ko if field else rule.date_field
    value: Any = entry.fields.get(rule.date_field)
    made = datetime.datetime.fromtimestamp(doc.iat, datetime.UTC).date()
    months = rule.valid_months
    if not isinstance(value, str) or not value:
        return [
            Finding(
                formdef.code,
                rule.date_field,
                "warning",
                f"{label_ko}이(가) 없습니다: 위임장이 위임일부터 {months}개월 안의 것인지 "
                f"확인하십시오 ({rule.source})",
                f"no date of delegation: check the power of attorney is under {months} months old",
            )
        ]
    try:
        delegated = datetime.date.fromisoformat(value)
    except ValueError:
        return []  # the field's own validator reports a malformed date
    if delegated > made:
        return [
            Finding(
                formdef.code,
                rule.date_field,
                "warning",
                f"{label_ko}이(가) 신청서를 만든 날보다 뒤입니다: 위임장의 날짜를 확인하십시오",
                "the date of delegation is after the petition was made: check the paper",
            )
        ]
    if made > add_months(delegated, months):
        return [
            Finding(
                formdef.code,
                rule.date_field,
                "warning",
                f"위임장의 유효기간({months}개월)이 지났습니다 (위임일 {value}): "
                f"새 위임장이 필요합니다 ({rule.source})",
                f"the power of attorney is over {months} months old (delegated {value}): "
                "a new one is needed",
            )
        ]
    return []
