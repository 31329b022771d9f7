"""Putting a counter window together: catalogue, keys, case store, devices, window.

Used by ``counter-app run`` (configured devices), ``counter-app demo``
(simulated ones), the screenshots and the tests, so they all exercise the
same wiring.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from decoding.forms.catalogue import Catalogue, default_catalogue
from decoding.keys import KeyRing
from records.db import sqlite_path
from records.store import CaseStore, sqlite_default_paths
from ui.backend import Backend
from ui.devices import DeviceAdapter, Opener, default_opener
from ui.draft import DraftStore
from ui.main_window import CounterWindow
from ui.session import PetitionSession
from ui.sound import Alert
from ui.wedge_filter import WedgeFilter

SCANNER_LABELS = {"serial": "QR 스캐너", "hid": "QR 스캐너", "camera": "QR 카메라",
                  "keyboard": "QR 스캐너(키보드)", "fake": "QR 스캐너(모의)"}  # fmt: skip


@dataclass
class CounterParts:
    window: CounterWindow
    session: PetitionSession
    store: CaseStore
    adapters: list[DeviceAdapter]
    wedge: WedgeFilter | None
    catalogue: Catalogue
    extra: dict[str, object] = field(default_factory=dict)

    def close(self) -> None:
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        if self.wedge is not None and isinstance(app, QApplication):
            self.wedge.uninstall(app)
        self.window.shutdown()
        self.window.close()
        self.window.deleteLater()
        self.store.close()


def label_for(name: str) -> str:
    return SCANNER_LABELS.get(name.split(":", 1)[0].lower(), name)


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
    catalogue: Catalogue | None = None,
    sound: bool = True,
    keyboard_filter: bool = True,
    restore: bool = True,
) -> CounterParts:
    """Everything a counter window needs, started (devices opened, draft restored)."""
    from PySide6.QtWidgets import QApplication

    catalogue = catalogue or default_catalogue()
    keyring = KeyRing.from_files(key_files, passphrase)
    db_file = sqlite_path(database_url)
    if db_file is not None:
        db_file.parent.mkdir(parents=True, exist_ok=True)
        attachments_dir, key_file = sqlite_default_paths(db_file)
    else:
        attachments_dir, key_file = data_dir / "attachments", data_dir / "data.key"
    from decoding.keys import load_private_key

    store = CaseStore(
        database_url, attachments_dir=attachments_dir, key_file=key_file,
        private_keys=[load_private_key(p, passphrase) for p in key_files],
    )  # fmt: skip
    from ui.store_intake import StoreIntake

    backend = Backend(catalogue, keyring, StoreIntake(store, office, clerk, counter))
    session = PetitionSession(backend, DraftStore(data_dir), clerk)
    adapters = [DeviceAdapter(n, label_for(n), opener) for n in scanners if n != "keyboard"]
    adapters += extra_devices or []
    wedge = None
    app = QApplication.instance()
    if keyboard_filter and "keyboard" in scanners and isinstance(app, QApplication):
        wedge = WedgeFilter()
        wedge.install(app)
    window = CounterWindow(
        session, catalogue, adapters, Alert(data_dir, enabled=sound),
        receipts_dir=data_dir / "receipts", office=office, counter=counter,
        seal_capture=seal_capture,
    )  # fmt: skip
    if wedge is not None:
        wedge.scanned.connect(session.submit_scan)
        wedge.dropped.connect(lambda msg: window.banner.show_message("warning", msg))
    for a in adapters:
        a.start()
    if restore:
        session.restore()
    return CounterParts(window, session, store, adapters, wedge, catalogue)
