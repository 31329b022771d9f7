"""The fleet: one heartbeat row per counter PC, and the list IT and admins read.

Each counter writes (upserts) its row at start and every few minutes while it
runs, and ``counter-app doctor`` writes it too: the program's version, the hash
of its signed configuration, the doctor's summary, the last scan. Times are the
*database server's* clock, so a counter whose own clock is wrong is still
judged fairly. :func:`fleet_status` lists every counter with what is wrong:
``stale`` (no heartbeat for a while: switched off or the program is not
running), ``outdated`` (older than the newest version in the office, or than
the version IT names), ``config-refused`` (the counter does not trust its
configuration), ``failing`` (a doctor check failed), ``clock`` (more than a
minute off the server) and ``update-failed`` (the last update check or apply
failed, with its kind: expired, tampered, unreachable...).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Boolean, Integer, String, Text, false, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Session, mapped_column

from records.errors import RecordsError
from records.models import UTC, Base, UTCDateTime

DEFAULT_STALE_AFTER = dt.timedelta(minutes=15)
# A counter whose clock is this far off the server's is flagged (receipts and
# the audit trail carry its times; Windows time sync keeps it within seconds).
CLOCK_SKEW_FLAG_S = 60
# What a counter's issues() are called, Korean and English (the CLI and the fleet panel).
ISSUE_LABELS = {
    "stale": ("응답 없음", "stale"),
    "outdated": ("구버전", "outdated"),
    "config-refused": ("설정 거부", "configuration refused"),
    "failing": ("점검 실패", "failing"),
    "clock": ("시계 차이", "clock off"),
    "update-failed": ("업데이트 실패", "update failed"),
}
HEARTBEAT_INTERVAL = dt.timedelta(minutes=5)
# A program version as IT names it and a heartbeat stores it (counter_heartbeats.version):
# dotted numbers, an optional pre-release or build tag, at most 32 characters.
MAX_VERSION = 32
VERSION_RE = re.compile(r"[0-9]{1,6}(\.[0-9]{1,6}){0,3}([.+-]?[0-9A-Za-z]{1,12}){0,2}")


def version_problem(version: object) -> tuple[str, str] | None:
    """Why ``version`` cannot be a program version (e.g. 0.2.0, 1.0.0rc1), or None."""
    if not isinstance(version, str) or len(version) > MAX_VERSION \
            or not VERSION_RE.fullmatch(version):
        shown = repr(version)[:40] if isinstance(version, str) else "?"
        return (f"버전은 0.2.0 처럼 숫자와 점으로 씁니다 ({MAX_VERSION}자 이내): {shown}",
                f"a version is dotted numbers like 0.2.0 (at most {MAX_VERSION} characters): {shown}")
    return None


# A release as the district publishes it and Windows Installer compares it: three numbers,
# at most 255.255.65535 (0.2.0rc1 would install as 0.2.0 and block the real 0.2.0).
RELEASE_RE = re.compile(r"(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,4})")


def release_problem(version: object) -> tuple[str, str] | None:
    """Why ``version`` cannot be a published release (MAJOR.MINOR.PATCH), or None."""
    m = RELEASE_RE.fullmatch(version) if isinstance(version, str) else None
    if m is None or int(m[1]) > 255 or int(m[2]) > 255 or int(m[3]) > 65535:
        shown = repr(version)[:40] if isinstance(version, str) else "?"
        return (f"배포 버전은 0.2.0 처럼 숫자 세 개입니다 (255.255.65535 이하): {shown}",
                f"a release is MAJOR.MINOR.PATCH, numbers only, at most 255.255.65535: {shown}")
    return None


def bounded(value: object, limit: int) -> str:
    """``value`` as text that any backend stores in a ``VARCHAR(limit)``: no control
    characters or lone surrogates (NUL is refused by PostgreSQL), at most ``limit``."""
    text = value if isinstance(value, str) else str(value)
    clean = "".join(
        "?" if ord(c) < 32 or ord(c) == 127 or 0xD800 <= ord(c) <= 0xDFFF else c for c in text
    )
    return clean[:limit]


def _clean(value: Any) -> Any:
    """A doctor summary with every string made storable (see :func:`bounded`)."""
    if isinstance(value, str):
        return bounded(value, 2000)
    if isinstance(value, dict):
        return {bounded(k, 200): _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value[:100]]
    return value


class Heartbeat(Base):
    """The newest heartbeat of one counter PC."""

    __tablename__ = "counter_heartbeats"

    office: Mapped[str] = mapped_column(String(16), primary_key=True)
    counter: Mapped[str] = mapped_column(String(64), primary_key=True)
    host: Mapped[str] = mapped_column(String(128))
    version: Mapped[str] = mapped_column(String(32))
    config_hash: Mapped[str] = mapped_column(String(64))
    checks_failed: Mapped[int] = mapped_column(Integer)
    checks_warned: Mapped[int] = mapped_column(Integer)
    # JSON list of the checks that are not fine: [{"id", "status", "detail"}]
    doctor_summary: Mapped[str] = mapped_column(Text)
    # The checks that are not fine, as "id:status" words (e.g. "config:fail update:warn"):
    # what the district sees of the summary, whose details may name local paths.
    problem_checks: Mapped[str] = mapped_column(String(400), server_default="")
    last_scan_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    clock_skew_s: Mapped[int | None] = mapped_column(Integer)
    # 0006: the counter could not trust its configuration; the last update's outcome
    config_refused: Mapped[bool] = mapped_column(Boolean, server_default=false())
    update_state: Mapped[str] = mapped_column(String(16), server_default="")
    update_detail: Mapped[str] = mapped_column(Text, server_default="")


def server_now(conn: Connection | Session) -> dt.datetime:
    """The database server's clock, as aware UTC."""
    dialect = conn.dialect if isinstance(conn, Connection) else conn.get_bind().dialect
    if dialect.name == "postgresql":
        value = conn.execute(text("SELECT now()")).scalar_one()
        assert isinstance(value, dt.datetime)
        return value.astimezone(UTC)
    raw = conn.execute(text("SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')")).scalar_one()
    return dt.datetime.fromisoformat(str(raw)).replace(tzinfo=UTC)


