"""The citizen's web form as a deployable static site: ``web build`` and ``web serve``.

:func:`build_site` writes the app of ``webform/`` with the complete form
catalogue (:mod:`decoding.forms.export`), the office(s) and their public
key(s) (``kid`` computed) and the font into one folder any static web server
can serve over HTTPS. Everything is checked before anything is written: a
broken form file, a missing or private key, a bad office code is a
:class:`SiteError` and the output folder is left as it was. The site is
replaced as a whole (written beside it, then renamed), so a web server never
serves half a site.

Several offices of one district share one site: each ``--office`` adds one
(``CODE`` or ``CODE=이름``). With one office the page opens its form at once;
with several the citizen picks the office, or the URL names it
(``…/?office=CODE``, which a poster at that office's door carries). The
offices of one site share its key ring (the district's intake keys): offices
with keys of their own get a site each.

:func:`serve` serves a built site on 127.0.0.1 (a kiosk tablet, the demo):
GET and HEAD of its own files only, with a content security policy that lets
the page talk to no other host.
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import http.server
import importlib
import json
import os
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization

from decoding.codebook import Codebook, CodebookError, current_codebook, site_codebook
from decoding.errors import CounterError
from decoding.forms.catalogue import Catalogue
from decoding.forms.export import catalogue_json
from decoding.keys import KeyFileError, kid_of, load_public_key
from decoding.payload import DEFAULT_LIFETIME

APP_FILES = ("index.html", "app.js", "mw1.js", "compact.js", "validate.js", "limits.js", "qr.js", "poa.js",
             "style.css")
VENDOR_FILES = (
    "fflate.js", "fflate.LICENSE", "qrcode-generator.mjs", "qrcode-generator.LICENSE", "VERSIONS.md",
)
# Pretendard GOV cut to Korean and Latin as WOFF2 (webform/fonts/subset.py), with its licence.
FONT_FILES = ("PretendardGOV-Regular.woff2", "PretendardGOV-Bold.woff2", "OFL-PretendardGOV.txt")
_OFFICE_CODE = re.compile(r"[A-Za-z0-9_-]{1,32}")
# Text files get precompressed copies beside them (.gz always, .br when the brotli module is
# there): a static server (and ``web serve``) sends them to browsers that accept them.
COMPRESSIBLE = (".html", ".js", ".mjs", ".css", ".json", ".txt", ".md", ".LICENSE")

# What the page may load: its own files, and images and the 위임장 PDF (blob:) it makes itself.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; font-src 'self'; "
    "img-src 'self' data: blob:; connect-src 'self' blob:; manifest-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


class SiteError(CounterError):
    """The site cannot be built (or served); the message says why, Korean first."""

    code = "WEB_SITE"


def webform_dir() -> Path:
    """The app's source folder: ``webform/`` beside the packages (or in the bundle)."""
    here = Path(__file__).resolve().parent.parent / "webform"
    return Path(os.environ.get("COUNTER_WEBFORM_DIR", here))


@dataclass(frozen=True)
class Office:
    code: str
    name: str

    @classmethod
    def parse(cls, text: str) -> Office:
        code, _, name = text.partition("=")
        code, name = code.strip(), name.strip()
        if not _OFFICE_CODE.fullmatch(code):
            raise SiteError(
                f"기관 코드가 올바르지 않습니다 (영문·숫자·-·_ 32자 이내) / bad office code: {text!r}"
            )
        return cls(code, name or code)


def _public_key_entry(path: Path) -> dict[str, Any]:
    try:
        head = path.read_bytes()[:4096]
    except OSError as exc:
        raise SiteError(
            f"{path}: 키 파일을 읽을 수 없습니다 / cannot read key file: {exc.strerror}"
        ) from exc
    if b"PRIVATE KEY" in head:
        raise SiteError(
            f"{path}: 개인키입니다. 웹 서식에는 공개키(PUB.pem)만 넣습니다 / "
            "this is a private key: the web site gets the public key only"
        )
    try:
        key = load_public_key(path)
    except KeyFileError as exc:
        raise SiteError(str(exc)) from exc
    pem = key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")
    return {"kid": kid_of(key).hex(), "pem": pem, "file": path.name}


def load_catalogue(forms_dir: Path | None) -> Catalogue:
    """The catalogue to publish; any broken form file is a :class:`SiteError`."""
    catalogue = Catalogue.load(forms_dir)
    if catalogue.load_errors:
        raise SiteError(
            "서식 파일에 오류가 있어 사이트를 만들지 않았습니다 / form file errors, nothing written:\n  "
            + "\n  ".join(catalogue.load_errors)
        )
    if not catalogue.forms:
        raise SiteError("서식이 하나도 없습니다 / the catalogue has no forms")
    return catalogue


def site_config(
    offices: list[Office], keys: list[dict[str, Any]], lifetime: int, title: str
) -> dict[str, Any]:
    return {
        "site_version": 1,
        "title_ko": title,
        "built_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "offices": [{"code": o.code, "name": o.name} for o in offices],
        "keys": keys,
        "lifetime_seconds": lifetime,
    }


