"""``counter-app doctor``: why does this counter misbehave? One line per check.

Each check says ✓ (fine), ! (works, but look at it) or ✗ (broken), what it
found, and what to do; the report is meant to be pasted into a ticket. The
checks, in order: the configuration and its district signature, the office
keys (a payload made here is decrypted here), the data-key file, the case
database (reachable, migrated, writable, clock difference from the server),
the devices named in the configuration, the font, free disk space, the
bundle's own files, and (``counter_app.scanner_profile``) the scanner set-up.
Exit 0 when nothing is ✗, 1 otherwise.

A check never raises: whatever goes wrong becomes its ✗ line.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from counter_app import __version__
from counter_app.config import ConfigError, Settings, load_settings

OK, WARN, FAIL = "ok", "warn", "fail"
MARK = {OK: "✓", WARN: "!", FAIL: "✗"}
# Free space: below FAIL_BYTES an intake with five A4 pages may not fit.
DISK_FAIL_BYTES = 200 * 1000 * 1000
DISK_WARN_BYTES = 2 * 1000 * 1000 * 1000
CLOCK_WARN_S = 60


@dataclass
class Check:
    id: str
    title: str
    status: str
    detail: str
    action: str = ""

    def line(self) -> str:
        todo = f"  → {self.action}" if self.action and self.status != OK else ""
        return f"{MARK[self.status]} {self.title}: {self.detail}{todo}"

    def as_json(self) -> dict[str, str]:
        return {
            "id": self.id,
            "status": self.status,
            "title": self.title,
            "detail": self.detail,
            "action": self.action,
        }


@dataclass
class Report:
    checks: list[Check] = field(default_factory=list)
    settings: Settings | None = None
    config_hash: str = ""
    clock_skew_s: int | None = None
    config_path: Path | None = None  # the file checked (the heartbeat of a refused one)

    @property
    def ok(self) -> bool:
        return all(c.status != FAIL for c in self.checks)

    def count(self, status: str) -> int:
        return sum(c.status == status for c in self.checks)

    def summary(self) -> str:
        return f"✓ {self.count(OK)}  ! {self.count(WARN)}  ✗ {self.count(FAIL)}"

    def problems(self) -> list[dict[str, str]]:
        return [
            {"id": c.id, "status": c.status, "detail": c.detail}
            for c in self.checks
            if c.status != OK
        ]

    def header(self) -> dict[str, Any]:
        s = self.settings
        return {
            "version": __version__,
            "host": platform.node(),
            "system": f"{platform.system()} {platform.release()}",
            "office": s.office if s else None,
            "counter": s.counter if s else None,
            "config_hash": self.config_hash,
            "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            **self.header(),
            "summary": {"ok": self.count(OK), "warn": self.count(WARN), "fail": self.count(FAIL)},
            "checks": [c.as_json() for c in self.checks],
            "problems": self.problems(),
        }

    def text(self) -> str:
        h = self.header()
        lines = [
            f"counter-app {h['version']} 점검 / doctor — {h['office']} {h['counter']} "
            f"@ {h['host']} ({h['system']}) {h['time']}"
        ]
        lines += [c.line() for c in self.checks]
        verdict = "이상 없음 / all fine" if self.ok else "문제 있음 / problems found"
        lines.append(f"{self.summary()} — {verdict}")
        return "\n".join(lines)


def _guard(check_id: str, title: str, fn: Callable[[], Check]) -> Check:
    try:
        return fn()
    except Exception as exc:  # a check must never crash the report
        return Check(
            check_id,
            title,
            FAIL,
            f"{type(exc).__name__}: {exc}",
            "IT 에 이 보고서를 보내 주세요 / send this report to IT",
        )


# -- the checks ---------------------------------------------------------------


def check_config(config: Path | None, report: Report) -> Check:
    from counter_app import signing

    title = "설정 / configuration"
    from counter_app.config import default_config_file

    report.config_path = config or default_config_file()
    try:
        settings = load_settings(config)
    except ConfigError as exc:
        report.settings = None
        return Check(
            "config",
            title,
            FAIL,
            str(exc),
            "구청 정보화 담당자에게 서명된 설정을 다시 받으세요 / reinstall the signed configuration from district IT",
        )
    report.settings = settings
    path = report.config_path
    if not path.exists():
        return Check(
            "config",
            title,
            WARN,
            f"설정 파일이 없어 기본값 사용 / no {path}: defaults in use",
            "provision 한 counter.toml 을 설치하세요 / install the provisioned counter.toml",
        )
    try:
        trusted = signing.trusted_keys()
    except ConfigError as exc:
        return Check(
            "config",
            title,
            FAIL,
            str(exc),
            "구청 공개키를 다시 설치하세요 / reinstall the district public key",
        )
    if not trusted:
        report.config_hash = signing.file_hash(path)[:16]
        return Check(
            "config",
            title,
            WARN,
            f"{path}: 구청 공개키가 설치되지 않아 서명을 확인하지 않음 / no district key installed, signature not checked",
            f"district-keys 폴더나 {signing.DISTRICT_KEY_ENV} 로 구청 공개키를 설치하세요 / install the district public key",
        )
    verified = signing.verify_folder(path.parent, trusted)
    report.config_hash = verified.config_hash
    via = (
        " (이전 키가 보증한 새 키 / new key endorsed by the old one)"
        if verified.via_endorsement
        else ""
    )
    return Check(
        "config",
        title,
        OK,
        f"{path}: 구청 서명 확인 / signed by district key {verified.key_id}, {verified.signed_at}{via}",
    )


def check_keys(settings: Settings) -> Check:
    from decoding.keys import KeyFileError, KeyRing, read_passphrase
    from decoding.payload import decode, encode, make_document

    title = "기관 키 / office keys"
    if not settings.keys:
        return Check(
            "keys",
            title,
            FAIL,
            "설정에 키(keys)가 없습니다 / no keys configured",
            "counter.toml 의 keys 를 확인하세요 / list the office keys in counter.toml",
        )
    try:
        passphrase = read_passphrase(settings.passphrase_file) if settings.passphrase_file else None
        ring = KeyRing.from_files(settings.keys, passphrase)
    except KeyFileError as exc:
        return Check(
            "keys",
            title,
            FAIL,
            str(exc),
            "키 파일과 암호 파일을 다시 설치하세요 / reinstall the key and passphrase files",
        )
    now = int(time.time())
    for kid in ring.kids:
        key = ring.get(kid)
        assert key is not None
        doc = make_document({"name": "점검"}, [{"code": "DOCTOR", "ver": 1, "fields": {}}], now=now)
        texts = encode(doc, key.public_key())
        back = decode(texts, ring, now=now)
        if back.id != doc["id"]:
            return Check(
                "keys",
                title,
                FAIL,
                f"kid {kid.hex()}: 복호화 결과가 다릅니다 / round trip failed",
                "IT 에 문의 / ask IT",
            )
    return Check(
        "keys",
        title,
        OK,
        f"{len(ring)}개 키, 스스로 만든 QR 복호화 성공 / {len(ring)} key(s) decrypt a payload made here ({', '.join(k.hex() for k in ring.kids)})",
    )


def _store_paths(settings: Settings) -> tuple[Path, Path]:
    from counter_app.intake import store_paths

    return store_paths(settings.database_url, settings)


def check_data_key(settings: Settings) -> Check:
    from decoding.keys import KeyRing, read_passphrase
    from records.datakey import load_data_key
    from records.errors import DataKeyError

    title = "데이터 키 파일 / data-key file"
    _files, key_file = _store_paths(settings)
    if not key_file.exists():
        return Check(
            "datakey",
            title,
            WARN,
            f"{key_file} 없음: 첫 접수 때 만들어집니다 / not created yet (made at the first intake)",
            "이미 접수한 데이터베이스라면 키 파일을 백업에서 복원하세요 / if cases exist, restore it from backup",
        )
    try:
        passphrase = read_passphrase(settings.passphrase_file) if settings.passphrase_file else None
        ring = KeyRing.from_files(settings.keys, passphrase)
        keys = [k for k in (ring.get(kid) for kid in ring.kids) if k is not None]
        key = load_data_key(key_file, keys, create=False)
    except DataKeyError as exc:
        return Check(
            "datakey",
            title,
            FAIL,
            f"{exc.message_ko} / {exc.message_en}",
            "키 파일을 백업에서 복원하거나 IT 에 문의 / restore the key file or ask IT",
        )
    except Exception as exc:
        return Check(
            "datakey",
            title,
            FAIL,
            f"{key_file}: {exc}",
            "기관 키를 먼저 고치세요 / fix the office keys first",
        )
    return Check("datakey", title, OK, f"{key_file} 열림 / opens (key id {key.key_id})")


def check_database(settings: Settings, report: Report) -> Check:
    from sqlalchemy import text

    from records import db
    from records.fleet import server_now

    title = "데이터베이스 / case database"
    url = settings.database_url
    where = url.split("@")[-1]
    engine = db.make_engine(url, busy_timeout=5)
    try:
        db_file = db.sqlite_path(url)
        if db_file is not None and not db_file.exists():
            return Check(
                "database",
                title,
                WARN,
                f"{db_file} 없음: 첫 실행 때 만들어집니다 / not created yet",
                "counter-app run 으로 한 번 시작하세요 / start the counter once",
            )
        try:
            current = db.current_revision(engine, url)
        except Exception as exc:
            msg = getattr(exc, "message_ko", None)
            detail = (
                f"{msg} / {getattr(exc, 'message_en', '')}" if msg else str(exc).splitlines()[0]
            )
            return Check(
                "database",
                title,
                FAIL,
                f"{where}: 연결할 수 없습니다 / unreachable: {detail}",
                "네트워크, 서버 주소와 계정을 확인하세요 / check the network, the server address and the account",
            )
        head = db.head_revision()
        if current != head:
            return Check(
                "database",
                title,
                FAIL,
                f"{where}: 구조 {current}, 필요 {head} / schema {current}, this program needs {head}",
                "counter-app db upgrade 를 실행하세요 / run counter-app db upgrade",
            )
        with engine.connect() as conn:
            trans = conn.begin()
            try:
                # A write the database must accept, then undone.
                conn.execute(text("INSERT INTO meta (key, value) VALUES ('doctor-probe', 'x')"))
                conn.execute(text("DELETE FROM meta WHERE key = 'doctor-probe'"))
                server = server_now(conn)
            finally:
                trans.rollback()
        skew = round((dt.datetime.now(dt.UTC) - server).total_seconds())
        report.clock_skew_s = skew
        if abs(skew) > CLOCK_WARN_S:
            return Check(
                "database",
                title,
                WARN,
                f"{where}: 연결·쓰기 가능, 이 PC 시계가 서버와 {skew:+d}초 다릅니다 / reachable and writable, but this PC's clock is {skew:+d} s off the server",
                "Windows 시간 동기화(w32tm /resync)를 켜세요 / turn on time synchronisation",
            )
        return Check(
            "database",
            title,
            OK,
            f"{where}: 연결·최신 구조({head})·쓰기 가능, 시계 차 {skew:+d}초 / reachable, migrated, writable, clock {skew:+d} s",
        )
    except Exception as exc:
        lines = str(getattr(exc, "orig", None) or exc).splitlines()
        return Check(
            "database",
            title,
            FAIL,
            f"{where}: 쓸 수 없습니다 / not writable: {lines[0] if lines else type(exc).__name__}",
            "디스크 공간과 권한, 다른 창구의 잠금을 확인하세요 / check disk space, permissions and locks",
        )
    finally:
        engine.dispose()


def _device_state(
    name: str, present: Callable[[bool], list[Any]], probe_cameras: bool
) -> tuple[str, str]:
    """(status, detail) for one source name from the configuration.

    ``present(cameras)`` lists the devices on this PC (once). Without
    ``probe_cameras`` (the window is running and may hold them) a numbered
    camera is not opened to check it."""
    from drivers.base import SourceName
    from drivers.errors import SourceNameError

    try:
        src = SourceName.parse(name)
    except SourceNameError as exc:
        return FAIL, f"{name}: 이름이 잘못됨 / bad source name ({exc})"
    if src.kind == "keyboard":
        return OK, "keyboard: 키보드 웨지(확인은 스캔으로) / keyboard wedge (check by scanning)"
    if src.kind == "fake":
        return (
            (OK, f"{name}: 모의 장치 / simulated")
            if Path(src.target).exists()
            else (FAIL, f"{name}: 파일 없음 / file missing")
        )
    if src.kind == "camera" and not src.target.isdigit():
        return (
            (OK, f"{name}: 파일 / file")
            if Path(src.target).exists()
            else (FAIL, f"{name}: 파일 없음 / file missing")
        )
    if src.kind == "camera" and not probe_cameras:
        return OK, f"{name}: 창구 화면이 사용 중(열어 보지 않음) / in use by the window, not opened"
    for info in present(src.kind == "camera"):
        if info.source.lower() == f"{src.kind}:{src.target}".lower():
            if info.usable:
                return OK, f"{name}: 연결됨 / present ({info.description})"
            return FAIL, f"{name}: {info.reason_ko} / {info.reason_en}"
    return FAIL, f"{name}: 연결되어 있지 않습니다 / not connected"


def check_devices(settings: Settings, probe_cameras: bool = True) -> Check:
    from drivers.sources import list_devices

    title = "장치 / devices"
    listed: dict[bool, list[Any]] = {}

    def present(cameras: bool) -> list[Any]:
        if cameras not in listed:
            listed[cameras] = list_devices(cameras=cameras)
        return listed[cameras]

    named = [
        *settings.scanners,
        *(n for n in (settings.seal_scanner, settings.document_camera) if n),
    ]
    results = [_device_state(n, present, probe_cameras) for n in named]
    if settings.document_folder is not None:
        folder = settings.document_folder
        ok = folder.is_dir() and os.access(folder, os.R_OK | os.W_OK)
        results.append(
            (OK, f"{folder}: 스캔 폴더 / scan folder")
            if ok
            else (
                FAIL,
                f"{folder}: 스캔 폴더가 없거나 쓸 수 없음 / scan folder missing or not writable",
            )
        )
    worst = FAIL if any(s == FAIL for s, _ in results) else OK
    shown = [d for s, d in results if s == FAIL] or [d for _, d in results]  # what is wrong first
    detail = "; ".join(shown) or "장치 없음 / none configured"
    return Check(
        "devices",
        title,
        worst,
        detail,
        "케이블·전원·드라이버를 확인하고 counter-app devices list 로 이름을 확인하세요 / check cable, power, driver; see counter-app devices list",
    )


def check_font() -> Check:
    from PIL import ImageFont

    import resources

    title = "글꼴 / font"
    folder = Path(resources.__file__).parent / "fonts"
    fonts = sorted(p for p in folder.glob("*") if p.suffix.lower() in (".otf", ".ttf"))
    if not fonts:
        return Check(
            "font",
            title,
            FAIL,
            f"{folder}: 글꼴 파일 없음 / no font files",
            "프로그램을 다시 설치하세요 / reinstall the program",
        )
    for f in fonts:
        try:
            ImageFont.truetype(str(f), 12).getbbox("민원")
        except OSError as exc:
            return Check(
                "font",
                title,
                FAIL,
                f"{f.name}: 읽을 수 없음 / unreadable ({exc})",
                "프로그램을 다시 설치하세요 / reinstall the program",
            )
    return Check("font", title, OK, f"{', '.join(f.name for f in fonts)}")


def check_disk(settings: Settings) -> Check:
    title = "디스크 여유 공간 / free disk space"
    folder = settings.data_dir
    probe = folder
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    free = shutil.disk_usage(probe).free
    text = f"{folder}: {free / 1e9:.1f} GB"
    if free < DISK_FAIL_BYTES:
        return Check(
            "disk",
            title,
            FAIL,
            f"{text} — 가득 참 / full: 접수를 저장할 수 없습니다 / intakes cannot be saved",
            "파일을 정리하거나 디스크를 늘리세요 (counter-app db purge) / free space",
        )
    if free < DISK_WARN_BYTES:
        return Check(
            "disk", title, WARN, f"{text} — 부족 / low", "곧 정리가 필요합니다 / free space soon"
        )
    return Check("disk", title, OK, text)


def check_bundle() -> Check:
    from counter_app import integrity

    title = "프로그램 파일 / program files"
    bundle = integrity.bundle_dir()
    if bundle is None:
        return Check(
            "bundle",
            title,
            OK,
            "소스에서 실행 중(설치본 아님) / running from source, no bundle to check",
        )
    try:
        result = integrity.check(bundle)
    except (OSError, ValueError, KeyError) as exc:
        return Check(
            "bundle",
            title,
            FAIL,
            f"{bundle}: 파일 목록을 읽을 수 없음 / no file list ({exc})",
            "프로그램을 다시 설치하세요 / reinstall the program",
        )
    if not result.ok:
        names = ", ".join([*result.missing, *result.changed][:5])
        return Check(
            "bundle",
            title,
            FAIL,
            f"{len(result.missing)}개 없음, {len(result.changed)}개 변경 / missing {len(result.missing)}, changed {len(result.changed)}: {names}",
            "프로그램을 다시 설치하세요 (백신 격리 확인) / reinstall (check the antivirus quarantine)",
        )
    return Check(
        "bundle", title, OK, f"{result.checked}개 파일 확인 / {result.checked} files intact"
    )


def check_district(settings: Settings) -> Check:
    """The district's replication slots on this office's database (PostgreSQL offices only)."""
    from counter_app.district import office_slots

    title = "지구 복제 / district replication"
    if not settings.database_url.startswith("postgresql"):
        return Check("district", title, OK, "SQLite: 지구 복제 없음 / no district replication")
    found = office_slots(settings.database_url)
    if found is None:
        return Check("district", title, OK, "지구 발행 없음 / not published to a district")
    status, detail = found
    return Check("district", title, status, detail,
                 "counter-app district status 로 지구 쪽 구독을 확인하세요 / "
                 "check the subscription with counter-app district status")


def run_doctor(
    config: Path | None = None, *, in_window: bool = False, bundle: Check | None = None
) -> Report:
    """All the checks. ``in_window``: run beside the counter window (the heartbeat), so
    cameras are not opened; ``bundle``: reuse an earlier bundle check (hashing every
    file of the bundle every few minutes would cost the clerk's PC for nothing)."""
    report = Report()
    report.checks.append(
        _guard("config", "설정 / configuration", lambda: check_config(config, report))
    )
    s = report.settings
    if s is not None:
        report.checks += [
            _guard("keys", "기관 키 / office keys", lambda: check_keys(s)),
            _guard("datakey", "데이터 키 파일 / data-key file", lambda: check_data_key(s)),
            _guard("database", "데이터베이스 / case database", lambda: check_database(s, report)),
            _guard("district", "지구 복제 / district replication", lambda: check_district(s)),
            _guard("devices", "장치 / devices", lambda: check_devices(s, not in_window)),
        ]
    report.checks.append(_guard("font", "글꼴 / font", check_font))
    if s is not None:
        report.checks.append(
            _guard("disk", "디스크 여유 공간 / free disk space", lambda: check_disk(s))
        )
    report.checks.append(bundle or _guard("bundle", "프로그램 파일 / program files", check_bundle))
    if s is not None:
        from counter_app.doctor_updates import check_install, check_sharing, check_updates
        from counter_app.scanner_profile import check_scanner_profile

        report.checks += [
            _guard("sharing", "데이터베이스 공유 / one PC per SQLite file", lambda: check_sharing(s)),
            _guard("updates", "업데이트 / updates", lambda: check_updates(s)),
            _guard("scanner", "스캐너 설정 / scanner set-up", lambda: check_scanner_profile(s)),
        ]
        install = check_install(s)  # Windows, installed by the MSI with its properties
        if install is not None:
            report.checks.append(install)
    return report