def problem_checks(problems: list[dict[str, str]]) -> str:
    """``id:status`` of each check that is not fine, space-separated, within 400 characters."""
    words = []
    for p in problems:
        word = f"{p.get('id', '?')}:{p.get('status', '?')}"
        words.append("".join(c for c in word if c.isascii() and (c.isalnum() or c in "_-:."))[:40])
    return " ".join(words)[:400]


@dataclass(frozen=True)
class Beat:
    """What a counter reports about itself."""

    office: str
    counter: str
    host: str
    version: str
    config_hash: str
    checks_failed: int = 0
    checks_warned: int = 0
    problems: list[dict[str, str]] = field(default_factory=list)
    last_scan_at: dt.datetime | None = None
    clock_skew_s: int | None = None
    config_refused: bool = False
    update_state: str = ""  # "ok", or the kind of the last failed update
    update_detail: str = ""


def write_heartbeat(session: Session, beat: Beat) -> dt.datetime:
    """Upsert the counter's row (the caller commits); returns the server time written."""
    now = server_now(session)
    values: dict[str, Any] = {
        "office": bounded(beat.office, 16),
        "counter": bounded(beat.counter, 64),
        "host": bounded(beat.host, 128),
        "version": bounded(beat.version, MAX_VERSION),
        "config_hash": bounded(beat.config_hash, 64),
        "checks_failed": beat.checks_failed,
        "checks_warned": beat.checks_warned,
        "doctor_summary": json.dumps(_clean(beat.problems), ensure_ascii=False),
        "problem_checks": problem_checks(beat.problems),
        "last_scan_at": beat.last_scan_at,
        "seen_at": now,
        "clock_skew_s": beat.clock_skew_s,
        "config_refused": beat.config_refused,
        "update_state": bounded(beat.update_state, 16),
        "update_detail": bounded(beat.update_detail, 2000),
    }
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(Heartbeat).values(**values)
    update = {k: stmt.excluded[k] for k in values if k not in ("office", "counter")}
    if beat.last_scan_at is None:  # keep the last scan a previous heartbeat reported
        update.pop("last_scan_at")
    session.execute(stmt.on_conflict_do_update(index_elements=["office", "counter"], set_=update))
    return now


