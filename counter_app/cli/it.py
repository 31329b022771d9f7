"""``doctor`` and ``fleet``: commands for IT staff keeping counter PCs running.

* ``counter-app doctor [--json] [--config F] [--no-heartbeat]``: one line per
  check (✓ / ! / ✗) with what to do; exit 0 when nothing is ✗, else 1. When
  the database takes it, the result goes into the fleet view as a heartbeat.
* ``counter-app fleet [--json] [--db URL] [--stale-minutes N] [--latest V]``:
  every counter of the office database, the ones that are stale, outdated or
  failing a check first; exit 1 when any is.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from counter_app.cli import EXIT_OK, EXIT_REJECTED, EXIT_USAGE
from counter_app.cli.codec import print_json
from counter_app.config import ConfigError, load_settings
from records.views import KST

ISSUE_KO = {"stale": "응답 없음", "outdated": "구버전", "failing": "점검 실패"}


def _run_doctor(args: argparse.Namespace) -> int:
    from counter_app import heartbeat
    from counter_app.doctor import run_doctor

    report = run_doctor(args.config)
    if not args.no_heartbeat:
        heartbeat.send(report)
    if args.json:
        print_json(report.as_json())
    else:
        print(report.text())
    return EXIT_OK if report.ok else EXIT_REJECTED


def _when(value: dt.datetime | None) -> str:
    return value.astimezone(KST).strftime("%m-%d %H:%M") if value else "-"


def _run_fleet(args: argparse.Namespace) -> int:
    from records import db
    from records.errors import RecordsError
    from records.fleet import fleet_status

    try:
        url = args.db or load_settings(args.config).database_url
    except ConfigError as exc:
        print_json({"ok": False, "error": "CONFIG", "message": str(exc)})
        return EXIT_USAGE
    engine = db.make_engine(url, busy_timeout=5)
    try:
        db.require_current(engine, url)
        with db.read_session(engine, url) as session:
            fleet = fleet_status(
                session,
                stale_after=dt.timedelta(minutes=args.stale_minutes),
                latest_version=args.latest,
            )
    except RecordsError as exc:
        print_json(
            {"ok": False, "error": "DATABASE", "message": f"{exc.message_ko} / {exc.message_en}"}
        )
        return EXIT_REJECTED
    finally:
        engine.dispose()
    if args.json:
        print_json(
            {
                "ok": not fleet.problems,
                "now": fleet.now.isoformat(),
                "latest_version": fleet.latest_version,
                "counters": [c.as_json() for c in fleet.counters],
            }
        )
    else:
        print(
            f"창구 {len(fleet.counters)}대, 문제 {len(fleet.problems)}대 / {len(fleet.counters)} counters, "
            f"{len(fleet.problems)} with problems (최신 / latest {fleet.latest_version or '-'})"
        )
        print(
            f"{'상태':4} {'기관':8} {'창구':12} {'버전':8} {'마지막 신호':12} {'마지막 스캔':12} 문제 / issues"
        )
        for c in fleet.counters:
            mark = "✓" if c.ok else "✗" if c.failing else "!"
            issues = ", ".join(f"{ISSUE_KO[i]}/{i}" for i in c.issues())
            failed = "; ".join(
                p.get("detail", "")[:60] for p in c.problems if p.get("status") == "fail"
            )
            print(
                f"{mark:4} {c.office:8} {c.counter:12} {c.version:8} {_when(c.seen_at):12} "
                f"{_when(c.last_scan_at):12} {issues}{' — ' + failed if failed else ''}"
            )
    return EXIT_OK if not fleet.problems else EXIT_REJECTED


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    doc = sub.add_parser("doctor", help="점검: 설정·서명·키·DB·장치·글꼴·디스크·프로그램 파일 (IT)")
    doc.add_argument(
        "--config", type=Path, help="counter.toml (default: the per-user config folder)"
    )
    doc.add_argument("--json", action="store_true", help="one JSON object instead of lines")
    doc.add_argument("--no-heartbeat", action="store_true", help="do not report to the fleet view")
    doc.set_defaults(func=_run_doctor)

    fl = sub.add_parser("fleet", help="창구 PC 현황: 응답 없음·구버전·점검 실패 (IT)")
    fl.add_argument("--db", metavar="URL", help="office database (default: the configured one)")
    fl.add_argument(
        "--config", type=Path, help="counter.toml (default: the per-user config folder)"
    )
    fl.add_argument("--json", action="store_true")
    fl.add_argument(
        "--stale-minutes", type=float, default=15, help="no heartbeat for this long: stale (15)"
    )
    fl.add_argument(
        "--latest",
        metavar="VERSION",
        help="the version every counter should run (default: the newest seen)",
    )
    fl.set_defaults(func=_run_fleet)
