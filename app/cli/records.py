"""The case database on the command line: ``intake``, ``cases``, ``db``, ``audit``.

``intake`` prints ONE JSON object: ``{"ok": true, "case_number": ..., "case_id": ...}``
once the case is durably committed (exit 0), or the rejection as ``decode``
prints it (exit 1). The IT commands (``db check``, ``audit verify``, ...)
print one JSON object too; exit 0 when all is well, 1 with the problem named,
2 for a usage error.

Without ``--db`` the counter's configured database is used (SQLite in the
data folder by default). Attachments and the data key file live beside a
SQLite file (``NAME-attachments/``, ``NAME.db.key``) unless ``--files`` and
``--data-key`` say otherwise.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from app.cli.codec import print_json, read_input_texts, usage_error
from app.cli.common import EXIT_OK, EXIT_REJECTED, iso_date, seconds
from counter_app.casestatus import CaseStatusService
from counter_app.config import ConfigError, Settings, load_settings
from counter_app.intake import IntakeService, open_store
from decoding.document import MAX_TIMESTAMP
from decoding.errors import PayloadError
from decoding.forms import default_catalogue
from decoding.keys import KeyFileError, KeyRing, read_passphrase
from decoding.limits import KEY_BYTES, TEXT_BYTES, read_bounded
from decoding.qrimage import ImageReadError
from decoding.text import display_text
from records import check, export, purge
from records.db import DEFAULT_BUSY_TIMEOUT, head_revision, sqlite_path
from records.errors import RecordsError
from records.limits import MAX_CLERK, MAX_COUNTER, name_problem, office_problem
from records.store import CaseStore
from records.views import CaseDetail, CaseRow, kst

log = logging.getLogger(__name__)


class _Usage(Exception):
    pass


def _settings() -> Settings:
    try:
        return load_settings()
    except ConfigError as exc:
        raise _Usage(str(exc)) from exc


def _database_url(args: argparse.Namespace, settings: Settings) -> str:
    """The database URL, refused with a clear message unless it names a real database."""
    return checked_database_url(args.db or settings.database_url)


def checked_database_url(url: str) -> str:
    """``url`` when it names a real SQLite file or PostgreSQL database, else :class:`_Usage`."""
    try:
        u = make_url(url)
    except Exception:  # sqlalchemy.exc.ArgumentError and friends: not a URL at all
        raise _Usage(
            f"데이터베이스 주소가 URL이 아닙니다 / not a database URL: {url[:200]!r} "
            "(sqlite:///PATH 또는 postgresql+psycopg://...)") from None
    if u.get_backend_name() not in ("sqlite", "postgresql"):
        raise _Usage(f"지원하지 않는 데이터베이스입니다 / unsupported database: "
                     f"{u.get_backend_name()} (sqlite or postgresql)")
    if u.get_backend_name() == "sqlite" and sqlite_path(url) is None:
        raise _Usage(
            "메모리 데이터베이스(sqlite://)에는 접수를 저장할 수 없습니다: 프로그램이 끝나면 사라집니다 "
            "/ an in-memory database (sqlite://) keeps nothing once the command ends: "
            "give a file (sqlite:///PATH)")
    return url


def _open(args: argparse.Namespace, *, keyring: KeyRing | None = None,
          must_exist: bool = True, migrate: bool | None = True,
          cleanup: bool = False) -> CaseStore:
    settings = _settings()
    url = _database_url(args, settings)
    if keyring is None and (getattr(args, "key", None) or settings.keys):
        keyring = _keyring(args, settings)
    db_file = sqlite_path(url)
    if must_exist and db_file is not None and not db_file.exists():
        raise RecordsError(
            f"데이터베이스 파일이 없습니다: {db_file}", f"database file not found: {db_file}",
            {"database": str(db_file)})
    return open_store(
        settings, keyring, url=url, attachments_dir=args.files, key_file=args.data_key,
        migrate=migrate, cleanup=cleanup, busy_timeout=args.wait,
    )


_seconds = seconds


def _checked(problem: Callable[[str], tuple[str, str] | None]) -> Callable[[str], str]:
    def parse(text: str) -> str:
        found = problem(text)
        if found is not None:
            raise argparse.ArgumentTypeError(f"{found[0]} / {found[1]}")
        return text
    return parse


# The terminal's name, as it goes to the audit trail (bounded like the configured one).
counter_name = _checked(lambda v: name_problem(v, "counter", MAX_COUNTER))


def _unix_time(text: str) -> int:
    if not text.isascii() or not text.lstrip("-").isdigit() or len(text) > 15 \
            or not 0 <= int(text) <= MAX_TIMESTAMP:
        raise argparse.ArgumentTypeError(
            f"유닉스 시각(0~{MAX_TIMESTAMP})이어야 합니다 / must be Unix seconds: {text[:40]}")
    return int(text)


def _case_ref(text: str) -> int | str:
    """A case id (a few ASCII digits) or a case number; anything else is looked up as text."""
    if text.isascii() and text.isdigit() and len(text) <= 12:
        return int(text)
    return text


def _common(p: argparse.ArgumentParser, *, keys: bool = True) -> None:
    p.add_argument("--db", metavar="URL", help="SQLAlchemy URL (default: the configured database)")
    p.add_argument("--files", type=Path, metavar="DIR", help="attachment folder")
    p.add_argument("--data-key", type=Path, metavar="FILE", help="data key file (RRN encryption)")
    p.add_argument("--wait", type=_seconds, default=DEFAULT_BUSY_TIMEOUT, metavar="SECONDS",
                   help="how long to wait for a database another counter holds locked")
    if keys:
        p.add_argument("--key", action="append", type=Path, metavar="PRIV.pem",
                       help="office private key: opens the data key, which seals cases and "
                            "keys the audit chain (default: configured)")
        p.add_argument("--passphrase-file", type=Path, help="passphrase for encrypted keys")


def _guarded(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Turn the errors every command shares into one JSON object and an exit code."""
    def wrapper(args: argparse.Namespace) -> int:
        try:
            return run(args)
        except _Usage as exc:
            return usage_error(str(exc))
        except RecordsError as exc:
            print_json(exc.to_json())
            return EXIT_REJECTED
    return wrapper