# A SQLite file another PC sent a heartbeat into within this time is shared.
SHARED_WITHIN = dt.timedelta(days=1)


class SharedDatabase(RecordsError):
    """A SQLite database used by several counter PCs (or on a network drive): PostgreSQL's job."""

    code = "DB_SHARED"


def other_hosts(session: Session, host: str, within: dt.timedelta = SHARED_WITHIN) -> list[str]:
    """The other PCs (``counter@host``) that sent a heartbeat into this database lately."""
    since = server_now(session) - within
    rows = session.execute(
        select(Heartbeat.counter, Heartbeat.host)
        .where(Heartbeat.host != bounded(host, 128), Heartbeat.seen_at > since)
        .order_by(Heartbeat.host)
    )
    return [f"{counter}@{pc}" for counter, pc in rows]


def _version_key(version: str) -> tuple[int | str, ...]:
    parts: list[int | str] = []
    for piece in version.replace("-", ".").split("."):
        parts.append(int(piece) if piece.isdigit() else piece)
    return tuple(parts)


def newer(a: str, b: str) -> bool:
    """True when version ``a`` is newer than ``b`` (numeric dotted versions)."""
    try:
        return _version_key(a) > _version_key(b)
    except TypeError:
        return a > b


@dataclass(frozen=True)
class CounterStatus:
    office: str
    counter: str
    host: str
    version: str
    config_hash: str
    seen_at: dt.datetime
    last_scan_at: dt.datetime | None
    checks_failed: int
    checks_warned: int
    problems: list[dict[str, str]]
    clock_skew_s: int | None
    stale: bool
    outdated: bool
    config_refused: bool = False
    update_state: str = ""
    update_detail: str = ""

    @property
    def failing(self) -> bool:
        return self.checks_failed > 0 or self.config_refused

    @property
    def clock_off(self) -> bool:
        return self.clock_skew_s is not None and abs(self.clock_skew_s) > CLOCK_SKEW_FLAG_S

    @property
    def update_failed(self) -> bool:
        return self.update_state not in ("", "ok")

    @property
    def ok(self) -> bool:
        return not self.issues()

    def issues(self) -> list[str]:
        flags = (("stale", self.stale), ("outdated", self.outdated),
                 ("config-refused", self.config_refused), ("failing", self.checks_failed > 0),
                 ("clock", self.clock_off), ("update-failed", self.update_failed))
        return [name for name, on in flags if on]

    def as_json(self) -> dict[str, Any]:
        return {
            "office": self.office,
            "counter": self.counter,
            "host": self.host,
            "version": self.version,
            "config_hash": self.config_hash,
            "seen_at": self.seen_at.isoformat(),
            "last_scan_at": self.last_scan_at.isoformat() if self.last_scan_at else None,
            "checks_failed": self.checks_failed,
            "checks_warned": self.checks_warned,
            "problems": self.problems,
            "clock_skew_s": self.clock_skew_s,
            "config_refused": self.config_refused,
            "update_state": self.update_state,
            "update_detail": self.update_detail,
            "issues": self.issues(),
        }


@dataclass(frozen=True)
class Fleet:
    now: dt.datetime
    latest_version: str
    counters: list[CounterStatus]

    @property
    def problems(self) -> list[CounterStatus]:
        return [c for c in self.counters if not c.ok]