SITE_MARK = ".counter-app-site"  # written into every site built: "this folder may be replaced"


def _replaceable(out: Path) -> bool:
    """An empty folder, or a site this program built (its mark, or -- built before the mark --
    nothing but the files a build writes). Anything else is someone's folder: never deleted."""
    try:
        names = {p.name for p in out.iterdir()}
    except OSError:
        return False
    if not names or SITE_MARK in names:
        return True
    built = {*APP_FILES, "vendor", "fonts", "catalogue.json", "site.json"}
    return "site.json" in names and names <= built


def build_site(
    out: Path,
    office_specs: list[str],
    key_paths: list[Path],
    *,
    forms_dir: Path | None = None,
    lifetime: int = DEFAULT_LIFETIME,
    title: str = "민원 신청서 작성",
) -> dict[str, Any]:
    """Write the site to ``out``; returns a summary. Raises :class:`SiteError`, writing nothing."""
    if not office_specs:
        raise SiteError("기관(--office)을 하나 이상 지정해야 합니다 / give at least one --office")
    offices = [Office.parse(s) for s in office_specs]
    codes = [o.code for o in offices]
    if len(set(codes)) != len(codes):
        raise SiteError(f"같은 기관 코드가 두 번 있습니다 / an office is given twice: {codes}")
    if not key_paths:
        raise SiteError("공개키(--key)가 필요합니다 / a public key (--key) is required")
    keys = [_public_key_entry(p) for p in key_paths]
    if len({k["kid"] for k in keys}) != len(keys):
        raise SiteError("같은 키가 두 번 있습니다 / the same key is given twice")
    if not 3600 <= lifetime <= 30 * 24 * 3600:
        raise SiteError("유효기간은 1시간~30일입니다 / lifetime must be 1 hour to 30 days")
    catalogue = load_catalogue(forms_dir)
    source = webform_dir()
    missing = [f for f in APP_FILES if not (source / f).is_file()]
    missing += [f"vendor/{f}" for f in VENDOR_FILES if not (source / "vendor" / f).is_file()]
    missing += [f"fonts/{f}" for f in FONT_FILES if not (source / "fonts" / f).is_file()]
    if missing:
        raise SiteError(f"웹 서식 파일이 없습니다 / web form files missing: {', '.join(missing)}")
    if out.exists() and not out.is_dir():
        raise SiteError(f"{out}: 폴더가 아닙니다 / not a folder")
    if out.is_dir() and not _replaceable(out):
        raise SiteError(
            f"{out}: 비어 있지 않은 폴더이고 이 프로그램이 만든 사이트가 아닙니다. 지우지 않습니다. "
            "빈 폴더나 새 폴더를 주세요 / the folder is not empty and is not a site this program "
            "built: nothing deleted; give an empty or a new folder"
        )

    out = out.resolve()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    except OSError as exc:  # a file where a folder should be, no permission, a full disk
        raise SiteError(f"{out}: 사이트를 쓸 수 없습니다 / cannot write the site: "
                        f"{exc.strerror or exc}") from exc
    try:
        for name in APP_FILES:
            shutil.copy2(source / name, staging / name)
        (staging / "vendor").mkdir()
        for name in VENDOR_FILES:
            shutil.copy2(source / "vendor" / name, staging / "vendor" / name)
        (staging / "fonts").mkdir()
        for name in FONT_FILES:
            shutil.copy2(source / "fonts" / name, staging / "fonts" / name)
        export = catalogue_json(catalogue)
        try:
            codebook: Codebook | None = current_codebook(catalogue)
        except CodebookError:  # a field type without a version 2 coding: the page makes v1
            codebook = None
        if codebook and codebook.number:  # a recorded catalogue version: the page makes v2 QRs
            export["codebook"] = site_codebook(codebook)
        (staging / "catalogue.json").write_text(
            json.dumps(export, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )
        config = site_config(offices, keys, lifetime, title)
        (staging / "site.json").write_text(
            json.dumps(config, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        precompress(staging)
        (staging / SITE_MARK).write_text("counter-app web build\n", encoding="utf-8")
        os.chmod(staging, 0o755)
        if out.exists():
            old = out.with_name(f".{out.name}.old")
            if old.exists():
                shutil.rmtree(old)
            out.rename(old)
            staging.rename(out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            staging.rename(out)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise SiteError(f"사이트를 쓸 수 없습니다 / cannot write the site: {exc}") from exc
    return {
        "ok": True,
        "out": str(out),
        "offices": [o.code for o in offices],
        "kids": [k["kid"] for k in keys],
        "forms": len(catalogue.forms),
        "payload_version": 2 if codebook and codebook.number else 1,
        "catalogue_version": codebook.number if codebook and codebook.number else None,
    }


def precompress(folder: Path) -> list[Path]:
    """Write ``NAME.gz`` (and ``NAME.br`` with the brotli module) beside every text file of
    ``folder``, unless the copy would not be smaller; returns the copies written."""
    try:
        brotli: Any = importlib.import_module("brotli")
    except ImportError:  # optional: gzip alone already cuts the text to a third
        brotli = None
    written = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or not path.name.endswith(COMPRESSIBLE):
            continue
        data = path.read_bytes()
        copies = [(".gz", gzip.compress(data, compresslevel=9, mtime=0))]
        if brotli is not None:
            copies.append((".br", brotli.compress(data, quality=11)))
        for suffix, packed in copies:
            if len(packed) < len(data):
                target = path.with_name(path.name + suffix)
                target.write_bytes(packed)
                written.append(target)
    return written


def _accepted(header: str) -> set[str]:
    """The content codings an ``Accept-Encoding`` header accepts (q=0 refuses)."""
    out = set()
    for item in header.split(","):
        name, _, params = item.strip().partition(";")
        q = params.strip().removeprefix("q=") if params.strip().startswith("q=") else "1"
        try:
            if float(q) > 0:
                out.add(name.strip().lower())
        except ValueError:
            continue
    return out


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files only (GET/HEAD), with the security headers of a public form."""

    extensions_map = {  # noqa: RUF012 - the base class's attribute, replaced
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json",
        ".woff2": "font/woff2", ".css": "text/css", ".html": "text/html; charset=utf-8",
    }

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def send_head(self) -> Any:
        """A precompressed copy (``.br``, else ``.gz``) when the browser accepts it."""
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?", 1)[0].endswith("/"):
            path = os.path.join(path, "index.html")
        if not path.endswith(COMPRESSIBLE) or not os.path.isfile(path):
            return super().send_head()
        accepted = _accepted(self.headers.get("Accept-Encoding", ""))
        for coding, suffix in (("br", ".br"), ("gzip", ".gz")):
            if coding in accepted and os.path.isfile(path + suffix):
                f = open(path + suffix, "rb")  # noqa: SIM115 - the base class's contract: the caller closes it
                stat = os.fstat(f.fileno())
                self.send_response(200)
                self.send_header("Content-Type", self.guess_type(path))
                self.send_header("Content-Encoding", coding)
                self.send_header("Content-Length", str(stat.st_size))
                self.send_header("Last-Modified", self.date_time_string(int(stat.st_mtime)))
                self.send_header("Vary", "Accept-Encoding")
                self.end_headers()
                return f
        return super().send_head()

    def list_directory(self, path: Any) -> None:
        self.send_error(404)
        return None

    def log_message(self, format: str, *args: Any) -> None:
        pass  # no access log: nothing personal is in a URL, but nothing is kept either


def make_server(directory: Path, port: int = 8765) -> http.server.ThreadingHTTPServer:
    """A server for a built site on 127.0.0.1 (port 0: any free port)."""
    if not (directory / "index.html").is_file() or not (directory / "site.json").is_file():
        raise SiteError(
            f"{directory}: 만들어진 사이트가 아닙니다 (web build로 만드세요) / "
            "not a built site (make one with web build)"
        )
    handler = functools.partial(_Handler, directory=str(directory))
    try:
        return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        raise SiteError(
            f"127.0.0.1:{port}에서 열 수 없습니다 / cannot listen on port {port}: {exc.strerror}"
        ) from exc


def serve_in_thread(directory: Path, port: int = 0) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve on a daemon thread (demo, tests); returns the server and its URL."""
    server = make_server(directory, port)
    threading.Thread(target=server.serve_forever, name="webform", daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def limits_js() -> str:
    """``webform/limits.js``: the counter's own limits, for the phone (generated, never copied
    by hand; ``python -m counter_app.web`` writes it, a test checks it is current)."""
    from decoding.document import MAX_FORMS, MAX_NAME, MAX_PERSON_TEXT, MAX_RELATION
    from decoding.forms.validators import DEFAULT_MAX_LENGTH
    from decoding.payload import MAX_PARTS, MAX_PLAINTEXT, MAX_SYMBOL_CHARS

    values = {"MAX_FORMS": MAX_FORMS, "MAX_NAME": MAX_NAME, "MAX_RELATION": MAX_RELATION,
              "MAX_PERSON_TEXT": MAX_PERSON_TEXT, "MAX_SYMBOL_CHARS": MAX_SYMBOL_CHARS,
              "MAX_PARTS": MAX_PARTS, "MAX_PLAINTEXT": MAX_PLAINTEXT,
              "DEFAULT_MAX_LENGTH": dict(DEFAULT_MAX_LENGTH)}
    lines = ["// @ts-check",
             "// The counter's own limits (decoding.document, decoding.payload,",
             "// decoding.forms.validators), written by `python -m counter_app.web`: do not edit.",
             *(f"export const {name} = {json.dumps(value)};" for name, value in values.items())]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    (webform_dir() / "limits.js").write_text(limits_js(), encoding="utf-8")
