"""The fleet: one heartbeat row per counter PC, and the list IT and admins read.

Each counter writes (upserts) its row at start and every few minutes while it
runs, and ``counter-app doctor`` writes it too: the program's version, the hash
of its signed configuration, the doctor's summary, the last scan. Times are the
*database server's* clock, so a counter whose own clock is wrong is still
judged fairly. :func:`fleet_status` lists every counter with what is wrong:
``stale`` (no heartbeat for a while: switched off or the program is not
running), ``outdated`` (older than the newest version in the office, or than
the version IT names), ``failing`` (a doctor check failed).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Integer, String, Text, func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Session, mapped_column

from records.models import UTC, Base, Case, UTCDateTime

DEFAULT_STALE_AFTER = dt.timedelta(minutes=15)
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
    }
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(Heartbeat).values(**values)
    update = {k: stmt.excluded[k] for k in values if k not in ("office", "counter")}
    if beat.last_scan_at is None:  # keep the last scan a previous heartbeat reported
        update.pop("last_scan_at")
    session.execute(stmt.on_conflict_do_update(index_elements=["office", "counter"], set_=update))
    return now


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

    @property
    def failing(self) -> bool:
        return self.checks_failed > 0

    @property
    def ok(self) -> bool:
        return not (self.stale or self.outdated or self.failing)

    def issues(self) -> list[str]:
        out = []
        if self.stale:
            out.append("stale")
        if self.outdated:
            out.append("outdated")
        if self.failing:
            out.append("failing")
        return out

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
    rows = list(session.scalars(select(Heartbeat)))
    latest = latest_version or ""
    for r in rows:
        if not latest or newer(r.version, latest):
            latest = r.version
    last_case: dict[str, dt.datetime] = {
        counter: at
        for counter, at in session.execute(
            select(Case.counter, func.max(Case.received_at)).group_by(Case.counter)
        )
    }
    out = []
    for r in rows:
        scan = r.last_scan_at
        case_at = last_case.get(r.counter)
        if case_at is not None:
            case_at = case_at.replace(tzinfo=UTC) if case_at.tzinfo is None else case_at
            if scan is None or case_at > scan:
                scan = case_at
        try:
            problems = json.loads(r.doctor_summary)
        except ValueError:
            problems = [{"id": "summary", "status": "fail", "detail": "unreadable"}]
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
                problems=problems if isinstance(problems, list) else [],
                clock_skew_s=r.clock_skew_s,
                stale=now - r.seen_at > stale_after,
                outdated=bool(latest) and newer(latest, r.version),
            )
        )
    out.sort(key=lambda c: (c.ok, not c.failing, c.office, c.counter))
    return Fleet(now=now, latest_version=latest, counters=out)