# -- acting as an account (issue 13) -------------------------------------------

def _actor(args: argparse.Namespace, store: CaseStore, right: str, command: str) -> str:
    """The audit trail's actor: the ``--as`` account signed in for ``right`` (see counter_app.auth)."""
    return str(_acting(args, store, right, command).name)


def _acting(args: argparse.Namespace, store: CaseStore, right: str, command: str) -> Any:
    from counter_app import auth

    settings = _settings()
    return auth.act_as(args, store, right, counter=args.counter or settings.counter,
                       fallback=args.clerk or settings.clerk, command=command)


def _with_as(p: argparse.ArgumentParser) -> None:
    from counter_app import auth

    auth.add_arguments(p)


# -- intake -------------------------------------------------------------------

def _keyring(args: argparse.Namespace, settings: Settings) -> KeyRing:
    keys = args.key or settings.keys
    if not keys:
        raise _Usage("기관 개인키(--key)가 필요합니다 / an office private key (--key) is required")
    pass_file = args.passphrase_file or settings.passphrase_file
    try:
        passphrase = read_passphrase(pass_file) if pass_file else None
        return KeyRing.from_files(keys, passphrase)
    except KeyFileError as exc:
        raise _Usage(str(exc)) from exc


def _run_intake(args: argparse.Namespace) -> int:
    settings = _settings()
    keyring = _keyring(args, settings)
    for path in [*(args.attach or []), *([args.seal] if args.seal else [])]:
        if path.is_symlink():
            raise _Usage(f"첨부 파일이 심볼릭 링크입니다: 원본 파일을 주세요 / the attachment is a "
                         f"symbolic link; give the file itself: {path}")
        if not path.is_file():
            raise _Usage(f"첨부 파일이 없습니다 / attachment not found: {path}")
    try:
        texts = read_input_texts(args)
    except ImageReadError as exc:
        raise _Usage(str(exc)) from exc
    except OSError as exc:
        raise _Usage(f"입력을 읽을 수 없습니다 / cannot read input: {exc}") from exc
    clock = (lambda: float(args.now)) if args.now is not None else time.time
    store = _open(args, keyring=keyring, must_exist=False, cleanup=True)
    try:
        actor = _actor(args, store, "accept", "intake")
        service = IntakeService(keyring, store, office=args.office or settings.office,
                                catalogue=default_catalogue(), clock=clock)
        try:
            checked = service.check(texts)
            receipt = service.accept(
                checked, list(args.attach or []), args.seal,
                clerk=actor, counter=args.counter or settings.counter,
            )
        except PayloadError as exc:
            print_json(exc.to_json())
            return EXIT_REJECTED
    finally:
        store.close()
    log.info("recorded case %s", receipt.case_number)
    print_json(receipt.to_json())
    return EXIT_OK


# -- cases --------------------------------------------------------------------

