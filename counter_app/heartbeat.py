"""The counter's heartbeat into the office database (see :mod:`records.fleet`).

:func:`send` runs the doctor (its summary goes with the heartbeat) and upserts
the counter's row. :class:`HeartbeatThread` does it at start and every few
minutes while the window runs; ``counter-app doctor`` sends one too. A
heartbeat that cannot be written is logged and dropped: it must never stop a
counter from working.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import platform
import threading
import tomllib
from pathlib import Path

from counter_app import __version__
from counter_app.config import Settings
from counter_app.doctor import Report, run_doctor
from records import db
from records.fleet import HEARTBEAT_INTERVAL, Beat, write_heartbeat

log = logging.getLogger(__name__)


def update_summary(data_dir: Path) -> tuple[str, str]:
    """(state, detail) of the counter's updates for the fleet: "ok", "" or a failure's kind."""
    from counter_app import update

    st = update.state(data_dir)
    last = st["last"] or {}
    if st["blocked"]:
        kind = "blocked"
    elif last:
        kind = "ok" if last.get("ok") else str(last.get("kind") or "failed")
    else:
        kind = ""
    detail = {"running": st["running"], "staged": st["staged"], "channel": st["channel"],
              "action": last.get("action"), "at": last.get("at"),
              "message": str((st["blocked"] or {}).get("message") or last.get("message") or "")[:300]}
    return kind, json.dumps(detail, ensure_ascii=False)


def _refused(report: Report) -> Settings | None:
    """Where a counter whose configuration was refused reports it: the office, counter and
    database its file names, read without trusting them (only this heartbeat goes there)."""
    path = report.config_path
    if report.settings is not None or path is None or not path.is_file():
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    text = {k: v for k, v in data.items() if isinstance(v, str)}
    if not text.get("database"):
        return None  # a file of its own SQLite database: nobody else would read it
    return Settings(data_dir=Path(text.get("data_dir", ".")), office=text.get("office", "?"),
                    counter=text.get("counter", "?"), database=text["database"])


def beat_of(report: Report, last_scan_at: dt.datetime | None = None) -> Beat | None:
    s = report.settings or _refused(report)
    if s is None:
        return None
    state, detail = update_summary(s.data_dir) if report.settings else ("", "")
    return Beat(
        office=s.office,
        counter=s.counter,
        host=platform.node() or "?",
        version=__version__,
        config_hash=report.config_hash,
        checks_failed=report.count("fail"),
        checks_warned=report.count("warn"),
        problems=report.problems(),
        last_scan_at=last_scan_at,
        clock_skew_s=report.clock_skew_s,
        config_refused=report.settings is None,
        update_state=state,
        update_detail=detail,
    )


def send(report: Report, last_scan_at: dt.datetime | None = None) -> bool:
    """Write the heartbeat of this report; False (logged) when the database cannot take it."""
    beat = beat_of(report, last_scan_at)
    settings = report.settings or _refused(report)
    if beat is None or settings is None:
        return False
    url = settings.database_url
    db_file = db.sqlite_path(url)
    if db_file is not None and not db_file.is_file():
        return False  # never create the database to say hello
    engine = db.make_engine(url, busy_timeout=5)
    try:
        if not db.schema_state(engine, url).runs_here:
            return False
        db.run_write(engine, url, lambda s: write_heartbeat(s, beat))
        return True
    except Exception as exc:  # never stop the counter over a heartbeat
        log.warning("heartbeat not written: %s", exc)
        return False
    finally:
        engine.dispose()


class HeartbeatThread:
    """At start and every ``interval``: doctor + heartbeat, on a daemon thread.

    ``last_scan`` is asked each time (the window's last scan time, or None).
    """

    def __init__(
        self,
        config: Path | None,
        last_scan: object = None,
        interval: dt.timedelta = HEARTBEAT_INTERVAL,
    ) -> None:
        self._config = config
        self._last_scan = last_scan
        self._interval = interval.total_seconds()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)

    def start(self) -> HeartbeatThread:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        bundle = None  # the bundle's files are hashed once, at start
        while not self._stop.is_set():
            try:
                scan = self._last_scan() if callable(self._last_scan) else None
                report = run_doctor(self._config, in_window=True, bundle=bundle)
                bundle = next((c for c in report.checks if c.id == "bundle"), None)
                send(report, scan if isinstance(scan, dt.datetime) else None)
            except Exception:  # pragma: no cover - logged, the counter goes on
                log.exception("heartbeat failed")
            self._stop.wait(self._interval)


class Background:
    """What the counter window runs beside itself for IT: heartbeats and one update check."""

    def __init__(self, config: Path | None, last_scan: object = None) -> None:
        self.heartbeat = HeartbeatThread(config, last_scan)
        self._update = threading.Thread(
            target=self._check_update, args=(config,), name="update-check", daemon=True
        )

    def start(self) -> Background:
        self.heartbeat.start()
        self._update.start()
        return self

    def stop(self) -> None:
        self.heartbeat.stop()

    @staticmethod
    def _check_update(config: Path | None) -> None:
        """Download, verify and stage a newer version (applied at the next start)."""
        from counter_app import update
        from counter_app.config import load_settings
        from counter_app.update_files import releases_dir

        if update.repository_url() is None or update.trust_root() is None:
            return
        try:
            data_dir = load_settings(config).data_dir
            folder = releases_dir(data_dir)
            probe = folder if folder.exists() else folder.parent
            if probe.exists() and not os.access(probe, os.W_OK):
                return  # the machine's program folder: its update task (as SYSTEM) checks
            staged = update.check(data_dir)
            if staged is not None:
                log.warning(
                    "update %s verified and staged: applied at the next start", staged.version
                )
        except Exception as exc:  # refused or unreachable: logged, the counter goes on
            log.warning("update check: %s", exc)


def start_background(config: Path | None, last_scan: object = None) -> Background:
    """Start the log file, the heartbeat (now and every few minutes) and one update check."""
    from counter_app import logfile
    from counter_app.config import ConfigError, load_settings

    try:
        logfile.install(load_settings(config).data_dir)
    except (ConfigError, OSError) as exc:  # the window says what is wrong; stderr still logs
        log.warning("no log file: %s", exc)
    return Background(config, last_scan).start()
