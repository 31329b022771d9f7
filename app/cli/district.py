"""``district``: every office's counts and counters in one view (PostgreSQL logical replication).

* ``district init --db URL``: create the district's tables (again after an upgrade: adds the
  columns a newer program publishes; run it before the offices' ``db upgrade``).
* ``district add-office --db URL --office CODE --source URL`` / ``remove-office [--keep-data]``.
* ``district status [--json]``: each subscription's state and lag; exit 1 when one is failing.
* ``district viewer add --name N --role district|supervisor [--office CODE] --password-file F``.
* ``district fleet --json`` and ``district report`` (per office and in total) for a signed-in
  viewer (``--account N --password-file F``): a supervisor sees only the office.
* ``district review`` (the window) is added by :mod:`app.cli.district_review`.

Prints one JSON object (or a table); exit 0 fine, 1 a problem or refusal, 2 a usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
from pathlib import Path
from typing import Any

from app.cli.codec import print_json
from app.cli.common import EXIT_OK, EXIT_REJECTED, EXIT_USAGE, iso_date


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("district", help="지구: 여러 기관을 한눈에 / the district across offices")
    group = p.add_subparsers(dest="district_command", metavar="COMMAND", required=True)
    init = group.add_parser("init", help="지구 데이터베이스 준비 / create the district's tables")
    add = group.add_parser("add-office", help="기관 구독 / subscribe to an office")
    add.add_argument("--office", required=True)
    add.add_argument("--source", required=True, help="the office database URL (postgresql+psycopg://…)")
    rm = group.add_parser("remove-office", help="기관 구독 해제 / unsubscribe an office")
    rm.add_argument("--office", required=True)
    rm.add_argument("--keep-data", action="store_true", help="keep the office's rows")
    status = group.add_parser("status", help="구독 상태와 지연 / each subscription's state and lag")
    status.add_argument("--json", action="store_true")
    viewer = group.add_parser("viewer", help="지구 열람 계정 / district accounts")
    vgroup = viewer.add_subparsers(dest="viewer_command", metavar="COMMAND", required=True)
    vadd = vgroup.add_parser("add", help="계정 추가 / add an account")
    vadd.add_argument("--name", required=True)
    vadd.add_argument("--role", required=True, choices=("district", "supervisor"))
    vadd.add_argument("--office")
    vadd.add_argument("--password-file", type=Path, required=True)
    fleet = group.add_parser("fleet", help="모든 기관의 창구 / the counters of every office")
    report = group.add_parser("report", help="기관별·전체 집계 / counts per office and in total")
    report.add_argument("--from", dest="first", type=iso_date, required=True)
    report.add_argument("--to", dest="last", type=iso_date)
    for q in (fleet, report):
        q.add_argument("--json", action="store_true")
        q.add_argument("--office", help="one office only")
        add_viewer_arguments(q)
    for q in (init, add, rm, status, vadd, fleet, report):
        q.add_argument("--db", required=True, help="the district database URL")
        q.set_defaults(func=run)


def add_viewer_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--account", required=True, help="a district account (district viewer add)")
    p.add_argument("--password-file", type=Path, help="the password's file (else asked)")


def read_password(path: Path | None) -> str:
    """The password from its file (first line), or asked on the terminal."""
    from records.district_db import DistrictError

    if path is None:
        return getpass.getpass("비밀번호 / password: ")
    try:
        return path.read_text(encoding="utf-8").splitlines()[0] if path.stat().st_size else ""
    except (OSError, UnicodeDecodeError, IndexError) as exc:
        raise DistrictError(f"비밀번호 파일을 읽을 수 없습니다: {path}",
                            f"cannot read the password file: {path} ({type(exc).__name__})") from None


def run(args: argparse.Namespace) -> int:
    from records.district_db import BadOfficeCode, DistrictError, engine_for
    from records.errors import AuthError, RecordsError

    try:
        engine = engine_for(args.db)
    except DistrictError as exc:
        print_json(exc.to_json())
        return EXIT_USAGE
    try:
        return _dispatch(args, engine)
    except AuthError as exc:
        print_json(exc.to_json())
        return EXIT_REJECTED
    except BadOfficeCode as exc:
        print_json(exc.to_json())
        return EXIT_USAGE
    except DistrictError as exc:
        print_json(exc.to_json())
        return EXIT_REJECTED
    except OSError as exc:
        print_json({"ok": False, "error": "FILE", "message": f"읽을 수 없습니다 / cannot read: {exc}"})
        return EXIT_USAGE
    except RecordsError as exc:
        print_json(exc.to_json())
        return EXIT_REJECTED
    except Exception as exc:  # the database refused (SQLAlchemy's errors): one line, no traceback
        line = (str(getattr(exc, "orig", None) or exc).strip().splitlines() or ["?"])[0][:300]
        print_json({"ok": False, "error": "DATABASE",
                    "message": f"지구 데이터베이스 오류 / district database error: {line}"})
        return EXIT_REJECTED
    finally:
        engine.dispose()


def _dispatch(args: argparse.Namespace, engine: Any) -> int:
    from counter_app import district as service
    from records import district_db

    now = dt.datetime.now(dt.UTC)
    cmd = args.district_command
    if cmd == "init":
        added = district_db.init_district(engine)
        print_json({"ok": True, "columns_added": added})
        return EXIT_OK
    if cmd == "add-office":
        district_db.check_office(args.office)
        print_json({"ok": True, **district_db.add_office(engine, args.office, args.source, now=now)})
        return EXIT_OK
    if cmd == "remove-office":
        district_db.check_office(args.office)
        print_json({"ok": True, **district_db.remove_office(engine, args.office,
                                                            keep_data=args.keep_data)})
        return EXIT_OK
    if cmd == "status":
        subs = district_db.subscription_status(engine)
        ok = all(s.state not in ("failing", "disabled") for s in subs)
        if args.json:
            print_json({"ok": ok, "subscriptions": [s.as_json() for s in subs]})
        else:
            print(f"기관 {len(subs)}곳 / {len(subs)} offices")
            for s in subs:
                lag = f"{s.lag_bytes // 1024} KiB" if s.lag_bytes is not None else "?"
                print(f"{s.state:8} {s.office:10} lag {lag:>10}  slot {s.slot or '?':10} "
                      + "; ".join(s.problems))
        return EXIT_OK if ok else EXIT_REJECTED
    if cmd == "viewer":
        v = service.add_viewer(engine, args.name, args.role, read_password(args.password_file),
                               args.office, now)
        print_json({"ok": True, "name": v.name, "role": v.role, "office": v.office})
        return EXIT_OK
    viewer = service.sign_in(engine, args.account, read_password(args.password_file))
    if cmd == "fleet":
        fleet = service.fleet(engine, viewer, args.office)
        if args.json:
            print_json({"ok": not fleet["problems"], **fleet})
        else:
            print(f"창구 {len(fleet['counters'])}대, 문제 {fleet['problems']}대 / "
                  f"{len(fleet['counters'])} counters, {fleet['problems']} with issues")
            for c in fleet["counters"]:
                print(f"{c['office']:10} {c['counter']:12} {c['version']:10} "
                      f"{', '.join(c['issues']) or 'ok'}")
        return EXIT_OK if not fleet["problems"] else EXIT_REJECTED
    stats, counts = service.review(engine, viewer, args.first, args.last, office=args.office)
    out = {"ok": True, "from": stats.first.isoformat(), "to": stats.last.isoformat(),
           "offices": [c.as_json() for c in counts[:-1]], "total": counts[-1].as_json(),
           "by_form": dict(stats.by_form), "by_hour": dict(stats.by_hour),
           "return_categories": dict(stats.reasons), "wait_median_s": stats.wait_median_s}
    if args.json:
        print_json(out)
    else:
        for c in counts:
            print(f"{c.office or '합계/total':12} {c.total:8} 반려/returned {c.returned:6} "
                  f"완료/completed {c.completed:6}")
    return EXIT_OK
