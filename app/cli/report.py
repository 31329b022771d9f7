"""``counter-app report day|week|month``: the petition report (일일·주간·월간 민원 보고서) as a PDF.

Loaded by name from ``app.cli`` (``counter_app`` never imports ``ui``):
the PDF is drawn with QPdfWriter, which needs a Qt application (offscreen
when there is no display). The review window's "일일 보고서…" button writes
the same file.

    counter-app report day --date YYYY-MM-DD --out FILE.pdf [--to YYYY-MM-DD] [--db URL] [--key PRIV.pem]
    counter-app report week --date YYYY-MM-DD --out FILE.pdf      (Monday to Sunday)
    counter-app report month --date YYYY-MM-DD --out FILE.pdf     (the calendar month)

The report is an official document: the office's name and code, the period,
a 결재란 (담당 · 팀장 · 과장) to sign, the totals (warnings accepted, documents
missing, corrections, returns by reason, median times) and the audit chain's
checkpoint after the report's own event, which ``audit verify
--checkpoint-file FILE.pdf`` reads back.

Prints one JSON object (``{"ok": true, "out": …, "pages": …, "cases": …}``);
exit 1 with the reason in Korean and English when the database cannot be
read or the file cannot be written, 2 on a usage error. Making the report
is an audit event (``print``, ``daily_report``): it names returned cases and
who revealed whose data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path
from typing import Any

from app.cli.codec import print_json, usage_error
from app.cli.common import EXIT_OK, EXIT_REJECTED, iso_date
from counter_app import auth

KIND_HELP = {
    "day": "일일 민원 보고서 PDF / the daily report as a PDF",
    "week": "주간 민원 보고서 PDF (--date 가 든 월~일) / the weekly report (Monday to Sunday of --date)",
    "month": "월간 민원 보고서 PDF (--date 가 든 달) / the monthly report (the month of --date)",
}


def period(kind: str, day: dt.date, to: dt.date | None) -> tuple[dt.date, dt.date]:
    """The report's first and last day: a day (or ``--to``), the week or the month of ``day``."""
    if kind == "week":
        first = day - dt.timedelta(days=day.weekday())
        return first, first + dt.timedelta(days=6)
    if kind == "month":
        first = day.replace(day=1)
        after = (first + dt.timedelta(days=32)).replace(day=1)
        return first, after - dt.timedelta(days=1)
    return day, to or day


def register(sub: Any) -> None:
    p = sub.add_parser("report", help="보고서 / reports")
    kinds = p.add_subparsers(dest="report", metavar="KIND", required=True)
    for kind, text in KIND_HELP.items():
        _kind(kinds.add_parser(kind, help=text), kind)


def _kind(d: Any, kind: str) -> None:
    d.add_argument("--date", type=iso_date, required=True, metavar="YYYY-MM-DD",
                   help="the (Korean) day to report, or a day of the week or month")
    if kind == "day":
        d.add_argument("--to", type=iso_date, metavar="YYYY-MM-DD",
                       help="last day of a period (default: --date)")
    d.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    d.add_argument("--db", metavar="URL", help="SQLAlchemy URL (default: the configured database)")
    d.add_argument("--files", type=Path, metavar="DIR", help="attachment folder")
    d.add_argument("--data-key", type=Path, metavar="FILE", help="data key file")
    d.add_argument("--key", action="append", type=Path, metavar="PRIV.pem",
                   help="office private key: opens the data key, which keys the audit chain "
                        "the report's event joins (default: configured)")
    d.add_argument("--passphrase-file", type=Path, help="passphrase for encrypted keys")
    d.add_argument("--office", help="only this office's cases (default: every office in the database)")
    d.add_argument("--config", type=Path, help="counter.toml (default: the platform's config folder)")
    d.add_argument("--lang", choices=["ko", "en"], help="report language (default: configured)")
    auth.add_arguments(d)  # --as NAME --password-file F: the report shows who handled whose data
    d.set_defaults(func=run_report_day, kind=kind)