def _row_line(r: CaseRow) -> str:
    # Every stored string goes through display_text: a name may hold a terminal
    # escape sequence or a bidi override (data from a citizen, or an edited row).
    t = display_text
    who = t(r.applicant_name) + (f" (대리 {t(r.delegate_name)})" if r.delegate_name else "")
    return (f"{t(r.case_number)}  {kst(r.received_at)}  {t(r.status):<9}  "
            f"{t(r.form_codes):<24}  {who}  {t(r.applicant_rrn_masked or '-')}  "
            f"{t(r.clerk)}@{t(r.counter)}")


def _run_list(args: argparse.Namespace) -> int:
    store = _open(args)
    try:
        _actor(args, store, "view", "cases list")
        rows = store.list_day(args.date, office=args.office)
    finally:
        store.close()
    if args.json:
        print_json({"ok": True, "date": args.date.isoformat(), "count": len(rows),
                    "cases": [r.to_json() for r in rows]})
    else:
        for r in rows:
            print(_row_line(r))
        print(f"{len(rows)}건 / {len(rows)} cases on {args.date.isoformat()}", file=sys.stderr)
    return EXIT_OK


def _show_text(d: CaseDetail) -> str:
    t = display_text
    lines = [_row_line(d.row)]
    if d.status_reason:
        lines.append(f"  사유 reason: {t(d.status_reason)}")
    if d.delegate_relation:
        lines.append(f"  대리인 관계 relation: {t(d.delegate_relation)}  "
                     f"{t(d.delegate_rrn_masked or '')}")
    for h in d.history:
        lines.append(f"  {kst(h.at)}  {t(h.status)}  {t(h.reason or '')}  "
                     f"{t(h.clerk)}@{t(h.counter)}")
    for c in d.corrections:
        lines.append(f"  정정 correction {t(c.field)}: {t(repr(c.before))} -> "
                     f"{t(repr(c.after))} ({t(c.clerk)})")
    for a in d.attachments:
        lines.append(f"  {t(a.kind)} {a.position}: {t(a.media_type)} {a.size} B  {t(a.path)}")
    return "\n".join(lines)


def _run_show(args: argparse.Namespace) -> int:
    settings = _settings()
    store = _open(args)
    try:
        case = _case_ref(args.number)
        detail = store.get(case)
        actor = _actor(args, store, "view", "cases show")
        # Viewing a case (names, masked numbers) is an access to personal data: logged.
        store.log("view", detail.row.id, clerk=actor,
                  counter=args.counter or settings.counter, detail={"via": "cli"})
    finally:
        store.close()
    if args.json:
        print_json({"ok": True, "case": detail.to_json()})
    else:
        print(_show_text(detail))
    return EXIT_OK


def _run_status(args: argparse.Namespace) -> int:
    settings = _settings()
    store = _open(args)
    try:
        case = _case_ref(args.number)
        CaseStatusService(store).change(
            case, args.status, reason=getattr(args, "reason", None),
            clerk=_actor(args, store, args.cases_command, f"cases {args.cases_command}"),
            counter=args.counter or settings.counter)
        row = store.get(case).row
    finally:
        store.close()
    print_json({"ok": True, "case_number": row.case_number, "case_id": row.id,
                "status": row.status})
    return EXIT_OK


def _run_export(args: argparse.Namespace) -> int:
    settings = _settings()
    if args.to < args.from_:
        raise _Usage("--to 는 --from 이후여야 합니다 / --to must not be before --from")
    store = _open(args)
    try:
        who = _acting(args, store, "export", "cases export")
        actor = who.name
        reason = (args.reason or "").strip()
        if who.account is not None and not reason:  # signed in: the reason is asked
            raise _Usage("내보내는 사유(--reason)를 적어 주세요 / give the reason for the export (--reason)")
        catalogue = default_catalogue()

        def title_of(code: str) -> str:
            fd = catalogue.get(code)
            return fd.title_ko if fd else code

        count = export.export(store, args.from_, args.to, args.format, args.out,
                              clerk=actor, counter=args.counter or settings.counter,
                              office=args.office, reason=reason or None, title_of=title_of)
    except OSError as exc:
        raise RecordsError(f"파일을 쓸 수 없습니다: {args.out} ({exc.strerror})",
                           f"cannot write {args.out}: {exc.strerror}") from exc
    finally:
        store.close()
    print_json({"ok": True, "cases": count, "format": args.format, "out": str(args.out)})
    return EXIT_OK


# -- db and audit ---------------------------------------------------------------

