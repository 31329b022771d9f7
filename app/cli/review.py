"""``counter-app review``: the supervisor's review window.

Loaded by name from ``app.cli`` (``counter_app`` never imports ``ui``).

    counter-app review [--db URL] [--date YYYY-MM-DD] [--config FILE] [--lang ko|en]

Without ``--db`` the counter's configured database is used; without
``--date``, today (Korean time). Alt+←/Alt+→ page through the days.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.cli.common import EXIT_OK, EXIT_USAGE, iso_date
from app.cli.common import EXIT_REJECTED as EXIT_PROBLEM


def register(sub: Any) -> None:
    p = sub.add_parser("review", help="민원 검토 화면 (감독자) / the supervisor's review window")
    p.add_argument("--db", metavar="URL", help="SQLAlchemy URL (default: the configured database)")
    p.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD", help="day to open (default: today, KST)")
    p.add_argument("--files", type=Path, metavar="DIR", help="attachment folder")
    p.add_argument("--data-key", type=Path, metavar="FILE", help="data key file (RRN encryption)")
    p.add_argument("--config", type=Path, help="counter.toml (default: the platform's config folder)")
    p.add_argument("--lang", choices=["ko", "en"], help="화면 언어 / window language")
    p.set_defaults(func=run_review)


def run_review(args: argparse.Namespace) -> int:
    from counter_app.config import ConfigError, load_settings

    try:
        settings = load_settings(args.config)
    except ConfigError as exc:
        print(f"counter-app: {exc}", file=sys.stderr)
        return EXIT_USAGE
    from app.compose import make_opener
    from records.db import sqlite_path
    from ui.review.window import ReviewWindow
    from ui.widgets.qtapp import make_app

    url = args.db or settings.database_url
    language = args.lang or settings.language
    app = make_app(language, app_stylesheet=False)  # the window puts it on itself (faster redraws)
    if language == "en":
        from ui.widgets.i18n import install_translator

        install_translator("en")
    import dataclasses

    from counter_app.auth import open_gate
    from records.access import Rules
    from ui.signin.lock import IdleLock
    from ui.signin.window import SignInWindow

    try:
        rules = Rules.from_settings(settings.access_review)
    except ValueError as exc:
        print(f"counter-app: {exc}", file=sys.stderr)
        return EXIT_USAGE
    shown = _shown_url(url, sqlite_path(url))
    # The review never changes a database's structure (migrate=False), the sign-in neither.
    sign = SignInWindow(lambda: open_gate(settings, via="review", url=url, migrate=False),
                        title="민원 검토 로그인", right="view", where=f"단말 {settings.counter} · {shown}")
    held: dict[str, Any] = {}

    def signed_in(info: Any, gate: Any) -> None:
        # Every event of this window names the account and this terminal.
        who = dataclasses.replace(settings, clerk=info.name)
        window = ReviewWindow(make_opener(who, url, attachments_dir=args.files, key_file=args.data_key),
                              args.date, f"{info.name} ({settings.counter}) · {shown}")
        window.authz.sign_in(info, gate)
        window.authz.rules = rules
        window.authz.lock = IdleLock(window, gate, info, settings.idle_lock_minutes * 60)
        held.update(window=window, gate=gate)
        window.resize(1366, 768)
        window.show()
        sign.close()

    sign.signed_in.connect(signed_in)
    from app.cli.window import _stop

    sign.failed.connect(lambda exc: _stop(app, url, exc))
    sign.resize(1366, 768)
    sign.show()
    code = app.exec()
    sign.shutdown()
    error = sign.error
    from ui.signin.flow import delete_now

    delete_now(sign)
    window = held.get("window")
    if window is None:
        if error:
            return EXIT_PROBLEM  # said by _stop
        return EXIT_OK
    window.shutdown()
    held["gate"].close()
    return code if code else (EXIT_PROBLEM if window.error else EXIT_OK)


def _shown_url(url: str, db_file: Path | None) -> str:
    """The database for the status bar, without a password."""
    if db_file is not None:
        return str(db_file)
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
