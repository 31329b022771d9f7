"""Provisioning: one configuration folder per counter PC, from one office table.

IT staff keep a CSV with a row per counter (``counter``, optional ``clerk``,
``scanners`` separated by spaces, ``seal_scanner``, ``document_camera``,
``document_folder``,
``database`` to override the office database). :func:`provision` checks every
row (source names, keys that load, no duplicate counters) before it writes
anything, then writes ``OUT/<counter>/counter.toml`` with a copy of the key
files and a short install note. A problem in any row is reported with its line
number and nothing is written, so a half-provisioned office cannot happen.
"""

from __future__ import annotations

import csv
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from counter_app.signing import endorse, sign_folder
from decoding.errors import CounterError
from decoding.keys import KeyFileError, KeyRing
from drivers.base import SourceName
from drivers.errors import SourceNameError

REQUIRED_COLUMNS = ("counter",)
_SAFE_NAME = re.compile(r"[^\w.-]+")


class ProvisionError(CounterError):
    """A row or an input is wrong; the message names the file, line and problem."""

    code = "PROVISION"


@dataclass(frozen=True)
class CounterRow:
    line: int
    counter: str
    clerk: str
    scanners: list[str]
    seal_scanner: str
    document_camera: str
    document_folder: str
    database: str


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def read_counters(path: Path) -> list[CounterRow]:
    try:
        text = path.read_text(encoding="utf-8-sig")  # Excel saves CSV with a BOM
    except (OSError, UnicodeDecodeError) as exc:
        raise ProvisionError(f"{path}: 읽을 수 없습니다 / cannot read: {exc}") from exc
    reader = csv.DictReader(text.splitlines())
    columns = reader.fieldnames or []
    for col in REQUIRED_COLUMNS:
        if col not in columns:
            raise ProvisionError(f"{path}: '{col}' 열이 없습니다 / column '{col}' missing")
    rows: list[CounterRow] = []
    seen: dict[str, int] = {}
    for line, raw in enumerate(reader, start=2):
        counter = (raw.get("counter") or "").strip()
        if not counter:
            raise ProvisionError(f"{path}:{line}: 창구 이름이 비어 있습니다 / empty counter name")
        if counter in seen:
            raise ProvisionError(
                f"{path}:{line}: 창구 '{counter}' 가 {seen[counter]}행과 중복됩니다 / duplicate counter"
            )
        seen[counter] = line
        scanners = (raw.get("scanners") or "keyboard").split()
        seal = (raw.get("seal_scanner") or "").strip()
        doc_camera = (raw.get("document_camera") or "").strip()
        for name in [*scanners, *[n for n in (seal, doc_camera) if n]]:
            try:
                SourceName.parse(name)
            except SourceNameError as exc:
                raise ProvisionError(f"{path}:{line}: {exc}") from exc
        rows.append(
            CounterRow(
                line=line,
                counter=counter,
                clerk=(raw.get("clerk") or "").strip(),
                scanners=scanners,
                seal_scanner=seal,
                document_camera=doc_camera,
                document_folder=(raw.get("document_folder") or "").strip(),
                database=(raw.get("database") or "").strip(),
            )
        )
    if not rows:
        raise ProvisionError(f"{path}: 창구가 한 줄도 없습니다 / no counters listed")
    return rows


def counter_toml(
    office: str, database: str, row: CounterRow, key_names: list[str], passphrase: bool
) -> str:
    lines = [
        "# 창구 PC 설정 / counter PC configuration (made by `counter-app provision`)",
        f"office = {_toml_string(office)}",
        f"counter = {_toml_string(row.counter)}",
    ]
    if row.clerk:
        lines.append(f"clerk = {_toml_string(row.clerk)}")
    db = row.database or database
    if db:
        lines.append(f"database = {_toml_string(db)}")
    lines.append("keys = [" + ", ".join(_toml_string(f"keys/{k}") for k in key_names) + "]")
    if passphrase:
        lines.append('passphrase_file = "keys/passphrase.txt"')
    lines.append("scanners = [" + ", ".join(_toml_string(s) for s in row.scanners) + "]")
    if row.seal_scanner:
        lines.append(f"seal_scanner = {_toml_string(row.seal_scanner)}")
    if row.document_camera:
        lines.append(f"document_camera = {_toml_string(row.document_camera)}")
    if row.document_folder:
        lines.append(f"document_folder = {_toml_string(row.document_folder)}")
    return "\n".join(lines) + "\n"


