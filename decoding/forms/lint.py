"""The catalogue linter: what a form definition must say besides loading.

:mod:`decoding.forms.catalogue` refuses a file the program cannot use; this
module refuses a form that would mislead a citizen or a clerk, though it loads:
a form without its sources (law articles, official form, the rule behind the
fee and its variants, the proxy rule's source, the day it was checked), a
category outside the agreed set, a choice the law puts under another
procedure, a fee without a basis. CI runs it on the shipped catalogue
(``tests/decoding/test_forms_lint.py``) and an office runs it on its copy::

    counter-app forms lint resources/forms
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from decoding.forms.catalogue import Catalogue
from decoding.forms.model import FormDef

# The categories citizens and clerks look for, in the order the lists show them.
CATEGORIES: tuple[str, ...] = (
    "주민등록",
    "가족관계",
    "인감",
    "여권",
    "복지",
    "세무",
    "토지·부동산",
    "건축",
    "영업·위생",
    "자동차",
    "외국인",
    "기타",
)

# Choices the law puts under another procedure than the form's own: (a text the
# form's ``law`` contains, the choice, where it belongs). A 영업신고 form must not
# offer a business that needs a 영업허가.
OTHER_PROCEDURE: tuple[tuple[str, str, str], ...] = (
    ("식품위생법 제37조제4항", "단란주점", "식품위생법 제37조제1항 영업허가 (같은 법 시행령 제23조)"),
    ("식품위생법 제37조제4항", "단란주점영업", "식품위생법 제37조제1항 영업허가 (같은 법 시행령 제23조)"),
    ("식품위생법 제37조제4항", "유흥주점", "식품위생법 제37조제1항 영업허가 (같은 법 시행령 제23조)"),
    ("식품위생법 제37조제4항", "유흥주점영업", "식품위생법 제37조제1항 영업허가 (같은 법 시행령 제23조)"),
    ("식품위생법 제37조제4항", "식품조사처리업", "식품위생법 제37조제1항 영업허가 (같은 법 시행령 제23조)"),
    ("주민등록법 제29조,", "전입세대확인서", "주민등록법 제29조의2 (전입세대확인서 열람·교부)"),
)

# A fee basis must name a rule: an article, an ordinance, or say there is no fee.
_RULE = re.compile(r"제\d+조|조례|별표|수수료 없음|수수료 규정|무료")


@dataclass(frozen=True)
class LintProblem:
    """One thing a form definition must fix; ``rule`` is a stable name for tests and CI."""

    form: str
    rule: str
    message_ko: str
    message_en: str

    def to_json(self) -> dict[str, Any]:
        return {
            "form": self.form,
            "rule": self.rule,
            "message": self.message_ko
            if self.message_ko == self.message_en
            else f"{self.message_ko} ({self.message_en})",
        }


_SOURCES = (
    ("law", "근거 법령(law)", "the law articles (law)"),
    ("form_no", "공식 서식 번호(form_no)", "the official form number (form_no)"),
    ("fee_basis", "수수료 근거(fee_basis)", "the fee's basis (fee_basis)"),
    ("checked_on", "법령 대조일(checked_on)", "the day it was checked (checked_on)"),
)


def lint_form(form: FormDef, today: datetime.date | None = None) -> list[LintProblem]:
    """Every problem of one form."""
    today = today or datetime.date.today()
    key = f"{form.code}/{form.ver}"
    out: list[LintProblem] = []

    def add(rule: str, ko: str, en: str) -> None:
        out.append(LintProblem(key, rule, ko, en))

    for attr, ko, en in _SOURCES:
        if not str(getattr(form, attr)).strip():
            add("missing-source", f"{ko}이(가) 없습니다", f"{en} is missing")
    if not form.proxy.source.strip():
        add(
            "missing-source",
            "대리 신청 규칙의 근거([proxy] source)가 없습니다",
            "the proxy rule's source ([proxy] source) is missing",
        )
    if not form.aliases:
        add(
            "missing-aliases",
            "시민이 찾는 말(aliases)이 없습니다",
            "no aliases (the words citizens search with)",
        )
    if form.category not in CATEGORIES:
        add(
            "unknown-category",
            f"알 수 없는 분류 '{form.category}' (허용: {', '.join(CATEGORIES)})",
            f"unknown category '{form.category}'",
        )
    if form.fee_basis and not _RULE.search(form.fee_basis):
        add(
            "fee-without-basis",
            "수수료 근거가 조문·조례를 밝히지 않습니다",
            "the fee basis names no article or ordinance",
        )
    if form.fee_won > 0 and not form.fee_basis.strip():
        add(
            "fee-without-basis",
            f"수수료 {form.fee_won:,}원의 근거가 없습니다",
            f"a fee of {form.fee_won} won without a basis",
        )
    if form.checked_on and datetime.date.fromisoformat(form.checked_on) > today:
        add("checked-in-future", "법령 대조일이 미래입니다", "checked_on lies in the future")
    for fd in form.fields:
        for law_part, choice, belongs in OTHER_PROCEDURE:
            if law_part in form.law + "," and choice in fd.choices:
                add(
                    "choice-of-other-procedure",
                    f"{fd.id}: '{choice}'은(는) 다른 절차입니다 — {belongs}",
                    f"{fd.id}: '{choice}' belongs to another procedure — {belongs}",
                )
    return out


def lint_catalogue(catalogue: Catalogue, today: datetime.date | None = None) -> list[LintProblem]:
    """Every problem of every form; a file that does not load is one too."""
    problems = [
        LintProblem(error.split(":", 1)[0], "load-error", error, error)
        for error in catalogue.load_errors
    ]
    for form in catalogue.forms:
        problems.extend(lint_form(form, today))
    return problems
