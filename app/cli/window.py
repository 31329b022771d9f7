"""The window commands of ``counter-app``: ``run``, ``demo`` (``--self-test``), ``screenshot``.

Loaded by name from ``app.cli`` (``counter_app`` never imports ``ui``).

* ``counter-app run``: the real counter with the configured devices.
* ``counter-app demo``: the window with simulated devices, a demo key pair,
  an SQLite database and sample petitions in a demo folder; F5 "scans" the
  next sample through the ``fake:`` scanner, F6 adds a sample page, F7 takes
  one with the simulated document camera, F9 the seal.
* ``counter-app demo --self-test``: the whole round offscreen; exit 0 only
  if every sample behaved (good ones accepted and in the database, the bad
  one refused).
* ``counter-app screenshot --out DIR``: a PNG of each main state.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.cli.common import EXIT_OK, EXIT_USAGE
from app.cli.common import EXIT_REJECTED as EXIT_PROBLEM


def register(sub: Any) -> None:
    p = sub.add_parser("run", help="창구 화면 실행 / open the counter window")
    p.add_argument("--config", type=Path, help="counter.toml (default: the platform's config folder)")
    p.add_argument("--lang", choices=["ko", "en"], help="화면 언어 / window language")
    p.set_defaults(func=run_window)

    p = sub.add_parser("demo", help="모의 장치로 창구 화면 체험 / the window with simulated devices")
    p.add_argument("--dir", type=Path, help="demo folder (default: DATA/demo)")
    p.add_argument("--self-test", action="store_true", help="run the whole round offscreen and check it")
    p.add_argument("--lang", choices=["ko", "en"], default="ko")
    p.add_argument("--web", action="store_true",
                   help="also serve the demo office's citizen web form on 127.0.0.1")
    p.add_argument("--web-port", type=int, default=8765, help="port of --web (default 8765)")
    p.set_defaults(func=run_demo)

    p = sub.add_parser("screenshot", help="화면 상태별 PNG / a PNG of each main state")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--size", default="1366x768", help="WIDTHxHEIGHT (default 1366x768)")
    p.add_argument("--lang", choices=["ko", "en"], default="ko")
    p.set_defaults(func=run_screenshot)


def _app(language: str) -> Any:
    """The QApplication, or None (said on stderr) when this PySide6 cannot run the window."""
    from ui.widgets.qtapp import make_app
    from ui.widgets.qtcompat import BrokenPySide

    try:
        return make_app(language, app_stylesheet=False)
    except BrokenPySide as exc:
        print(f"counter-app: {exc}", file=sys.stderr)
        return None


def _offscreen() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def run_window(args: argparse.Namespace) -> int:
    from counter_app.config import ConfigError, load_settings

    try:
        settings = load_settings(args.config)
    except ConfigError as exc:  # e.g. a configuration changed since the district signed it
        print(f"counter-app: {exc}", file=sys.stderr)
        _tell_clerk("설정 오류 / configuration error", str(exc), args.lang)
        return EXIT_USAGE
    if not settings.keys:
        print("counter-app: 설정에 복호화 키(keys)가 없습니다 / no keys configured", file=sys.stderr)
        return EXIT_USAGE
    from app.compose import build_counter
    from decoding.keys import read_passphrase
    from ui.counter.devices import DeviceAdapter, document_capture

    app = _app(args.lang or settings.language)
    if app is None:
        return EXIT_PROBLEM
    passphrase = read_passphrase(settings.passphrase_file) if settings.passphrase_file else None
    extra = []
    if settings.document_folder:
        from app.demo import document_opener

        extra.append(DeviceAdapter(f"folder:{settings.document_folder}", "서류 스캔 폴더",
                                   document_opener(settings.data_dir / "pages")))

    def build(clerk: str) -> Any:  # once the clerk has signed in: the account is the clerk name
        return build_counter(
            data_dir=settings.data_dir, database_url=settings.database_url, key_files=settings.keys,
            passphrase=passphrase, office=settings.office, counter=settings.counter,
            clerk=clerk, scanners=settings.scanners, extra_devices=extra,
        seal_capture=_seal_capture(settings.seal_scanner, settings.data_dir),
        document_capture=document_capture(settings.document_camera, settings.data_dir / "pages")
        if settings.document_camera else None,
        document_camera=settings.document_camera or "document-camera",
            on_database_error=lambda exc: _database_failed(app, None, settings.database_url, exc),
        )

    from counter_app.auth import open_gate
    from counter_app.heartbeat import start_background  # fleet heartbeat + update check (IT)
    from ui.signin.flow import signed_in_window

    return signed_in_window(app, lambda: open_gate(settings, via="run"), build, right="accept",
                            title="민원 창구 로그인", counter=settings.counter,
                            idle_minutes=settings.idle_lock_minutes, maximized=True,
                            on_failed=lambda exc: _stop(app, settings.database_url, exc),
                            on_started=lambda parts: start_background(args.config).stop)


def _stop(app: Any, url: str, exc: BaseException) -> None:
    """Before the sign-in: no database, or one without accounts. Say so and exit with 1."""
    from records.errors import AuthError

    if isinstance(exc, AuthError):
        text = f"{exc.message_ko}\n{exc.message_en}"
        print(f"counter-app: {text}", file=sys.stderr)
        if os.environ.get("QT_QPA_PLATFORM") not in ("offscreen", "minimal"):
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.critical(None, "계정 없음 / no accounts", text)
        app.exit(EXIT_PROBLEM)
        return
    _database_failed(app, None, url, exc)


def _tell_clerk(title: str, text: str, language: str | None) -> None:
    """A message box for a clerk who started the program by double-click (not offscreen)."""
    if os.environ.get("QT_QPA_PLATFORM") in ("offscreen", "minimal"):
        return
    if sys.platform.startswith("linux") and not os.environ.get("DISPLAY"):
        return  # no screen to show it on (Qt would abort): stderr has said it
    app = _app(language or "ko")
    if app is not None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, title, text)


def _database_failed(app: Any, window: Any, url: str, exc: BaseException) -> None:
    """No case database, no intake: say why (Korean, then English) and end with exit code 1."""
    from ui.widgets import DATABASE_ERROR_EN, DATABASE_ERROR_KO

    detail = str(getattr(exc, "orig", None) or exc).splitlines()
    where = url.split("@")[-1]  # never a password from the URL
    text = f"{DATABASE_ERROR_KO}\n{DATABASE_ERROR_EN}\n{where}\n{detail[0] if detail else type(exc).__name__}"
    print(f"counter-app: {text}", file=sys.stderr)
    if os.environ.get("QT_QPA_PLATFORM") not in ("offscreen", "minimal"):
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(window or None, "데이터베이스 오류 / database error", text)
    app.exit(EXIT_PROBLEM)


def _seal_capture(source: str | None, data_dir: Path) -> Any:
    if not source:
        return None

    def capture() -> str:
        from drivers import seal

        return str(seal.capture(source, data_dir / "seals"))

    return capture


def run_demo(args: argparse.Namespace) -> int:
    if args.self_test:
        _offscreen()
    from app.demo import DemoCounter, self_test

    app = _app(args.lang)
    if app is None:
        return EXIT_PROBLEM
    from counter_app.config import default_data_dir
    from records.errors import RecordsError

    folder = args.dir or default_data_dir() / "demo"
    try:
        if args.self_test:
            return self_test(app, folder)
        from app.demo import demo_gate

        demo_gate(folder).close()  # the demo database and its accounts, or a clear error now
    except (RecordsError, OSError) as exc:
        # An unwritable demo folder or a database that cannot open: say so, no traceback.
        message = exc.message if isinstance(exc, RecordsError) else f"{exc.strerror}: {exc.filename}"
        print(f"counter-app demo: 데모 폴더를 쓸 수 없습니다 / cannot use the demo folder {folder}: {message}",
              file=sys.stderr)
        return EXIT_PROBLEM
    from counter_app.auth import DEMO_PASSWORD
    from ui.signin.flow import signed_in_window

    print(f"demo folder: {folder}\n로그인 / sign in: demo-clerk, demo-supervisor, demo-admin ({DEMO_PASSWORD})\n"
          "F5: 다음 견본 스캔 / scan the next sample; F6: 서류 쪽 추가 / add a page;"
          " F7: 실물화상기 / document camera; F9: 도장 / seal; Ctrl+Enter: 접수 / accept")
    return signed_in_window(app, lambda: demo_gate(folder), lambda clerk: DemoCounter(folder, clerk=clerk),
                            right="accept", title="민원 창구 로그인 (체험)", counter="민원1",
                            idle_minutes=10, demo=True, maximized=True,
                            on_started=(lambda parts: _stop_web(_demo_web(parts, args))) if args.web else None)


def _stop_web(server: Any) -> Callable[[], None] | None:
    """What stops ``demo --web``'s server when the window closes (None when none runs)."""
    if server is None:
        return None

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return stop


