"""``counter-app web build|serve|poster``: the citizen's web form on the command line.

Loaded by name from ``app.cli``. ``build`` and ``serve`` run
:mod:`counter_app.web` (no Qt); ``poster`` draws with Qt (:mod:`ui.printing.poster`),
which is why the group lives in ``ui``. Every command prints one JSON object
on stdout; errors say why in Korean and English, never with a traceback.

* ``web build --out DIR --office CODE[=이름] [--office …] --key PUB.pem [--key OLDER.pem …]
  [--forms DIR] [--lifetime-hours N]``: the deployable site (see ``counter_app.web``).
* ``web serve DIR [--port N]``: serve it on 127.0.0.1 until Ctrl+C.
* ``web poster --url URL --office CODE[=이름] --out poster.pdf``: the A4 poster.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from app.cli.codec import print_json
from app.cli.common import EXIT_OK, EXIT_REJECTED, EXIT_USAGE, finite_number

_print = print_json  # the one strict, terminal-safe printer


def _error(message: str, code: int = EXIT_USAGE) -> int:
    _print({"ok": False, "error": "WEB", "message": message})
    return code


# argparse type: the QR's lifetime in hours, a finite number from 1 to 720 (30 days).
_hours = finite_number(1, 720, "시간이어야 합니다", "hours")


def _port(text: str) -> int:
    """argparse type: a TCP port, 0 (any free one) to 65535."""
    if not (text.isascii() and text.isdigit() and len(text) <= 5 and int(text) <= 65535):
        raise argparse.ArgumentTypeError(
            f"포트는 0~65535 사이의 정수여야 합니다 / the port must be 0 to 65535: {text[:40]!r}")
    return int(text)


def run_build(args: argparse.Namespace) -> int:
    from counter_app.web import SiteError, build_site

    try:
        summary = build_site(
            args.out, args.office, args.key, forms_dir=args.forms,
            lifetime=int(args.lifetime_hours * 3600),
        )
    except SiteError as exc:
        return _error(str(exc))
    _print(summary)
    return EXIT_OK


def run_serve(args: argparse.Namespace) -> int:
    from counter_app.web import SiteError, make_server

    try:
        server = make_server(args.directory, args.port)
    except SiteError as exc:
        return _error(str(exc))
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    _print({"ok": True, "url": url, "directory": str(args.directory)})
    print(f"민원 신청서: {url}  (Ctrl+C로 끝냅니다 / Ctrl+C stops)", file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return EXIT_OK


def poster_url(url: str, office: str) -> str:
    """The URL with ``office=CODE`` in its query (a district site opens that office)."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise ValueError(f"주소는 https://로 시작해야 합니다 / the URL must start with https://: {url}")
    local = parts.hostname in ("localhost", "127.0.0.1", "::1")
    if parts.scheme == "http" and not local:
        raise ValueError(
            "휴대전화의 암호화(WebCrypto)는 https에서만 됩니다. https 주소를 쓰세요 / "
            f"phones encrypt only on https pages: use an https URL: {url}"
        )
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "office"] + [("office", office)]
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", urlencode(query), ""))


def run_poster(args: argparse.Namespace) -> int:
    from counter_app.web import Office, SiteError

    try:
        office = Office.parse(args.office)
        url = poster_url(args.url, office.code)
    except (SiteError, ValueError) as exc:
        return _error(str(exc))
    try:
        from ui.printing.poster import make_poster
    except ImportError as exc:
        return _error(f"Qt를 쓸 수 없습니다 / Qt is unavailable: {exc}", EXIT_REJECTED)
    try:
        path = make_poster(url, office.name, args.out)
    except OSError as exc:
        return _error(f"포스터를 쓸 수 없습니다 / cannot write the poster: {exc}", EXIT_REJECTED)
    _print({"ok": True, "out": str(path), "url": url})
    return EXIT_OK


def register(sub: Any) -> None:
    web = sub.add_parser("web", help="시민용 웹 신청서 / the citizen's web form (build, serve, poster)")
    ws = web.add_subparsers(dest="web_command", metavar="ACTION", required=True)

    p = ws.add_parser("build", help="write the deployable static site")
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="site folder (replaced whole)")
    p.add_argument("--office", action="append", required=True, metavar="CODE[=이름]",
                   help="office code and name; repeat for a district site (the citizen picks, "
                        "or the URL says ?office=CODE)")
    p.add_argument("--key", action="append", type=Path, required=True, metavar="PUB.pem",
                   help="office public key; the first is encrypted to, repeat for older keys")
    p.add_argument("--forms", type=Path, metavar="DIR", help="form definitions (default: the shipped ones)")
    p.add_argument("--lifetime-hours", type=_hours, default=48.0,
                   help="how long a petition QR stays valid (default 48: two days)")
    p.set_defaults(func=run_build)

    p = ws.add_parser("serve", help="serve a built site on 127.0.0.1 (kiosk, demo)")
    p.add_argument("directory", type=Path, metavar="DIR")
    p.add_argument("--port", type=_port, default=8765, help="port (default 8765; 0: any free port)")
    p.set_defaults(func=run_serve)

    p = ws.add_parser("poster", help="the A4 poster with the QR that opens the form (PDF)")
    p.add_argument("--url", required=True, help="the site's address (https://…)")
    p.add_argument("--office", required=True, metavar="CODE[=이름]")
    p.add_argument("--out", type=Path, required=True, metavar="poster.pdf")
    p.set_defaults(func=run_poster)
