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

from app.cli.codec import print_json, usage_error
from app.cli.common import EXIT_OK, EXIT_REJECTED, EXIT_USAGE
from counter_app.config import ConfigError, load_settings
from decoding.text import escaped_text as shown
from records.views import KST

MAX_STALE_MINUTES = 60 * 24 * 366  # a year: longer is no longer "stale"


def _stale_minutes(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value <= MAX_STALE_MINUTES:  # also refuses nan
        raise argparse.ArgumentTypeError(
            f"0보다 크고 {MAX_STALE_MINUTES} 이하인 분이어야 합니다 / "
            f"must be minutes above 0, at most {MAX_STALE_MINUTES}: {text[:40]!r}"
        )
    return value


def _version(text: str) -> str:
    from records.fleet import version_problem

    problem = version_problem(text)
    if problem is not None:
        raise argparse.ArgumentTypeError(f"{problem[0]} / {problem[1]}")
    return text


def _release(text: str) -> str:
    from records.fleet import release_problem

    problem = release_problem(text)
    if problem is not None:
        raise argparse.ArgumentTypeError(f"{problem[0]} / {problem[1]}")
    return text


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
    from app.cli.records import _Usage, checked_database_url
    from records import db
    from records.db import sqlite_path
    from records.errors import RecordsError
    from records.fleet import ISSUE_LABELS, fleet_status

    try:
        url = checked_database_url(args.db or load_settings(args.config).database_url)
    except ConfigError as exc:
        print_json(exc.to_json())
        return EXIT_USAGE
    except _Usage as exc:
        return usage_error(str(exc))
    db_file = sqlite_path(url)
    if db_file is not None and not db_file.is_file():
        print_json({"ok": False, "error": "DATABASE",
                    "message": f"데이터베이스 파일이 없습니다 / database file not found: {db_file}"})
        return EXIT_REJECTED
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
            f"{len(fleet.problems)} with problems (최신 / latest {shown(fleet.latest_version) or '-'})"
        )
        print(
            f"{'상태':4} {'기관':8} {'창구':12} {'버전':8} {'마지막 신호':12} {'마지막 스캔':12} 문제 / issues"
        )
        for c in fleet.counters:
            mark = "✓" if c.ok else "✗" if c.failing else "!"
            issues = ", ".join(f"{ISSUE_LABELS[i][0]}/{i}" for i in c.issues())
            if c.update_failed:
                issues += f" ({c.update_state})"
            failed = "; ".join(
                p.get("detail", "")[:60] for p in c.problems if p.get("status") == "fail"
            )
            # Every value came from a counter PC (or someone writing the table): escaped, so
            # ESC, BEL and bidi overrides show as \\x1b... instead of acting on the terminal.
            print(
                f"{mark:4} {shown(c.office):8} {shown(c.counter):12} {shown(c.version):8} "
                f"{_when(c.seen_at):12} {_when(c.last_scan_at):12} {issues}"
                f"{' — ' + shown(failed) if failed else ''}"
            )
    return EXIT_OK if not fleet.problems else EXIT_REJECTED


