"""Putting a counter window together: catalogue, keys, case store, devices, window.

Used by ``counter-app run`` (configured devices), ``counter-app demo``
(simulated ones), the screenshots and the tests, so they all exercise the
same wiring.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from counter_app.config import Settings
from counter_app.intake import IntakeService, open_store
from decoding.forms.catalogue import Catalogue, default_catalogue
from decoding.keys import KeyRing
from records.store import CaseStore
from ui.backend import Backend
from ui.devices import DeviceAdapter, Opener, default_opener
from ui.draft import DraftStore
from ui.main_window import CounterWindow
from ui.session import PetitionSession
from ui.sound import Alert
from ui.store_intake import StoreIntake
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
    # The same store and intake service as ``counter-app intake``: one workflow.
    settings = Settings(data_dir=data_dir, office=office, counter=counter, clerk=clerk,
                        database=database_url)  # fmt: skip
    store = open_store(settings, keyring)
    service = IntakeService(keyring, store, office=office, catalogue=catalogue)
    backend = Backend(catalogue, keyring, StoreIntake(service, clerk, counter))
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