INSTALL_NOTE = """\
창구 PC 설치 안내 / Installing this counter PC

1. 설치 프로그램(counter-app 폴더)을 PC에 복사합니다.
   Copy the counter-app program folder to the PC.
2. 이 폴더의 내용을 다음 위치에 복사합니다 / copy this folder to:
     Windows: %LOCALAPPDATA%\\counter-app\\   (counter.toml 과 keys 폴더)
     Linux:   ~/.config/counter-app/
   또는 환경 변수 COUNTER_APP_CONFIG 로 counter.toml 경로를 지정합니다.
   Or point the COUNTER_APP_CONFIG environment variable at counter.toml.
3. keys 폴더는 관리자만 읽을 수 있게 권한을 설정합니다.
   Make the keys folder readable by the clerk's account only.
4. `counter-app doctor` 로 설정 서명·키·데이터베이스·장치를 한 번에 점검합니다.
   Run `counter-app doctor`: configuration signature, keys, database, devices in one report.
5. `counter-app devices list` 로 스캐너 연결을, `counter-app run` 으로 창구 화면을 확인합니다.
   Check the scanners with `counter-app devices list`, then start `counter-app run`.
"""


def provision(
    *,
    office: str,
    counters_csv: Path,
    keys: list[Path],
    out: Path,
    database: str = "",
    passphrase_file: Path | None = None,
    sign_key: Ed25519PrivateKey | None = None,
    previous_key: Ed25519PrivateKey | None = None,
) -> list[Path]:
    """Check everything, then write one folder per counter. Returns the counter.toml paths.

    With ``sign_key`` (the district's Ed25519 key) each folder gets a signed
    ``manifest.json`` (:mod:`counter_app.signing`); with ``previous_key`` too,
    the manifest carries the new key endorsed by the previous one (key roll-over).
    """
    if not re.fullmatch(r"\d{7}", office):
        raise ProvisionError(
            f"기관 코드는 숫자 7자리입니다 / office code must be 7 digits: {office!r}"
        )
    if not keys:
        raise ProvisionError("키 파일이 하나 이상 필요합니다 / at least one key file is needed")
    passphrase = passphrase_file.read_bytes().splitlines()[0] if passphrase_file else None
    try:
        ring = KeyRing.from_files(keys, passphrase)
    except KeyFileError as exc:
        raise ProvisionError(str(exc)) from exc
    if len(ring) != len(keys):
        raise ProvisionError("같은 키가 두 번 지정되었습니다 / the same key is listed twice")
    rows = read_counters(counters_csv)
    folders = {_SAFE_NAME.sub("_", r.counter): r for r in rows}
    if len(folders) != len(rows):
        raise ProvisionError(
            "창구 이름이 폴더 이름으로 겹칩니다 / counter names collide as folder names"
        )
    if out.exists() and any(out.iterdir()):
        raise ProvisionError(f"{out}: 비어 있지 않은 폴더입니다 / output folder is not empty")
    endorsements = (
        [endorse(previous_key, sign_key.public_key())] if sign_key and previous_key else []
    )
    written: list[Path] = []
    for folder, row in folders.items():
        target = out / folder
        (target / "keys").mkdir(parents=True)
        for key in keys:
            shutil.copyfile(key, target / "keys" / key.name)
            (target / "keys" / key.name).chmod(0o600)
        if passphrase_file:
            shutil.copyfile(passphrase_file, target / "keys" / "passphrase.txt")
            (target / "keys" / "passphrase.txt").chmod(0o600)
        toml = counter_toml(
            office, database, row, [k.name for k in keys], passphrase_file is not None
        )
        (target / "counter.toml").write_text(toml, encoding="utf-8")
        (target / "설치안내-INSTALL.txt").write_text(INSTALL_NOTE, encoding="utf-8")
        if sign_key is not None:
            sign_folder(
                target, sign_key, office=office, counter=row.counter, endorsements=endorsements
            )
        written.append(target / "counter.toml")
    return written