def run_report_day(args: argparse.Namespace) -> int:
    from counter_app.config import ConfigError, load_settings
    from records.errors import RecordsError

    try:
        settings = load_settings(args.config)
    except ConfigError as exc:
        return usage_error(str(exc))
    first, last = period(args.kind, args.date, getattr(args, "to", None))
    if last < first:
        return usage_error("--to 는 --date 이후여야 합니다 / --to must not be before --date")
    if args.out.suffix.lower() != ".pdf":
        return usage_error(f"--out 은 .pdf 파일이어야 합니다 / --out must be a .pdf file: {args.out}")
    from app.cli.records import _database_url, _keyring, _Usage

    try:
        url = _database_url(args, settings)  # a URL of a real database, or a clear error
        # the office keys, as every command that writes to the (keyed) audit trail loads them
        keyring = _keyring(args, settings) if (args.key or settings.keys) else None
    except _Usage as exc:
        return usage_error(str(exc))
    try:
        return _report(args, settings, keyring, url, first, last)
    except RecordsError as exc:
        print_json(exc.to_json())
        return EXIT_REJECTED


def _report(args: argparse.Namespace, settings: Any, keyring: Any, url: str, first: dt.date,
            last: dt.date) -> int:
    from counter_app.intake import open_store
    from counter_app.review import log_report
    from records import daystats
    from records.db import sqlite_path
    from records.errors import RecordsError
    from ui.printing.day_report import ReportInfo

    db_file = sqlite_path(url)
    if db_file is not None and not db_file.is_file():
        raise RecordsError(f"데이터베이스 파일이 없습니다: {db_file}",
                           f"database file not found: {db_file}", {"database": str(db_file)})
    store = open_store(settings, keyring, url=url, attachments_dir=args.files, key_file=args.data_key,
                       migrate=False, cleanup=False)
    try:
        counter = settings.counter  # the "report" right; refused is exit 1, audited
        actor = auth.act_as(args, store, "report", counter=counter, fallback=settings.clerk,
                            command=f"report {args.kind}").name
        with store.read() as s:
            stats = daystats.day_stats(s, first, last, args.office)
        # audited before it is written, as a reveal is: no report leaves without its event;
        # the chain's checkpoint after that event is printed on it
        checkpoint = log_report(store, first, last, args.out, clerk=actor, counter=counter)
        office = args.office or settings.office
        info = ReportInfo(office, f"{actor} ({counter})", dt.datetime.now(dt.UTC),
                          office_name=settings.office_name if office == settings.office else "",
                          checkpoint=checkpoint, kind=args.kind)
        pages = _write_pdf(stats, args.out, info, args.lang or settings.language)
    finally:
        store.close()
    print_json({"ok": True, "out": str(args.out), "pages": pages, "kind": args.kind,
                "checkpoint": checkpoint or None, "from": first.isoformat(),
                "to": last.isoformat(), "cases": stats.total, "by_status": stats.by_status,
                "returned": len(stats.returned), "access_events": len(stats.access)})
    return EXIT_OK


def _write_pdf(stats: Any, out: Path, info: Any, language: str) -> int:
    from records.errors import RecordsError

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a report needs no screen
    from decoding.forms import default_catalogue
    from ui.printing.day_report import write_day_report
    from ui.widgets.i18n import pick
    from ui.widgets.qtapp import make_app

    make_app(language, app_stylesheet=False)
    if language == "en":
        from ui.widgets.i18n import install_translator

        install_translator("en")
    catalogue = default_catalogue()

    def title(code: str) -> str:
        fd = catalogue.get(code)
        return pick(fd.title_ko, fd.title_en or fd.title_ko) if fd else code

    try:
        return write_day_report(stats, out, info, title)
    except OSError as exc:
        raise RecordsError(f"파일을 쓸 수 없습니다: {out} ({exc.strerror})",
                           f"cannot write {out}: {exc.strerror}") from exc
