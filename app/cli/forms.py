"""``forms list|show|check|lint|attorney`` and ``validate``: the form catalogue on the command line.

``validate`` decodes a payload exactly as ``decode`` does, then checks every
form against the catalogue (spec steps ``MW_FORM_UNKNOWN`` and
``MW_FIELD_INVALID``) and prints one JSON object. ``forms check`` lets an
office that added a definition file see whether it loads, without starting
the program.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.cli.codec import (
    add_input_arguments,
    add_key_arguments,
    decode_from_args,
    print_json,
    usage_error,
)
from app.cli.common import EXIT_OK, EXIT_REJECTED
from decoding.document import Document
from decoding.errors import PayloadError
from decoding.forms import (
    Catalogue,
    FormDef,
    check_document,
    default_catalogue,
    power_of_attorney,
    render_html,
    render_text,
)
from decoding.forms.export import form_json
from decoding.forms.lint import lint_catalogue


class _NoForms(Exception):
    """--forms-dir names no folder of forms: said as such, not as "unknown form" later."""


def _catalogue(args: argparse.Namespace) -> Catalogue:
    folder: Path | None = getattr(args, "forms_dir", None)
    catalogue = Catalogue.load(folder) if folder is not None else default_catalogue()
    if not catalogue.forms:
        why = "; ".join(catalogue.load_errors) or "no *.toml form definitions"
        raise _NoForms(f"서식 폴더에 서식이 없습니다 / no forms in the form folder: "
                       f"{folder if folder is not None else '(shipped)'}: {why}"[:500])
    return catalogue


def _forms_command(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    def wrapped(args: argparse.Namespace) -> int:
        try:
            return run(args)
        except _NoForms as exc:
            return usage_error(str(exc))

    return wrapped


def _report_load_errors(catalogue: Catalogue) -> None:
    for problem in catalogue.load_errors:
        print(f"서식 파일 오류 / form file error: {problem}", file=sys.stderr)


def _summary(form: FormDef) -> dict[str, Any]:
    return {
        "code": form.code,
        "ver": form.ver,
        "title_ko": form.title_ko,
        "title_en": form.title_en,
        "category": form.category,
        "proxy": form.proxy.kind,
        "fee_won": form.fee_won,
        "processing_ko": form.processing_ko,
    }


def _run_list(args: argparse.Namespace) -> int:
    catalogue = _catalogue(args)
    _report_load_errors(catalogue)
    if args.json:
        print_json([_summary(f) for f in catalogue.forms])
    else:
        proxy_ko = {"allowed": "대리 가능", "restricted": "대리 제한", "forbidden": "대리 불가"}
        for f in catalogue.forms:
            print(f"{f.code:<32} v{f.ver}  {proxy_ko[f.proxy.kind]:<6} {f.title_ko}")
        print(f"({len(catalogue.forms)} forms)")
    return EXIT_REJECTED if catalogue.load_errors else EXIT_OK


def _show_text(form: FormDef) -> str:
    lines = [
        f"{form.title_ko} ({form.title_en})",
        f"  code {form.code} ver {form.ver} — {form.source_file}",
        f"  근거 법령: {form.law}",
        f"  서식: {form.form_no or '-'}",
        f"  수수료 근거: {form.fee_basis or '-'}",
        f"  법령 대조일: {form.checked_on or '-'}",
        f"  수수료: {form.fee_won:,}원" + (f" ({form.fee_note_ko})" if form.fee_note_ko else ""),
        f"  처리 기간: {form.processing_ko}",
        f"  대리 신청: {form.proxy.kind}"
        + (f" — {form.proxy.needs_ko}" if form.proxy.needs_ko else ""),
    ]
    if form.proxy.reason_ko:
        lines.append(f"    {form.proxy.reason_ko}")
    if form.proxy.source:
        lines.append(f"    근거: {form.proxy.source}")
    for doubt in form.unverified:
        lines.append(f"  확인 못 함: {doubt}")
    for section in form.sections:
        lines.append(f"  [{section.title_ko}]")
        for fd in section.fields:
            flags = ("필수 " if fd.required else "") + (f"← {fd.source} " if fd.source else "")
            choices = f" {{{', '.join(fd.choices)}}}" if fd.choices else ""
            lines.append(f"    {fd.id:<28} {fd.type:<13} {flags}{fd.label_ko}{choices}")
    lines.append("  [구비서류]")
    for a in form.attachments:
        when = "필수" if a.required else a.condition_ko
        lines.append(f"    - {a.name_ko} ({when})")
    return "\n".join(lines)


def _run_show(args: argparse.Namespace) -> int:
    catalogue = _catalogue(args)
    form = catalogue.get(args.code, args.ver)
    if form is None:
        message = f"서식을 찾을 수 없습니다 / no such form: {args.code}" + (
            f" ver {args.ver}" if args.ver else ""
        )
        if args.json:
            print_json({"ok": False, "error": "MW_FORM_UNKNOWN", "message": message})
        else:
            print(message)
        return EXIT_REJECTED
    if args.json:
        print_json(form_json(form))
    else:
        print(_show_text(form))
    return EXIT_OK


def _run_check(args: argparse.Namespace) -> int:
    catalogue = Catalogue.load(args.dir)
    print_json(
        {
            "ok": not catalogue.load_errors,
            "forms": len(catalogue.forms),
            "errors": catalogue.load_errors,
        }
    )
    return EXIT_REJECTED if catalogue.load_errors else EXIT_OK


def _run_lint(args: argparse.Namespace) -> int:
    catalogue = Catalogue.load(args.dir) if args.dir is not None else default_catalogue()
    problems = lint_catalogue(catalogue)
    print_json(
        {
            "ok": not problems,
            "forms": len(catalogue.forms),
            "problems": [p.to_json() for p in problems],
        }
    )
    return EXIT_REJECTED if problems else EXIT_OK


def _decode(args: argparse.Namespace) -> tuple[Document | None, int]:
    """Decode as ``decode`` does; on failure print the verdict (with no findings)."""
    return decode_from_args(args, _rejection)


def _rejection(exc: PayloadError) -> dict[str, Any]:
    out = exc.to_json()
    details = dict(out.pop("details", {}))
    out["findings"] = [
        {k: f[k] for k in ("form", "field", "severity", "message")}
        for f in details.pop("findings", [])
    ]
    if details:  # e.g. the expiry time of MW_EXPIRED
        out["details"] = details
    return out


def _run_validate(args: argparse.Namespace) -> int:
    catalogue = _catalogue(args)
    _report_load_errors(catalogue)
    doc, code = _decode(args)
    if doc is None:
        return code
    try:
        warnings = check_document(doc, catalogue)
    except PayloadError as exc:
        print_json(_rejection(exc))
        return EXIT_REJECTED
    out: dict[str, Any] = {
        "ok": True,
        "document": doc.raw,
        "warnings": [
            {k: w.to_json()[k] for k in ("form", "field", "severity", "message")} for w in warnings
        ],
    }
    poa = power_of_attorney(doc, catalogue)
    if poa is not None:
        out["power_of_attorney"] = poa.to_json()
    print_json(out)
    return EXIT_OK


def _run_attorney(args: argparse.Namespace) -> int:
    catalogue = _catalogue(args)
    doc, code = _decode(args)
    if doc is None:
        return code
    poa = power_of_attorney(doc, catalogue)
    if poa is None:
        print("대리 신청이 아닙니다: 위임장이 필요 없습니다 (not a proxy application)")
        return EXIT_REJECTED
    print(render_html(poa) if args.html else render_text(poa), end="")
    for refusal in poa.refusals:
        print(refusal.message, file=sys.stderr)
    return EXIT_OK if poa.printable and not poa.refusals else EXIT_REJECTED


def _add_forms_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--forms-dir", type=Path, metavar="DIR",
        help="read form definitions from DIR instead of the shipped catalogue",
    )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    forms = sub.add_parser("forms", help="the petition form catalogue (민원 서식)")
    forms_sub = forms.add_subparsers(dest="forms_command", metavar="ACTION", required=True)

    lst = forms_sub.add_parser("list", help="list every form")
    lst.add_argument("--json", action="store_true", help="print a JSON list")
    _add_forms_dir(lst)
    lst.set_defaults(func=_forms_command(_run_list))

    show = forms_sub.add_parser("show", help="fields, proxy rule and attachments of one form")
    show.add_argument("code", help="form code, e.g. RESIDENT_CERT_ISSUE")
    show.add_argument("--ver", type=int, help="definition version (default: newest)")
    show.add_argument("--json", action="store_true", help="print one JSON object")
    _add_forms_dir(show)
    show.set_defaults(func=_forms_command(_run_show))

    check = forms_sub.add_parser("check", help="load a folder of definition files, list problems")
    check.add_argument("dir", type=Path, help="folder with *.toml definitions")
    check.set_defaults(func=_run_check)

    lint = forms_sub.add_parser(
        "lint", help="check every form's sources, category, choices and fee basis"
    )
    lint.add_argument("dir", type=Path, nargs="?", help="folder (default: the shipped catalogue)")
    lint.set_defaults(func=_run_lint)

    poa = forms_sub.add_parser(
        "attorney", help="print the power of attorney (위임장) of a proxy petition"
    )
    add_key_arguments(poa)
    add_input_arguments(poa)
    poa.add_argument("--html", action="store_true", help="printable HTML instead of text")
    _add_forms_dir(poa)
    poa.set_defaults(func=_forms_command(_run_attorney))

    val = sub.add_parser(
        "validate", help="decode and check every form against the catalogue; one JSON object"
    )
    add_key_arguments(val)
    add_input_arguments(val)
    _add_forms_dir(val)
    val.set_defaults(func=_forms_command(_run_validate))
