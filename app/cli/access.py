"""``counter-app audit access``: the access-log review on the command line.

    audit access --from D --to D [--user U] [--action A] [--person P] [--json]
                 [--out F.xlsx|F.pdf] [--reviewed --findings TEXT] --as NAME [--password-file F]

Prints the period's events (who, when, which terminal, what, whose case,
the reason) and the flags of the office's rules (``[access_review]`` in
counter.toml), or one JSON object with ``--json``. ``--reviewed`` records
"this period reviewed" with ``--findings`` (audited). Needs an account with
the ``access`` right (supervisor or admin) once accounts exist. Exit 0; 1
when refused.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.cli.codec import print_json
from app.cli.common import EXIT_OK, iso_date
from counter_app import auth
from records import access
from records.access import ACCESS_ACTIONS, FLAG_KO, AccessReport, Rules
from records.errors import RecordsError


def _run(args: argparse.Namespace) -> int:
    from app.cli.records import _open, _settings, _Usage

    settings = _settings()
    if args.to < args.from_:
        raise _Usage("--to 는 --from 이후여야 합니다 / --to must not be before --from")
    if args.reviewed and not (args.findings or "").strip():
        raise _Usage("--reviewed 에는 검토 결과(--findings)를 적어 주세요 / --reviewed needs --findings")
    if args.flag and not (args.note or "").strip():
        raise _Usage("--flag 에는 검토 내용(--note)을 적어 주세요 / --flag needs --note")
    try:
        rules = Rules.from_settings(settings.access_review)
    except ValueError as exc:
        raise _Usage(str(exc)) from exc
    counter = args.counter or settings.counter
    store = _open(args)
    try:
        who = auth.act_as(args, store, "access", counter=counter, fallback=settings.clerk,
                          command="audit access")
        report = access.access_report(store, args.from_, args.to, rules=rules, user=args.user,
                                      action=args.action, person=args.person)
        # Looking at the log is itself an access to it: recorded.
        store.log("view", None, clerk=who.name, counter=counter, detail={
            "via": "audit access", "from": args.from_.isoformat(), "to": args.to.isoformat(),
            **({"user": args.user} if args.user else {})})
        if args.flag:
            flag = next((f for f in report.flags if f.key == args.flag), None)
            if flag is None:
                raise _Usage(f"이 기간에 그런 표시가 없습니다 / no such flag in the period: {args.flag[:60]!r}")
            access.review_flag(store, flag, reviewer=who.name, counter=counter, note=args.note)
            report = access.access_report(store, args.from_, args.to, rules=rules, user=args.user,
                                          action=args.action, person=args.person)
        recorded = None
        if args.reviewed:
            recorded = access.record_review(store, report, reviewer=who.name, counter=counter,
                                            findings=args.findings)
            report.reviews.append(recorded)
        if args.out:
            fmt = "pdf" if args.out.suffix.lower() == ".pdf" else "xlsx"
            try:
                if fmt == "pdf":  # drawn by Qt (the Korean font embedded)
                    from ui.review.access import pdf_from_cli

                    pdf_from_cli(report, args.out)
                else:
                    access.export_xlsx(report, args.out)
            except OSError as exc:
                raise RecordsError(f"파일을 쓸 수 없습니다: {args.out} ({exc.strerror})",
                                   f"cannot write {args.out}: {exc.strerror}") from exc
            store.log("export", None, clerk=who.name, counter=counter, detail={
                "what": "access log", "from": args.from_.isoformat(), "to": args.to.isoformat(),
                "file": args.out.name, "format": fmt,
                "reason": (args.findings or "접근 기록 검토").strip()})
    finally:
        store.close()
    if args.json:
        out: dict[str, Any] = {"ok": True, **report.to_json()}
        if recorded is not None:
            out["recorded"] = recorded.to_json()
        print_json(out)
    else:
        _print(report)
    return EXIT_OK


def _print(report: AccessReport) -> None:
    for cells in access.rows(report):
        print("  ".join(c for c in cells if c))
    print(f"\n기간 {report.first} ~ {report.last}: 기록 {len(report.events)}건, 표시 {len(report.flags)}건"
          f" / {len(report.events)} events, {len(report.flags)} flags")
    for f in report.flags:
        print(f"  ⚑ {f.message_ko} (seq {', '.join(str(s) for s in f.seqs[:12])}"
              f"{'…' if len(f.seqs) > 12 else ''}) [{f.key}]")
        print(f"    ✔ 검토함 {f.review}" if f.review else "    검토 전 / not reviewed yet")
    for r in report.reviews:
        print(f"  ✔ 검토됨 {r.period_from}~{r.period_to} by {r.reviewer}: {r.findings}")
    if not report.reviews:
        print("  이 기간은 아직 검토 기록이 없습니다 / not yet reviewed", file=sys.stderr)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds ``access`` to the ``audit`` group that :mod:`app.cli.records` made."""
    from app.cli.records import _common, _guarded

    audit_parser = sub.choices.get("audit")
    groups = [a for a in (audit_parser._actions if audit_parser else [])
              if isinstance(a, argparse._SubParsersAction)]
    if not groups:
        return
    register_audit_access(groups[0], _common, _guarded)


def register_audit_access(
    aus: argparse._SubParsersAction[argparse.ArgumentParser],
    common: Callable[[argparse.ArgumentParser], None],
    guarded: Callable[[Callable[[argparse.Namespace], int]], Callable[[argparse.Namespace], int]],
) -> None:
    from app.cli.records import counter_name

    p = aus.add_parser("access", help="접근 기록 검토: who handled whose data, flagged by the office's rules")
    common(p)
    p.add_argument("--from", dest="from_", type=iso_date, required=True, metavar="DATE")
    p.add_argument("--to", type=iso_date, required=True, metavar="DATE")
    p.add_argument("--user", help="only this account's events")
    p.add_argument("--action", choices=(*ACCESS_ACTIONS, "signin", "account", "access_review"),
                   help="only this action")
    p.add_argument("--person", help="only events on this applicant (name or case number)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--out", type=Path, metavar="F.xlsx|F.pdf", help="also write the review as xlsx or PDF")
    p.add_argument("--reviewed", action="store_true",
                   help="record 'this period reviewed' with --findings (audited)")
    p.add_argument("--findings", help="what the review found (with --reviewed)")
    p.add_argument("--flag", metavar="KEY", help="mark this flag (its key, e.g. burst:lee:1234) reviewed, with --note")
    p.add_argument("--note", help="what was found about the flag (with --flag; audited)")
    p.add_argument("--counter", type=counter_name, help="counter (terminal) name (default: configured)")
    auth.add_arguments(p)
    p.set_defaults(func=guarded(_run))


__all__ = ["FLAG_KO", "register", "register_audit_access"]
