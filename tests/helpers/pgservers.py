"""Throwaway PostgreSQL servers with logical replication on (the district tests and benchmark).

    with servers(3) as (office_a, office_b, district):
        url = office_a.url("postgres")        # a SQLAlchemy URL on 127.0.0.1
        office_a.stop(); office_a.start()     # an office going offline and coming back

Each server has its own data folder under a temporary directory, listens on
127.0.0.1 on a free port only and runs with ``wal_level=logical``; fsync is
off because nothing in it must survive a crash. As root the servers run as
the ``postgres`` user (PostgreSQL refuses root). Every server started is
stopped (immediately) and its folder removed when the ``with`` block ends.
Uses the PostgreSQL binaries of the Debian package ``postgresql`` (15 or
newer: publication column lists), the same as ``tests/records/pg.sh``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Bounded like an office should be: a subscription that stops reading cannot keep
# more than this much WAL on the office's disk (the slot is invalidated instead).
MAX_SLOT_WAL_KEEP = "256MB"


class PgUnavailable(RuntimeError):
    """PostgreSQL (15 or newer) is not installed on this machine."""


def bindir() -> Path:
    """The newest PostgreSQL's binaries (15 or newer)."""
    found = []
    for d in Path("/usr/lib/postgresql").glob("*/bin"):
        if d.parent.name.isdigit() and (d / "initdb").exists():
            found.append((int(d.parent.name), d))
    found = [f for f in found if f[0] >= 15]
    if not found:
        raise PgUnavailable("PostgreSQL 15+ is not installed (apt-get install -y postgresql)")
    return max(found)[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """One throwaway server: ``url(db)``, ``stop()``, ``start()``."""

    def __init__(self, root: Path, name: str, settings: dict[str, str] | None = None) -> None:
        self.bin = bindir()
        self.dir = root / name
        self.dir.mkdir()
        self.port = _free_port()
        self.settings = {
            "listen_addresses": "127.0.0.1", "port": str(self.port),
            "unix_socket_directories": str(self.dir), "fsync": "off",
            "synchronous_commit": "off", "full_page_writes": "off", "max_connections": "100",
            "wal_level": "logical", "max_wal_senders": "40", "max_replication_slots": "40",
            "max_logical_replication_workers": "40", "max_worker_processes": "48",
            "max_slot_wal_keep_size": MAX_SLOT_WAL_KEEP, "wal_sender_timeout": "10s",
            "wal_receiver_timeout": "10s", "wal_retrieve_retry_interval": "1s",
            "shared_buffers": "16MB",
        } | (settings or {})
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        self._run([str(self.bin / "initdb"), "-D", str(self.dir / "data"), "-U", "postgres",
                   "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"], "initdb.log")
        self.running = False

    def _run(self, argv: list[str], log: str) -> None:
        cmd = " ".join(f"'{a}'" for a in argv) + f" >'{self.dir / log}' 2>&1"
        if os.geteuid() == 0:
            argv = ["su", "postgres", "-s", "/bin/sh", "-c", cmd]
        else:
            argv = ["/bin/sh", "-c", cmd]
        done = subprocess.run(argv, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{argv[-1]} failed:\n" + (self.dir / log).read_text(errors="replace"))

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def libpq(self, database: str = "postgres") -> str:
        """The connection string another server's subscription uses to reach this one."""
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={database}"

    def start(self) -> None:
        opts = " ".join(f"-c {k}={v}" for k, v in self.settings.items())
        self._run([str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-l",
                   str(self.dir / "server.log"), "-w", "-t", "60", "-o", opts, "start"],
                  "pg_ctl.log")
        self.running = True

    def stop(self) -> None:
        if self.running:
            self._run([str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "fast",
                       "-w", "stop"], "pg_ctl.log")
            self.running = False


@contextlib.contextmanager
def servers(n: int, settings: dict[str, str] | None = None) -> Iterator[list[Server]]:
    """``n`` running servers, all stopped and removed afterwards."""
    root = Path(tempfile.mkdtemp(prefix="counter-district-pg."))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    started: list[Server] = []
    try:
        for i in range(n):
            server = Server(root, f"pg{i}", settings)
            started.append(server)
            server.start()
        yield started
    finally:
        for server in started:
            with contextlib.suppress(RuntimeError):
                server.stop()
        shutil.rmtree(root, ignore_errors=True)
