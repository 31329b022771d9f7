"""Putting a counter window together: catalogue, keys, case store, devices, window.

Used by ``counter-app run`` (configured devices), ``counter-app demo``
(simulated ones), the screenshots and the tests, so they all exercise the
same wiring.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import make_url

from counter_app.auth import office_keys
from counter_app.config import Settings
from counter_app.desk import Desk, Opening
from counter_app.intake import IntakeService, open_store
from counter_app.review import ReviewService
from counter_app.scanner_profile import wedge_detector
from decoding.forms import Catalogue, default_catalogue
from decoding.keys import KeyRing
from drivers.base import Connection
from drivers.sources import label_of
from records.db import sqlite_path
from records.errors import RecordsError
from records.store import CaseStore
from ui.counter.calibrate import add_calibration_shortcut
from ui.counter.devices import DeviceAdapter, Opener, StatusDevice, default_opener
from ui.counter.draft import DraftStore
from ui.counter.main_window import CounterWindow
from ui.counter.session import PetitionSession
from ui.counter.wedge_filter import WedgeFilter
from ui.widgets.i18n import tr
from ui.widgets.sound import Alert


@dataclass
class CounterParts:
    window: CounterWindow
    session: PetitionSession
    desk: Desk
    adapters: list[DeviceAdapter]
    wedge: WedgeFilter | None
    catalogue: Catalogue
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def store(self) -> CaseStore:
        """The case store, once the worker has opened it (waits up to a minute)."""
        return self.desk.wait(60).store

    def close(self) -> None:
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        if self.wedge is not None and isinstance(app, QApplication):
            self.wedge.uninstall(app)
        self.window.shutdown()
        self.window.close()
        self.window.deleteLater()
        opened = self.desk.opened  # the worker has stopped: the open ran or never will
        if opened is not None:
            opened.store.close()


def build_counter(
    *,
    data_dir: Path,
    database_url: str,
    key_files: list[Path],
    passphrase: bytes | None = None,
    office: str,
    counter: str,
    clerk: str,
    scanners: list[str],
    opener: Opener = default_opener,
    extra_devices: list[DeviceAdapter] | None = None,
    seal_capture: Callable[[], str] | None = None,
    document_capture: Callable[[], str] | None = None,
    document_camera: str = "document-camera",
    catalogue: Catalogue | None = None,
    sound: bool = True,
    keyboard_filter: bool = True,
    restore: bool = True,
    on_database_error: Callable[[BaseException], None] | None = None,
) -> CounterParts:
    """Everything a counter window needs, started (devices opened, draft restored).

    The case database is opened on the session's worker, as its first task:
    the window shows at once ("데이터베이스 여는 중…") and scans wait in the
    worker's queue until it is open. If it cannot be opened, the window says
    so in a banner and ``on_database_error`` is called (``counter-app run``
    shows a dialog and exits with 1).
    """
    from PySide6.QtWidgets import QApplication

    catalogue = catalogue or default_catalogue()
    keyring = KeyRing.from_files(key_files, passphrase)
    # The same store and intake service as ``counter-app intake``: one workflow.
    settings = Settings(data_dir=data_dir, office=office, counter=counter, clerk=clerk,
                        database=database_url)

    def open_service() -> IntakeService:  # on the worker thread
        store = open_store(settings, keyring, refuse_shared=True)  # one PC per SQLite file
        return IntakeService(keyring, store, office=office, catalogue=catalogue)

    opening = Opening(open_service)
    desk = Desk(opening, clerk=clerk, counter=counter)
    session = PetitionSession(desk, catalogue, DraftStore(data_dir))
    # The keyboard wedge has no thread of its own: its chip shows what the filter saw.
    keyboard = StatusDevice("keyboard", label_of("keyboard"))
    adapters: list[DeviceAdapter] = [
        keyboard if n == "keyboard" else DeviceAdapter(n, label_of(n), opener) for n in scanners
    ]
    adapters += extra_devices or []
    document_device = None
    if document_capture is not None:
        document_device = StatusDevice(document_camera, "실물화상기")
        adapters.append(document_device)
    wedge = None
    app = QApplication.instance()
    if keyboard_filter and "keyboard" in scanners and isinstance(app, QApplication):
        wedge = WedgeFilter(wedge_detector(data_dir))  # the scanner set-up's prefix/suffix
        wedge.install(app)
    window = CounterWindow(
        session, catalogue, adapters, Alert(data_dir, enabled=sound),
        receipts_dir=data_dir / "receipts", office=office, counter=counter,
        seal_capture=seal_capture, document_capture=document_capture,
        document_device=document_device,
    )
    if wedge is not None:
        wedge.scanned.connect(session.submit_scan)
        wedge.scanned.connect(lambda _text, _src: keyboard.scanned_now())
        wedge.dropped.connect(lambda msg: window.banner.show_message("warning", msg))
        add_calibration_shortcut(window, wedge, data_dir)

    def failed(exc: BaseException) -> None:
        window.database_failed(exc)
        if on_database_error is not None:
            on_database_error(exc)

    window.database_opening()
    session.runner.submit(opening.open, lambda _: window.database_ready(), failed)
    for a in adapters:
        a.start()
    if "keyboard" in scanners and wedge is None:
        keyboard.mark(Connection.ERROR, tr("키보드 스캔 필터가 꺼져 있습니다"))
    if restore:
        session.restore()
    return CounterParts(window, session, desk, adapters, wedge, catalogue)


def make_opener(
    settings: Settings, url: str | None = None, *, catalogue: Catalogue | None = None,
    attachments_dir: Path | None = None, key_file: Path | None = None,
) -> Callable[[], ReviewService]:
    """A function (for the worker thread) opening the case database for review.

    The office keys are loaded when configured: they open the data key, which
    the audited RRN reveal needs. The schema is not migrated from here
    (``migrate=False``): a review never changes a database's structure.
    """
    db_url = url or settings.database_url
    _import_driver(db_url)

    def open_service() -> ReviewService:
        db_file = sqlite_path(db_url)
        if db_file is not None and not db_file.is_file():
            raise RecordsError(f"데이터베이스 파일이 없습니다: {db_file}",
                               f"database file not found: {db_file}",
                               {"database": str(db_file)})
        keyring = office_keys(settings)
        store = open_store(settings, keyring, url=db_url, attachments_dir=attachments_dir,
                           key_file=key_file, migrate=False)
        try:
            return ReviewService(store, catalogue or default_catalogue(), clerk=settings.clerk,
                                 counter=settings.counter, home_office=settings.office,
                                 office_name=settings.office_name)
        except BaseException:
            store.close()
            raise

    return open_service


def _import_driver(url: str) -> None:
    """Import the database driver here, on the GUI thread.

    A first import inside a worker thread runs PySide's import hook there while
    the GUI thread may be collecting garbage, which crashed the test run
    (segfault in ``shibokensupport.feature``). A missing driver or a malformed
    URL is left for the worker to report on the window.
    """
    # A failure is reported by open_service, where the window shows it.
    with contextlib.suppress(Exception):
        make_url(url).get_dialect().import_dbapi()
