"""Counter configuration: where things are and which devices to use.

One TOML file per counter PC (IT staff provision it; see ``installer/``):

.. code-block:: toml

    office = "3210000"          # office code (기관 코드), part of case numbers
    counter = "민원1"             # counter name, written to every audit event
    database = "sqlite:///C:/petitions/cases.db"   # any SQLAlchemy URL
    keys = ["office-2026.pem", "office-2025.pem"]  # private keys, newest first
    passphrase_file = "office.pass"                # optional
    scanners = ["serial:COM3", "keyboard"]
    seal_scanner = "camera:1"
    document_folder = "C:/scans"
    document_camera = "camera:2"   # 실물화상기: camera:N, or a video/image file
    idle_lock_minutes = 10         # the window locks after this idle time (draft kept)

    [access_review]                # what the access-log review flags (records.access)
    burst_per_hour = 10            # reveals + prints + exports by one account in an hour
    office_hours = "08:00-19:00"   # Korean time; outside (and weekends) is flagged

Relative paths are taken from the folder of the file. With no file, the
defaults put everything in the platform's per-user data folder.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from decoding.errors import CounterError
from decoding.limits import TEXT_BYTES, read_bounded

APP_NAME = "counter-app"
CONFIG_ENV = "COUNTER_APP_CONFIG"
DATA_ENV = "COUNTER_APP_DATA"


class ConfigError(CounterError):
    """The configuration file is missing, unreadable or wrong; the message names the problem."""

    code = "CONFIG"


def default_data_dir() -> Path:
    env = os.environ.get(DATA_ENV)
    if env:
        return Path(env)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_config_file() -> Path:
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env)
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "counter.toml"


@dataclass
class Settings:
    data_dir: Path
    office: str = "0000000"
    office_name: str = ""  # the office's name as reports print it (e.g. "서초구청 민원여권과")
    counter: str = "counter-1"
    clerk: str = "clerk"
    database: str = ""
    keys: list[Path] = field(default_factory=list)
    passphrase_file: Path | None = None
    scanners: list[str] = field(default_factory=lambda: ["keyboard"])
    seal_scanner: str | None = None
    document_folder: Path | None = None
    document_camera: str | None = None
    language: str = "ko"
    # Issue 13: the window locks after this many idle minutes (the office sets it);
    # [access_review] holds the rules of what the access-log review flags.
    idle_lock_minutes: float = 10.0
    access_review: dict[str, Any] = field(default_factory=dict)

    @property
    def database_url(self) -> str:
        if self.database:
            return self.database
        return f"sqlite:///{self.data_dir / 'cases.db'}"


def _path(base: Path, value: Any, key: str) -> Path:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{key}: 경로(문자열)여야 합니다 / must be a path string")
    p = Path(value).expanduser()
    return p if p.is_absolute() else base / p


def load_settings(path: Path | None = None) -> Settings:
    """Read the counter's TOML file; a missing default file gives the defaults."""
    # A file named on purpose (argument or COUNTER_APP_CONFIG) must exist: falling
    # back to defaults would record cases under office 0000000 in the wrong database.
    explicit = path is not None or bool(os.environ.get(CONFIG_ENV))
    path = path or default_config_file()
    from counter_app.signing import check_configuration, trusted_keys  # signed configurations

    if not path.exists():
        if explicit:
            raise ConfigError(f"설정 파일이 없습니다 / configuration file not found: {path}")
        if trusted_keys():
            # A PC that trusts a district key runs only on a signed configuration: defaults
            # (office 0000000, a local database) would be a configuration nobody signed.
            raise ConfigError(
                f"구청 서명 키가 설치되어 있지만 서명된 설정 파일이 없습니다: {path}. 구청 "
                "정보화 담당자에게 이 창구의 설정을 받으세요. / a district key is installed but "
                f"there is no signed configuration at {path}; ask district IT for this counter's "
                "configuration"
            )
        return Settings(data_dir=default_data_dir())
    # Read once: the bytes verified are the bytes parsed (a file swapped in between cannot
    # be loaded unsigned).
    try:
        raw = read_bounded(path, TEXT_BYTES)
    except OSError as exc:
        raise ConfigError(f"설정 파일을 읽을 수 없습니다 / cannot read {path}: {exc}") from exc
    check_configuration(path, raw)  # a district key is installed: refuse a changed folder
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"설정 파일을 읽을 수 없습니다 / cannot read {path}: {exc}") from exc
    base = path.parent
    s = Settings(
        data_dir=_path(base, data["data_dir"], "data_dir")
        if "data_dir" in data
        else default_data_dir()
    )
    for key in ("office", "office_name", "counter", "clerk", "database", "language"):
        if key in data:
            if not isinstance(data[key], str):
                raise ConfigError(f"{path}: {key} 는 문자열이어야 합니다 / must be a string")
            setattr(s, key, data[key])
    if "keys" in data:
        if not isinstance(data["keys"], list):
            raise ConfigError(f"{path}: keys 는 목록이어야 합니다 / must be a list")
        s.keys = [_path(base, k, "keys") for k in data["keys"]]
    if "passphrase_file" in data:
        s.passphrase_file = _path(base, data["passphrase_file"], "passphrase_file")
    if "scanners" in data:
        if not isinstance(data["scanners"], list) or not all(
            isinstance(x, str) for x in data["scanners"]
        ):
            raise ConfigError(
                f"{path}: scanners 는 문자열 목록이어야 합니다 / must be a list of strings"
            )
        s.scanners = list(data["scanners"])
    for key in ("seal_scanner", "document_camera"):
        if key in data:
            if not isinstance(data[key], str):
                raise ConfigError(f"{path}: {key} 는 문자열이어야 합니다 / must be a string")
            setattr(s, key, data[key] or None)  # "" (a blank CSV cell): no such device
    if "idle_lock_minutes" in data:
        v = data["idle_lock_minutes"]
        if isinstance(v, bool) or not isinstance(v, int | float) or not 0 < v <= 240:
            raise ConfigError(f"{path}: idle_lock_minutes 는 0보다 크고 240 이하인 분 단위 숫자여야 합니다 "
                              "/ must be a number of minutes, more than 0 and at most 240")
        s.idle_lock_minutes = float(v)
    if "access_review" in data:
        if not isinstance(data["access_review"], dict):
            raise ConfigError(f"{path}: [access_review] 는 표(table)여야 합니다 / must be a table")
        s.access_review = dict(data["access_review"])
    if "document_folder" in data:
        s.document_folder = _path(base, data["document_folder"], "document_folder")
    _check_values(path, s)
    return s


def _check_values(path: Path, s: Settings) -> None:
    """Values that would end up in case numbers, the audit trail or the database URL."""
    from records.limits import MAX_CLERK, MAX_COUNTER, name_problem, office_problem

    for key, problem in (
        ("office", office_problem(s.office)),
        ("counter", name_problem(s.counter, "counter", MAX_COUNTER)),
        ("clerk", name_problem(s.clerk, "clerk", MAX_CLERK)),
    ):
        if problem is not None:
            raise ConfigError(f"{path}: {key}: {problem[0]} / {problem[1]}")
    if s.database:
        from sqlalchemy.engine import make_url

        try:
            url = make_url(s.database)
        except Exception:  # ArgumentError: not a URL at all
            raise ConfigError(
                f"{path}: database 가 URL이 아닙니다 / database is not a URL "
                "(sqlite:///PATH or postgresql+psycopg://...)") from None
        if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
            raise ConfigError(
                f"{path}: database 가 메모리 데이터베이스입니다 (저장되지 않음) / "
                "database is in memory (nothing would be kept): give sqlite:///PATH")
