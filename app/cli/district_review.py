"""``counter-app district review``: the district's window (added to the ``district`` group).

    counter-app district review --db URL --account NAME [--password-file F] [--date D] [--lang en]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from app.cli.common import EXIT_OK, EXIT_REJECTED, EXIT_USAGE, iso_date


def register(sub: Any) -> None:
    from app.cli.district import add_viewer_arguments

    district = sub.choices.get("district")
    groups = [a for a in (district._actions if district else [])
              if isinstance(a, argparse._SubParsersAction)]
    if not groups:
        return
    p = groups[0].add_parser("review", help="지구 검토 화면 / the district's review window")
    p.add_argument("--db", required=True, help="the district database URL")
    p.add_argument("--date", type=iso_date, help="day to open (default: today, KST)")
    p.add_argument("--lang", choices=["ko", "en"], help="화면 언어 / window language")
    add_viewer_arguments(p)
    p.set_defaults(func=run_review)


def run_review(args: argparse.Namespace) -> int:
    from app.cli.district import read_password
    from counter_app import district as service
    from records.district_db import DistrictError, engine_for
    from records.errors import RecordsError
    from records.views import KST

    try:
        engine = engine_for(args.db)
        viewer = service.sign_in(engine, args.account, read_password(args.password_file))
    except DistrictError as exc:
        print(f"counter-app: {exc.message}", file=sys.stderr)
        return EXIT_USAGE
    except RecordsError as exc:
        print(f"counter-app: {exc.message}", file=sys.stderr)
        return EXIT_REJECTED
    except Exception as exc:  # the database refused: one line, never a traceback
        line = (str(getattr(exc, "orig", None) or exc).strip().splitlines() or ["?"])[0][:300]
        print(f"counter-app: 지구 데이터베이스 오류 / district database error: {line}",
              file=sys.stderr)
        return EXIT_REJECTED
    from ui.district.window import DistrictWindow
    from ui.widgets.qtapp import make_app

    app = make_app(args.lang or "ko")
    if args.lang == "en":
        from ui.widgets.i18n import install_translator

        install_translator("en")
    window = DistrictWindow(engine, viewer, args.date or dt.datetime.now(KST).date())
    window.resize(1366, 768)
    window.show()
    app.exec()
    engine.dispose()
    return EXIT_OK
