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

APP_NAME = "counter-app"
CONFIG_ENV = "COUNTER_APP_CONFIG"
DATA_ENV = "COUNTER_APP_DATA"


class ConfigError(Exception):
    """The configuration file is missing, unreadable or wrong; the message names the problem."""


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
    explicit = path is not None
    path = path or default_config_file()
    if not path.exists():
        if explicit:
            raise ConfigError(f"설정 파일이 없습니다 / configuration file not found: {path}")
        return Settings(data_dir=default_data_dir())
    from counter_app.signing import check_configuration  # signed configurations (issue 14)

    check_configuration(path)  # a district key is installed: refuse a changed folder, naming the file
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"설정 파일을 읽을 수 없습니다 / cannot read {path}: {exc}") from exc
    base = path.parent
    s = Settings(
        data_dir=_path(base, data["data_dir"], "data_dir")
        if "data_dir" in data
        else default_data_dir()
    )
    for key in ("office", "counter", "clerk", "database", "language"):
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
    if "document_folder" in data:
        s.document_folder = _path(base, data["document_folder"], "document_folder")
    return s