def _update(args: argparse.Namespace) -> int:
    from counter_app import update, update_district, update_release

    try:
        if args.update_command == "init":
            root = update_district.init_repository(args.repo, args.keys)
            print_json({"ok": True, "root": str(root), "keys": str(args.keys),
                        "install": "copy root.json to district-keys/update-root.json on every PC"})
            return EXIT_OK
        if args.update_command == "publish":
            archive = args.archive
            if archive is not None and archive.is_dir():  # a bundle folder: zip it first
                archive = update_district.make_archive(
                    archive, args.repo / f".upload-{args.version}.zip"
                )
            name = update_district.publish(
                args.repo, args.keys, args.version, archive, channel=args.channel
            )
            if archive is not None and archive != args.archive:
                archive.unlink()
            print_json({"ok": True, "version": args.version, "target": name,
                        "channel": args.channel})
            return EXIT_OK
        if args.update_command == "rollback":
            name = update_district.rollback(args.repo, args.keys, args.to, channel=args.channel)
            print_json({"ok": True, "rollback_to": args.to, "target": name,
                        "channel": args.channel})
            return EXIT_OK
        if args.update_command == "refresh":
            print_json({"ok": True, "expires": update_district.refresh(args.repo, args.keys)})
            return EXIT_OK
        settings = load_settings(args.config)
        if args.update_command == "check":
            staged = update.check(settings.data_dir, args.url, args.root)
            print_json({"ok": True, "staged": staged.version if staged else None,
                        "rollback": bool(staged and staged.rollback),
                        "running": update.running_version(settings.data_dir)})
            return EXIT_OK
        if args.update_command == "apply":
            applied = update.apply_staged(settings.data_dir, settings.database_url)
            print_json({"ok": True, "applied": applied.version if applied else None,
                        "backup": str(applied.backup) if applied and applied.backup else None})
            return EXIT_OK
        if args.update_command == "unblock":
            was = update.unblock(settings.data_dir)
            print_json({"ok": True, "unblocked": was is not None})
            return EXIT_OK
        from records.db import head_revision, oldest_reader_of

        state = update.state(settings.data_dir)
        release = update_release.verify_release(settings.data_dir)
        head = head_revision()
        # What this release states: its schema, and the oldest release still running on it.
        schema = {"revision": head, "oldest_reader": oldest_reader_of(head)}
        print_json({"ok": state["blocked"] is None and release.ok, **state, "schema": schema,
                    "release_problems": release.problems,
                    "url": args.url or update.repository_url(),
                    "root": str(args.root or update.trust_root() or "")})
        return EXIT_OK if state["blocked"] is None and release.ok else EXIT_REJECTED
    except update.UpdateError as exc:
        print_json({**exc.to_json(), "kind": exc.kind})
        return EXIT_REJECTED
    except ConfigError as exc:
        print_json(exc.to_json())
        return EXIT_REJECTED
    except OSError as exc:  # a folder that cannot be made or written, a file that is gone
        print_json({"ok": False, "error": "UPDATE",
                    "message": f"파일을 쓰거나 읽을 수 없습니다 / cannot read or write: "
                               f"{exc.filename or ''}: {exc.strerror or exc}"})
        return EXIT_REJECTED


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
        "--stale-minutes", type=_stale_minutes, default=15, help="no heartbeat for this long: stale (15)"
    )
    fl.add_argument(
        "--latest",
        type=_version,
        metavar="VERSION",
        help="the version every counter should run (default: the newest seen)",
    )
    fl.set_defaults(func=_run_fleet)

    up = sub.add_parser("update", help="서명된 업데이트 / signed updates (python-tuf) (IT)")
    up_sub = up.add_subparsers(dest="update_command", metavar="ACTION", required=True)
    p = up_sub.add_parser("init", help="district: make the repository and its signing keys")
    p.add_argument("--repo", type=Path, required=True, help="folder the district web server serves")
    p.add_argument(
        "--keys", type=Path, required=True, help="folder for the role keys (keep offline)"
    )
    p = up_sub.add_parser("publish", help="district: publish a release to a channel")
    p.add_argument("--repo", type=Path, required=True)
    p.add_argument("--keys", type=Path, required=True)
    p.add_argument("--version", required=True, type=_release, help="MAJOR.MINOR.PATCH, e.g. 0.2.0")
    p.add_argument("--archive", type=Path,
                   help="dist/counter-app or a zip of it (not needed to promote the pilots' release)")
    p.add_argument("--channel", choices=("pilot", "office"), default="office",
                   help="pilot counters first, then the office (default; includes the pilots)")
    p = up_sub.add_parser("rollback", help="district: send a channel back to a published release")
    p.add_argument("--repo", type=Path, required=True)
    p.add_argument("--keys", type=Path, required=True)
    p.add_argument("--to", required=True, type=_release, metavar="VERSION")
    p.add_argument("--channel", choices=("pilot", "office"), default="office")
    p = up_sub.add_parser("refresh", help="district: re-sign the timestamp (daily, scheduled)")
    p.add_argument("--repo", type=Path, required=True)
    p.add_argument("--keys", type=Path, required=True)
    for name, text in (("check", "download, verify and stage the channel's release"),
                       ("apply", "back up the database, migrate with the staged version, switch"),
                       ("status", "installed, running, staged versions and the last outcome"),
                       ("unblock", "after a blocked update: IT has checked the database")):
        p = up_sub.add_parser(name, help=text)
        p.add_argument("--config", type=Path, help="counter.toml")
        p.add_argument(
            "--url",
            help="repository address (default: COUNTER_APP_UPDATE_URL or district-keys/update-url.txt)",
        )
        p.add_argument("--root", type=Path, help="trusted root.json (default: installed)")
    up.set_defaults(func=_update)