def fleet_status(
    session: Session,
    *,
    stale_after: dt.timedelta = DEFAULT_STALE_AFTER,
    latest_version: str | None = None,
) -> Fleet:
    """Every counter that ever sent a heartbeat, problems first, then by name."""
    now = server_now(session)
    rows = _read_rows(session)
    latest = latest_version or ""
    for r in rows:
        if not r.damaged and (not latest or newer(r.version, latest)):
            latest = r.version
    last_case: dict[str, dt.datetime] = {}
    # raw values: a damaged date in one case must not stop the fleet view
    for counter, at in session.execute(
        text("SELECT counter, max(received_at) FROM cases GROUP BY counter")
    ):
        with contextlib.suppress(ValueError, TypeError):  # a damaged date: no "last case" from it
            last_case[counter] = _utc(at)
    out = []
    for r in rows:
        scan = r.last_scan_at
        case_at = last_case.get(r.counter)
        if case_at is not None and (scan is None or case_at > scan):
            scan = case_at
        out.append(
            CounterStatus(
                office=r.office,
                counter=r.counter,
                host=r.host,
                version=r.version,
                config_hash=r.config_hash,
                seen_at=r.seen_at,
                last_scan_at=scan,
                checks_failed=r.checks_failed,
                checks_warned=r.checks_warned,
                problems=r.problems,
                clock_skew_s=r.clock_skew_s,
                stale=r.damaged or now - r.seen_at > stale_after,
                outdated=bool(latest) and not r.damaged and newer(latest, r.version),
                config_refused=bool(r.config_refused),
                update_state=r.update_state or "",
                update_detail=r.update_detail or "",
            )
        )
    out.sort(key=lambda c: (c.ok, not c.failing, c.office, c.counter))
    return Fleet(now=now, latest_version=latest, counters=out)


# -- reading rows that programs outside ours may have written -------------------------

_COLUMNS = ("office", "counter", "host", "version", "config_hash", "checks_failed",
            "checks_warned", "doctor_summary", "last_scan_at", "seen_at", "clock_skew_s",
            "config_refused", "update_state", "update_detail")
_NEVER = dt.datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class _Row:
    office: str
    counter: str
    host: str
    version: str
    config_hash: str
    checks_failed: int
    checks_warned: int
    problems: list[dict[str, str]]
    last_scan_at: dt.datetime | None
    seen_at: dt.datetime
    clock_skew_s: int | None
    damaged: bool = False
    config_refused: bool = False
    update_state: str = ""
    update_detail: str = ""


def _utc(value: object) -> dt.datetime:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if not isinstance(value, dt.datetime):
        raise TypeError(f"not a time: {type(value).__name__}")
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 10_000:
        raise ValueError("not a count")
    return value


def _skew(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) > 10**9:
        raise ValueError("not a number of seconds")
    return value


def _problems(value: object) -> list[dict[str, str]]:
    try:
        items = json.loads(value) if isinstance(value, str) else None
    except (ValueError, RecursionError):  # RecursionError: JSON nested a million deep
        items = None
    if not isinstance(items, list):
        return [{"id": "summary", "status": "fail", "detail": "unreadable"}]
    return [{k: str(v)[:300] for k, v in p.items() if k in ("id", "status", "detail")}
            for p in items[:50] if isinstance(p, dict)]


def _read_rows(session: Session) -> list[_Row]:
    """Every heartbeat row, each read on its own: a row with garbage in a column (a bad date,
    text in a count, JSON nested too deep) is shown as that counter's problem, and the
    others are still listed."""
    raw = session.execute(text(f"SELECT {', '.join(_COLUMNS)} FROM counter_heartbeats"))
    rows = []
    for values in raw:
        v = dict(zip(_COLUMNS, values, strict=True))
        office, counter, host = (str(v[k] if v[k] is not None else "")[:64]
                                 for k in ("office", "counter", "host"))
        try:
            rows.append(_Row(
                office, counter, host, version=str(v["version"] or "")[:MAX_VERSION],
                config_hash=str(v["config_hash"] or "")[:64],
                checks_failed=_count(v["checks_failed"]), checks_warned=_count(v["checks_warned"]),
                problems=_problems(v["doctor_summary"]),
                last_scan_at=_utc(v["last_scan_at"]) if v["last_scan_at"] is not None else None,
                seen_at=_utc(v["seen_at"]),
                clock_skew_s=_skew(v["clock_skew_s"]),
                config_refused=bool(v["config_refused"]),
                update_state=str(v["update_state"] or "")[:16],
                update_detail=str(v["update_detail"] or "")[:200],
            ))
        except (ValueError, TypeError, OverflowError) as exc:
            rows.append(_Row(office, counter, host, version="?", config_hash="", checks_failed=1, checks_warned=0,
                             problems=[{"id": "heartbeat", "status": "fail",
                                        "detail": f"신호 행이 손상됨 / damaged heartbeat row: {exc}"[:200]}],
                             last_scan_at=None, seen_at=_NEVER, clock_skew_s=None, damaged=True))
    return rows