def _demo_web(demo: Any, args: argparse.Namespace) -> Any:
    """``demo --web``: build the demo office's web form and serve it (None if it cannot)."""
    from counter_app.demo import build_demo_site
    from counter_app.web import SiteError, serve_in_thread

    try:
        site = build_demo_site(demo.kit.folder, demo.kit.public_key)
        server, url = serve_in_thread(site, args.web_port)
    except SiteError as exc:
        print(f"counter-app demo --web: {exc}", file=sys.stderr)
        return None
    print(f"시민용 웹 신청서 / citizen web form: {url}\n"
          f"  '이미지로 저장'한 QR 그림을 {demo.kit.folder / 'web-qr'}에 두고 Shift+F5 / "
          "save the QR images there and press Shift+F5 (or show the phone to a camera scanner)")
    return server


def run_screenshot(args: argparse.Namespace) -> int:
    _offscreen()
    from app.demo import screenshots

    try:
        w, h = (int(x) for x in args.size.lower().split("x"))
    except ValueError:
        print("counter-app: --size is WIDTHxHEIGHT", file=sys.stderr)
        return EXIT_USAGE
    app = _app(args.lang)
    if app is None:
        return EXIT_PROBLEM
    written = screenshots(app, args.out, (w, h))
    # The supervisor's review window, after the counter's shots (those clear the folder).
    from app.review_demo import review_screenshots

    written += review_screenshots(app, args.out, (w, h), language=args.lang)
    from app.signin_demo import people_screenshots  # sign-in, lock, access review (issue 13)

    written += people_screenshots(app, args.out, (w, h))
    for p in written:
        print(p)
    return EXIT_OK if written else EXIT_PROBLEM