def _run_upgrade(args: argparse.Namespace) -> int:
    store = _open(args, must_exist=False, migrate=True)
    store.close()
    print_json({"ok": True, "revision": head_revision(), "applied": store.upgraded})
    return EXIT_OK


def _run_check(args: argparse.Namespace) -> int:
    # No migration here: a stale schema is one of the things check reports.
    store = _open(args, migrate=None)
    try:
        report = check.check(store, repair=args.repair, grace=args.grace)
    finally:
        store.close()
    return _verdict(report)


def _verdict(report: check.CheckReport) -> int:
    """``db check`` and ``audit verify`` print the one checker's verdict the same way."""
    out = report.to_json()
    if report.chain is not None:
        out.update(events=report.chain.events, broken_seq=report.broken_seq)
        if report.chain.keyed_from is not None:
            out["keyed_from"] = report.chain.keyed_from
        if report.chain.checkpoints:
            out["checkpoints"] = report.chain.checkpoints
    out["message"] = report.message
    print_json(out)
    return EXIT_OK if report.ok else EXIT_REJECTED


def _run_purge(args: argparse.Namespace) -> int:
    settings = _settings()
    store = _open(args)
    try:
        actor = _actor(args, store, "purge", "db purge")
        result = purge.purge(store, args.before, clerk=actor,
                             counter=args.counter or settings.counter)
    finally:
        store.close()
    print_json(result.to_json())
    return EXIT_OK


CHECKPOINT_TEXT = re.compile(r"CP1-\d{1,12}-[0-9a-fA-F]{24}-[0-9a-fA-F]{16}")


