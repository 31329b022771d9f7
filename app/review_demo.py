"""A day of demo cases for the review window, and its screenshots.

The cases go through the real intake service (:class:`counter_app.intake.IntakeService`)
from the demo kit's QR texts, pages and seals: the review window's tests and
screenshots look at what a counter really writes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop
from PySide6.QtWidgets import QApplication

from counter_app.config import Settings
from counter_app.demo import DemoKit, build_demo
from counter_app.intake import IntakeService, open_store
from decoding.forms.catalogue import Catalogue, default_catalogue
from decoding.keys import KeyRing
from records.views import Receipt

OFFICE = "3210000"


@dataclass(frozen=True)
class DemoDay:
    settings: Settings
    receipts: dict[str, Receipt]  # by sample name


def demo_settings(folder: Path, kit: DemoKit) -> Settings:
    return Settings(data_dir=folder / "data", office=OFFICE, counter="민원1", clerk="supervisor",
                    keys=[kit.private_key])


def fill_day(folder: Path, kit: DemoKit, catalogue: Catalogue) -> DemoDay:
    """Five petitions of today, as two clerks took them; one corrected, one returned, one completed."""
    settings = demo_settings(folder, kit)
    keyring = KeyRing.from_files([kit.private_key])
    store = open_store(settings, keyring)
    receipts: dict[str, Receipt] = {}
    try:
        service = IntakeService(keyring, store, office=OFFICE, catalogue=catalogue)
        id_card, poa, delegate_id = kit.pages[:3]
        plan: list[tuple[str, list[Path], Path | None, str, str, list[tuple[str, object, object]]]] = [
            ("resident-copy", [id_card], kit.seals[0], "kim", "민원1", []),
            ("mail-order", [], None, "kim", "민원1", []),
            ("proxy-resident-copy", [poa, delegate_id, id_card], kit.seals[0], "lee", "민원2",
             [("delegate.phone", "010-9876-5432", "010-9876-5433")]),
            ("info-request-3parts", [], None, "lee", "민원2", []),
            ("family-cert-warning", [id_card], kit.seals[1], "kim", "민원1",
             [("applicant.phone", "010-1234-5678", "010-2222-3333")]),
        ]
        for name, pages, seal, clerk, counter, corrections in plan:
            checked = service.check(kit.sample(name).texts)
            receipts[name] = service.accept(checked, pages, seal, clerk=clerk, counter=counter,
                                            corrections=corrections)
        service.complete_case(receipts["resident-copy"].case_id, clerk="kim", counter="민원1")
        service.return_case(receipts["mail-order"].case_id, "구비서류 미비: 사업자등록증 사본 없음",
                            clerk="lee", counter="민원2")
    finally:
        store.close()
    return DemoDay(settings, receipts)


def wait_for(cond: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        if cond():
            return True
        time.sleep(0.01)
    return cond()


def review_screenshots(app: QApplication, out: Path, size: tuple[int, int] = (1366, 768),
                       language: str = "ko") -> list[Path]:
    """review-glance (the day's charts), -filtered (a bar clicked), -day (list + a proxy case),
    -attachments, -corrections, -audit, -empty, -error.

    With ``language="en"`` the files are named ``review-en-*.png``.
    """
    from ui.widgets.i18n import install_translator

    if language == "en":
        install_translator("en")
    try:
        return _shots(out, size, "review-en" if language == "en" else "review")
    finally:
        if language == "en":
            install_translator("ko")


def _shots(out: Path, size: tuple[int, int], prefix: str) -> list[Path]:
    import datetime as dt
    import tempfile

    from app.compose import make_opener
    from ui.review.window import ReviewWindow

    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        catalogue = default_catalogue()
        kit = build_demo(Path(tmp) / "kit", catalogue)
        day = fill_day(Path(tmp), kit, catalogue)
        w = ReviewWindow(make_opener(day.settings, catalogue=catalogue), None,
                         "supervisor (민원1) · cases.db")
        w.resize(*size)
        w.show()

        def idle() -> bool:
            return not w.runner.pending

        def shot(name: str) -> None:
            wait_for(idle, 10)
            wait_for(lambda: False, 0.3)  # thumbnails decode on the image threads
            path = out / f"{prefix}-{name}.png"
            w.grab().save(str(path))
            written.append(path)

        try:
            wait_for(lambda: w.data is not None and idle(), 15)
            wait_for(lambda: w.stats is not None and idle(), 10)
            shot("glance")
            w.filter_by("clerk", "kim")
            wait_for(lambda: w.data is not None and w.data.query.clerk == "kim" and idle(), 10)
            shot("filtered")
            w.clear_filters()
            wait_for(lambda: w.data is not None and not w.data.query.is_filtered() and idle(), 10)
            w.select_row(w.model.row_of(day.receipts["proxy-resident-copy"].case_id))
            wait_for(lambda: w.bundle is not None and idle(), 10)
            shot("day")
            w.detail.tabs.setCurrentIndex(1)
            shot("attachments")
            w.detail.tabs.setCurrentIndex(2)
            shot("corrections")
            w.detail.tabs.setCurrentIndex(4)
            w.verify_chain()
            shot("audit")
            w.set_day(w.day - dt.timedelta(days=1))
            shot("empty")
        finally:
            w.shutdown()
            w.close()
            w.deleteLater()
        broken = ReviewWindow(make_opener(day.settings, f"sqlite:///{Path(tmp) / 'missing.db'}"))
        broken.resize(*size)
        broken.show()
        try:
            wait_for(lambda: broken.error is not None, 10)
            path = out / f"{prefix}-error.png"
            broken.grab().save(str(path))
            written.append(path)
        finally:
            broken.shutdown()
            broken.close()
            broken.deleteLater()
    return written
