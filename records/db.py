"""Opening the case database: engines, migrations, and transactions that retry.

SQLite (the default, one file in the data folder) runs in WAL mode so that
lists and searches never wait for a writer, with ``synchronous=FULL`` so that
a committed case survives a power cut, and a busy timeout. Every write
transaction starts with ``BEGIN IMMEDIATE``: writers from several processes
queue up at the start instead of failing half-way with ``database is
locked``. Read-only transactions start ``DEFERRED`` and never block.

PostgreSQL (an office server) needs nothing special: writers serialise on
row locks (``SELECT ... FOR UPDATE``) taken by :mod:`records.store`.

Errors of the driver become :class:`records.errors.RecordsError` with a
message for the clerk: unreachable, locked, or disk full.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from records.errors import (
    DatabaseDamaged,
    DatabaseLocked,
    DatabaseUnavailable,
    ReadOnlyStorage,
    RecordsError,
    SchemaOutdated,
    StorageFull,
)

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
DEFAULT_BUSY_TIMEOUT = 20.0
# An arbitrary constant: the PostgreSQL advisory lock that serialises migrations.
_PG_MIGRATION_LOCK = 0x4D57_3144
_BEGIN_OPTION = "counter_sqlite_begin"

T = TypeVar("T")


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL, or None for a server or an in-memory database."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    database = u.database
    if u.query.get("uri") in ("true", "1") and database.startswith("file:"):
        # sqlite:///file:PATH?mode=ro&uri=true (read-only): the file is PATH
        database = database.removeprefix("file:").split("?")[0]
        if not database or database == ":memory:" or u.query.get("mode") == "memory":
            return None
    return Path(database)


def make_engine(url: str, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> Engine:
    """An engine for ``url``; on SQLite with WAL, FULL sync, foreign keys and IMMEDIATE writers."""
    u = make_url(url)
    if u.get_backend_name() == "postgresql" and u.get_driver_name() == "psycopg":
        # A writer waiting on another counter's lock gives up like SQLite's busy
        # timeout does, and an unreachable server is reported instead of hanging.
        return create_engine(u, pool_pre_ping=True, connect_args={
            "connect_timeout": 10,
            "options": f"-c lock_timeout={int(busy_timeout * 1000)}",
        })
    if u.get_backend_name() != "sqlite":
        return create_engine(u, pool_pre_ping=True)
    engine = create_engine(
        u, connect_args={"timeout": busy_timeout, "check_same_thread": False}
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own
        # implicit BEGIN would be DEFERRED and come too late).
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        _write_ahead_log(cur, busy_timeout)
        cur.execute("PRAGMA synchronous = FULL")
        cur.execute("PRAGMA foreign_keys = ON")
        # Deleted content (retention purge) is overwritten with zeros, not left in free pages.
        cur.execute("PRAGMA secure_delete = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get(_BEGIN_OPTION, "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def _write_ahead_log(cur: Any, busy_timeout: float) -> None:
    """Put the database in WAL mode (it stays so, in the file). Switching needs the file to
    itself, and SQLite answers "database is locked" at once, without its busy timeout,
    while another connection holds it (found: stores opening a new database at once, one
    migrating, another connecting; 1 run in 15). Asked first, so an open database in WAL
    mode is never locked for it; retried until the busy timeout otherwise."""
    deadline = time.monotonic() + busy_timeout
    delay = 0.01
    while True:
        try:
            if str(cur.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                cur.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc).lower() or time.monotonic() + delay > deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.25)


def reader(engine: Engine) -> Engine:
    """The same engine for read-only work: on SQLite its transactions start DEFERRED."""
    if engine.dialect.name != "sqlite":
        return engine
    return engine.execution_options(**{_BEGIN_OPTION: "DEFERRED"})


def translate(exc: BaseException, url: str) -> RecordsError:
    """A driver error as a message the clerk can act on."""
    where = make_url(url).render_as_string(hide_password=True)
    orig = getattr(exc, "orig", exc)
    text_ = str(orig).lower()
    sqlstate = getattr(orig, "sqlstate", None) or ""
    db_file = sqlite_path(url)
    if any(w in text_ for w in ("locked", "busy", "lock timeout", "deadlock", "serialize")):
        return DatabaseLocked(
            "데이터베이스가 다른 창구나 프로그램에 의해 잠겨 있어 저장하지 못했습니다. "
            "잠시 후 다시 시도해 주세요. 입력한 내용은 그대로 있습니다.",
            "The database is locked by another counter or program; nothing was saved. "
            "Try again in a moment; what you entered is kept.",
            {"database": where},
        )
    if "disk is full" in text_ or "disk full" in text_ or "no space" in text_ \
            or sqlstate == "53100":
        return StorageFull(
            "디스크가 가득 차서 저장하지 못했습니다. 전산 담당자에게 연락해 주세요. "
            "입력한 내용은 그대로 있습니다.",
            "The disk is full; nothing was saved. Call IT staff; what you entered is kept.",
            {"database": where},
        )
    if "readonly" in text_ or "read-only" in text_ or sqlstate == "25006" \
            or "permission denied" in text_ or sqlstate == "42501":
        return ReadOnlyStorage(
            "데이터베이스에 쓸 수 없습니다 (읽기 전용이거나 권한이 없습니다). 파일과 폴더의 "
            "쓰기 권한을 전산 담당자에게 확인해 주세요. 입력한 내용은 그대로 있습니다.",
            "The database cannot be written: it is read-only or this user has no permission. "
            "Ask IT staff to check the write permission of the file and its folder; what you "
            "entered is kept.",
            {"database": where},
        )
    if any(w in text_ for w in ("not a database", "malformed", "disk image", "file is encrypted",
                                "database corrupt", "no such table", "no such column")):
        return damaged(where, str(orig).splitlines()[0][:300] if str(orig) else "")
    if db_file is not None:
        return DatabaseUnavailable(
            f"데이터베이스 파일을 열 수 없습니다: {db_file}. 폴더가 있는지, 권한이 있는지 "
            "전산 담당자에게 확인해 주세요. 입력한 내용은 그대로 있습니다.",
            f"The database file {db_file} cannot be opened: check that its folder exists and "
            "that this user may use it, or call IT staff; what you entered is kept.",
            {"database": where, "reason": str(orig).splitlines()[0][:300] if str(orig) else ""},
        )
    return DatabaseUnavailable(
        "데이터베이스에 연결할 수 없습니다. 네트워크와 서버 상태를 확인하거나 전산 담당자에게 "
        "연락해 주세요. 입력한 내용은 그대로 있습니다.",
        "The case database cannot be reached. Check the network and the server, or call IT "
        "staff; what you entered is kept.",
        {"database": where, "reason": str(orig).splitlines()[0][:300] if str(orig) else ""},
    )


def damaged(where: str, reason: str) -> DatabaseDamaged:
    return DatabaseDamaged(
        f"데이터베이스 파일이 손상되었거나 데이터베이스가 아닙니다: {where}. 아무것도 쓰지 "
        "않았습니다. 백업에서 복구하도록 전산 담당자에게 연락해 주세요.",
        f"The database {where} is damaged or is not a case database"
        + (f" ({reason})" if reason else "")
        + "; nothing was written. Call IT staff to restore it from a backup.",
        {"database": where, "reason": reason},
    )


# PostgreSQL's "deadlock detected" and "could not serialize": the transaction
# was rolled back and may simply run again. (The store takes its locks in one
# order, so these should not happen; retrying is the standard answer if they do.)
_RETRY_SQLSTATES = ("40P01", "40001")


def _is_locked(exc: BaseException) -> bool:
    orig = getattr(exc, "orig", exc)
    if getattr(orig, "sqlstate", None) in _RETRY_SQLSTATES:
        return True
    text_ = str(orig).lower()
    return ("database is locked" in text_ or "database is busy" in text_
            or "lock timeout" in text_)


def run_write(
    engine: Engine, url: str, work: Callable[[Session], T], *, attempts: int = 3
) -> T:
    """Run ``work`` in one write transaction and commit; retry while the database is locked.

    ``work`` must be safe to run again from the start: the failed attempt was
    rolled back entirely.
    """
    delay = 0.05
    for attempt in range(1, attempts + 1):
        try:
            with Session(engine, expire_on_commit=False) as session, session.begin():
                return work(session)
        except (ValueError, TypeError) as exc:
            _raise_if_damaged(engine, url, exc)
            raise
        except OperationalError as exc:
            if _is_locked(exc) and attempt < attempts:
                log.warning("database locked, attempt %d of %d; retrying", attempt, attempts)
                time.sleep(delay)
                delay *= 2
                continue
            raise translate(exc, url) from exc
        except DBAPIError as exc:
            if _is_locked(exc) and attempt < attempts:
                time.sleep(delay)
                delay *= 2
                continue
            if isinstance(exc, IntegrityError):
                raise  # the store turns a duplicate payload into MW_REPLAY
            raise translate(exc, url) from exc
    raise AssertionError("unreachable")


@contextmanager
def read_session(engine: Engine, url: str) -> Iterator[Session]:
    """A read-only session; driver failures become clear errors."""
    try:
        with Session(reader(engine), expire_on_commit=False) as session, session.begin():
            yield session
    except DBAPIError as exc:
        raise translate(exc, url) from exc
    except (ValueError, TypeError) as exc:
        _raise_if_damaged(engine, url, exc)
        raise


def _raise_if_damaged(engine: Engine, url: str, exc: BaseException) -> None:
    """A value that SQLAlchemy could not read back (text in a date column): DB_DAMAGED naming
    the table, row and column. Any other ValueError is left as it was."""
    from records.damage import damaged_row, locate

    bad = locate(engine)
    if bad is not None:
        raise damaged_row(bad, url) from exc


def _alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine, url: str) -> str | None:
    try:
        with reader(engine).connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except DBAPIError as exc:
        raise translate(exc, url) from exc
    except CommandError as exc:  # more than one row in alembic_version, and the like
        raise damaged(make_url(url).render_as_string(hide_password=True), str(exc)) from exc


def upgrade(engine: Engine, url: str) -> bool:
    """Bring the schema to the newest revision; True when something was applied.

    The whole migration is one transaction of the database: on PostgreSQL its
    DDL rolls back with it (and an advisory lock makes a second counter starting
    at the same moment wait, then find the work done); on SQLite it runs under
    an exclusive lock (``BEGIN EXCLUSIVE``) that other counters' writers wait on
    for up to their busy timeout, and a failure rolls everything back. A
    migration that fails leaves the database exactly as it was, with every case
    other counters wrote before or after it.

    A database already migrated by a newer release that still runs this one
    (its ``schema.oldest_reader``, see :func:`schema_state`) is left alone.
    """
    state = schema_state(engine, url)
    if state.kind == "ahead" and not state.runs_here:
        raise state.error()
    if state.kind != "behind":  # current, or a newer release's expanded schema
        return False
    try:
        with engine.execution_options(**{_BEGIN_OPTION: "EXCLUSIVE"}).begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
            before = MigrationContext.configure(conn).get_current_revision()
            if before == state.head:
                return False
            if before is not None and not _known(before):
                ahead = True  # another counter's newer release migrated it meanwhile
            else:
                ahead = False
                log.info("upgrading the case database from %s to %s", before, state.head)
                command.upgrade(_alembic_config(conn), "head")
                conn.execute(
                    text("INSERT INTO meta (key, value) VALUES (:k, :v) "
                         "ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
                    {"k": OLDEST_READER_KEY, "v": f"{oldest_reader_of(state.head)}@{state.head}"},
                )
    except DBAPIError as exc:
        raise translate(exc, url) from exc
    except CommandError as exc:  # e.g. a revision this program does not know
        raise unknown_revision(engine, url, exc) from exc
    if ahead:
        later = schema_state(engine, url)
        if not later.runs_here:
            raise later.error()
        return False
    return True


def unknown_revision(engine: Engine, url: str, exc: BaseException) -> SchemaOutdated:
    current = None
    with suppress(RecordsError):
        current = current_revision(engine, url)
    return SchemaOutdated(
        f"데이터베이스 구조 버전({current})을 이 프로그램이 모릅니다. 더 새로운 프로그램이 만들었거나 "
        "손상되었습니다. 프로그램을 업데이트하거나 전산 담당자에게 연락해 주세요.",
        f"This program does not know the database's schema revision ({current}): a newer "
        "program made it, or it is damaged. Update the program or call IT staff.",
        {"revision": current, "reason": str(exc)[:300]},
    )


def require_current(engine: Engine, url: str) -> None:
    """Refuse to work on a database whose schema this program does not run on.

    It runs on its own head revision, and on a newer release's schema whose
    ``schema.oldest_reader`` is a revision this program knows (an *expand*
    migration: the staged roll-out, where the pilot counters run release N and
    the others N-1 on the same database).
    """
    state = schema_state(engine, url)
    if not state.runs_here:
        raise state.error()


# -- which releases run on which schema (expand, then contract) ---------------

# The meta row that says the oldest revision whose program still runs on this
# schema, as ``READER@REVISION``: written with every upgrade from the head
# migration's ``oldest_reader`` (an expand migration names the revision before
# it, a contract one itself), and believed only while the schema is REVISION
# (a program that migrated without saying so leaves a statement that is not its own).
OLDEST_READER_KEY = "schema.oldest_reader"


def _script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(_alembic_config())


def _known(revision: str) -> bool:
    try:
        return _script_directory().get_revision(revision) is not None
    except Exception:  # alembic raises several kinds for an unknown id
        return False


def oldest_reader_of(revision: str) -> str:
    """The oldest revision whose program runs on the schema of ``revision`` (default: itself)."""
    script = _script_directory().get_revision(revision)
    assert script is not None
    value = getattr(script.module, "oldest_reader", None)
    return value if isinstance(value, str) else revision


@dataclass(frozen=True)
class SchemaState:
    """Where the database's schema stands for this program.

    ``kind``: ``current`` (its head), ``behind`` (needs ``db upgrade``; also an
    empty database), ``ahead`` (a newer release migrated it). ``runs_here``:
    this program may work on it (current, or ahead with a compatible reader).
    """

    current: str | None
    head: str
    kind: str
    oldest_reader: str | None
    runs_here: bool

    def error(self) -> SchemaOutdated:
        if self.kind == "ahead":
            return SchemaOutdated(
                f"데이터베이스가 더 새로운 프로그램의 구조({self.current})로 바뀌었고, 그 구조는 "
                f"{self.oldest_reader or '?'} 이전 프로그램에서 동작하지 않습니다. 이 창구를 업데이트"
                "하세요 (counter-app update check).",
                f"A newer release migrated the database to {self.current}, which no longer runs "
                f"programs before {self.oldest_reader or '?'} (this one needs {self.head}): "
                "update this counter (counter-app update check).",
                {"revision": self.current, "head": self.head, "oldest_reader": self.oldest_reader},
            )
        return SchemaOutdated(
            f"데이터베이스 구조가 이 프로그램과 맞지 않습니다 (현재 {self.current}, 필요 {self.head}). "
            "'counter-app db upgrade' 를 실행해 주세요.",
            f"The database schema is {self.current}, this program needs {self.head}. "
            "Run 'counter-app db upgrade'.",
            {"revision": self.current, "head": self.head},
        )


def schema_state(engine: Engine, url: str) -> SchemaState:
    current = current_revision(engine, url)
    head = head_revision()
    if current == head:
        return SchemaState(current, head, "current", None, True)
    if current is None or _known(current):
        return SchemaState(current, head, "behind", None, False)
    try:
        with reader(engine).connect() as conn:
            value = conn.execute(
                text("SELECT value FROM meta WHERE key = :k"), {"k": OLDEST_READER_KEY}
            ).scalar()
    except DBAPIError as exc:
        raise translate(exc, url) from exc
    said, _, said_for = value.partition("@") if isinstance(value, str) else ("", "", "")
    oldest = said if said and said_for == current else None
    return SchemaState(current, head, "ahead", oldest, oldest is not None and _known(oldest))


def refuse_emptied_file(url: str, attachments_dir: Path, key_file: Path | None) -> None:
    """A SQLite file of 0 bytes beside a data key or stored files was a database once
    (truncated, or overwritten): opening it would make a new, empty database and
    case numbers would start again at 000001. Refuse; only a backup can help."""
    db_file = sqlite_path(url)
    if db_file is None:
        return
    try:
        empty = db_file.is_file() and db_file.stat().st_size == 0
    except OSError:
        return  # make_engine and the first query report it
    if not empty:
        return
    used = (key_file is not None and key_file.exists()) or (
        attachments_dir.is_dir() and any(attachments_dir.iterdir()))
    if used:
        raise DatabaseDamaged(
            f"데이터베이스 파일이 비어 있습니다 (0바이트): {db_file}. 잘렸거나 지워진 것으로 "
            "보입니다. 새로 만들면 접수번호가 000001부터 다시 시작되므로 열지 않았습니다. "
            "백업에서 복구하도록 전산 담당자에게 연락해 주세요.",
            f"The database file {db_file} is empty (0 bytes) although its data key or files "
            "exist: it was truncated or wiped. It was not re-created (case numbers would start "
            "again at 000001). Call IT staff to restore it from a backup.",
            {"database": str(db_file)},
        )