def _pdf_text(data: bytes) -> str:
    """The text layer of a PDF (the reports print their checkpoint on the page)."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


def _kept_checkpoints(args: argparse.Namespace) -> list[str]:
    """``--checkpoint`` texts, and those found in ``--checkpoint-file`` files (text or a report PDF)."""
    kept = list(args.checkpoint or [])
    for path in args.checkpoint_file or []:
        try:
            # a report PDF may be larger than a checkpoint file: the size of a document
            data = read_bounded(path, TEXT_BYTES)
            pdf = data.startswith(b"%PDF-")
            if not pdf and len(data) > KEY_BYTES:
                raise ValueError(f"a checkpoint file is at most {KEY_BYTES // 1024} KiB")
            text = _pdf_text(data) if pdf else data.decode("utf-8")
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise _Usage(f"확인점 파일을 읽을 수 없습니다 / cannot read {path}: {exc}") from exc
        except Exception as exc:  # pypdfium2's PdfiumError: a damaged PDF
            raise _Usage(f"확인점 파일을 읽을 수 없습니다 / cannot read {path}: {exc}") from exc
        if not pdf:
            kept += [w for w in text.split() if w.startswith("CP1-")]
            continue
        # a PDF's text layer prints hyphens as U+2010 (see ui.printing.day_report)
        found = CHECKPOINT_TEXT.findall(text.replace("\u2010", "-"))
        if not found:
            raise _Usage(f"PDF에 감사 기록 확인점이 없습니다 / no audit checkpoint in {path}")
        kept += found
    return kept


def _run_verify(args: argparse.Namespace) -> int:
    kept = _kept_checkpoints(args)
    store = _open(args)
    try:
        report = check.check(store, checkpoints=kept)
    finally:
        store.close()
    return _verdict(report)


def _run_checkpoint(args: argparse.Namespace) -> int:
    store = _open(args)
    try:
        point = store.checkpoint()
    finally:
        store.close()
    print_json({"ok": True, **point.to_json(),
                "message": f"이 확인점을 데이터베이스 밖에 보관하세요: {point.text} "
                           f"(keep this checkpoint outside the database)"})
    return EXIT_OK


# -- registration ---------------------------------------------------------------

def _who(p: argparse.ArgumentParser) -> None:
    p.add_argument("--clerk", type=_checked(lambda v: name_problem(v, "clerk", MAX_CLERK)),
                   help="clerk id written to the audit trail (default: configured)")
    p.add_argument("--counter", type=counter_name, help="counter name (default: configured)")
    _with_as(p)  # --as NAME --password-file F (issue 13; --clerk only before any account exists)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("intake", help="decode, check and record a petition; prints one JSON object")
    _common(p, keys=False)
    _who(p)
    p.add_argument("--key", action="append", type=Path, metavar="PRIV.pem",
                   help="office private key (repeat for key rotation; default: configured)")
    p.add_argument("--passphrase-file", type=Path, help="passphrase for encrypted keys")
    p.add_argument("--attach", action="append", type=Path, metavar="FILE",
                   help="scanned page (repeatable, in order)")
    p.add_argument("--seal", type=Path, metavar="FILE", help="seal (도장) image")
    p.add_argument("--office", type=_checked(office_problem),
                   help="office code for the case number (default: configured)")
    p.add_argument("--now", type=_unix_time,
                   help="Unix time to check iat/exp against and to record")
    p.add_argument("--image", action="append", type=Path, metavar="FILE",
                   help="read the QR text(s) from photos or scans instead (repeatable)")
    p.add_argument("input", nargs="?", default="-", help="file of QR texts, one per line; - for stdin")
    p.set_defaults(func=_guarded(_run_intake))

    cases = sub.add_parser("cases", help="list, show and export recorded cases")
    cs = cases.add_subparsers(dest="cases_command", metavar="ACTION", required=True)
    p = cs.add_parser("list", help="the cases received on one day (Korean time)")
    _common(p)
    p.add_argument("--date", type=iso_date, required=True, metavar="YYYY-MM-DD")
    p.add_argument("--office", help="only this office's cases")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--counter", type=counter_name, help="counter name (default: configured)")
    _with_as(p)
    p.set_defaults(func=_guarded(_run_list), clerk=None)
    p = cs.add_parser("show", help="one case in full (RRNs masked); the view is audited")
    _common(p)
    _who(p)
    p.add_argument("number", help="case number (접수번호) or case id")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=_guarded(_run_show))
    p = cs.add_parser("return", help="return (반려) a received case, with the reason")
    _common(p)
    _who(p)
    p.add_argument("number", help="case number (접수번호) or case id")
    p.add_argument("--reason", required=True, help="the reason the citizen is told")
    p.set_defaults(func=_guarded(_run_status), status="returned")
    p = cs.add_parser("complete", help="mark a received case completed (처리 완료)")
    _common(p)
    _who(p)
    p.add_argument("number", help="case number (접수번호) or case id")
    p.set_defaults(func=_guarded(_run_status), status="completed")
    p = cs.add_parser("export", help="cases of a date range as CSV or XLSX (masked); audited")
    _common(p)
    _who(p)
    p.add_argument("--from", dest="from_", type=iso_date, required=True, metavar="DATE")
    p.add_argument("--to", type=iso_date, required=True, metavar="DATE")
    p.add_argument("--format", choices=("csv", "xlsx"), required=True)
    p.add_argument("--out", type=Path, required=True, metavar="FILE")
    p.add_argument("--office", help="only this office's cases")
    p.add_argument("--reason", help="why the cases are exported (kept with the audit event; "
                   "required once accounts exist)")
    p.set_defaults(func=_guarded(_run_export))

    dbp = sub.add_parser("db", help="case database upkeep (IT)")
    ds = dbp.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    p = ds.add_parser("upgrade", help="create or migrate the schema to this program's version")
    _common(p)
    p.set_defaults(func=_guarded(_run_upgrade))
    p = ds.add_parser("check", help="database integrity, attachment files, numbering")
    _common(p)
    p.add_argument("--repair", action="store_true",
                   help="remove orphan files (written by intakes that never committed)")
    p.add_argument("--grace", type=_seconds, default=3600.0, metavar="SECONDS",
                   help="leave orphans younger than this (another counter may be mid-intake)")
    p.set_defaults(func=_guarded(_run_check))
    p = ds.add_parser("purge", help="remove closed cases closed before DATE, unrecoverably")
    _common(p)
    _who(p)
    p.add_argument("--before", type=iso_date, required=True, metavar="DATE")
    p.set_defaults(func=_guarded(_run_purge))

    au = sub.add_parser("audit", help="the audit trail")
    aus = au.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    p = aus.add_parser("verify", help="the same check as 'db check' (seals, chain, rows against "
                                      "the chain, files), with kept checkpoints")
    _common(p)
    p.add_argument("--checkpoint", action="append", metavar="CP1-…",
                   help="a checkpoint kept outside the database (repeatable): events cut "
                        "off the end are caught")
    p.add_argument("--checkpoint-file", action="append", type=Path, metavar="FILE",
                   help="a file holding kept checkpoints (e.g. a saved daily report)")
    p.set_defaults(func=_guarded(_run_verify))
    p = aus.add_parser("checkpoint", help="the chain's head as a tagged text to keep outside "
                                          "the database")
    _common(p)
    p.set_defaults(func=_guarded(_run_checkpoint))
