"""The demo counter (simulated devices, demo keys, SQLite in a demo folder), its
offscreen self-test and the screenshots of the main states."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication

from app.compose import CounterParts, build_counter
from counter_app.demo import DemoKit, Sample, build_demo
from decoding.forms.catalogue import default_catalogue
from records.atomic import atomic_path
from ui.counter.devices import Delivered, Device, DeviceAdapter, Opener, document_capture

OFFICE = "3210000"


def document_opener(pages_dir: Path, interval: float = 0.5) -> Opener:
    """Opens ``folder:PATH`` as the watched document folder (drivers.documents)."""

    def open_folder(name: str, on_page: Delivered, on_state: Delivered) -> Device:
        from drivers.documents import open_watcher

        return open_watcher(Path(name.split(":", 1)[1]), on_page, on_state, pages_dir, interval)

    return open_folder


class DemoCounter:
    """The window wired to a ``fake:`` scanner that replays the next sample on F5."""

    def __init__(self, folder: Path, *, sound: bool = True, restore: bool = True,
                 clerk: str = "demo-clerk") -> None:
        catalogue = default_catalogue()
        self.kit: DemoKit = build_demo(folder, catalogue)
        self.next_sample = 0
        self.next_page = 0
        self.scanner = DeviceAdapter(self._fake_name(None), "QR 스캐너(모의)")
        # The demo's document scanner "saves" into this folder; the real watcher takes it.
        self.inbox = folder / "inbox"
        self.inbox.mkdir(exist_ok=True)
        for old in self.inbox.glob("*.png"):
            old.unlink()
        self.documents = DeviceAdapter(f"folder:{self.inbox}", "서류 스캔 폴더",
                                       document_opener(folder / "data" / "pages", interval=0.2))
        self.parts: CounterParts = build_counter(
            data_dir=folder / "data", database_url=f"sqlite:///{folder / 'cases.db'}",
            key_files=[self.kit.private_key], office=OFFICE, counter="민원1",
            clerk=clerk, scanners=["keyboard"],
            extra_devices=[self.scanner, self.documents],
            seal_capture=self._seal, catalogue=catalogue, sound=sound, restore=restore,
            # The document camera (F7) "sees" a photo the program made of a page on a desk.
            document_capture=document_capture(str(self.kit.document_camera),
                                              folder / "data" / "pages")
            if self.kit.document_camera else None,
            document_camera=f"{self.kit.document_camera}",
        )
        w = self.parts.window
        for key, fn in (("F5", self.scan_next), ("F6", self.add_page), ("Shift+F5", self.scan_web_images)):
            sc = QShortcut(QKeySequence(key), w)
            sc.setContext(Qt.ShortcutContext.WindowShortcut)
            sc.activated.connect(fn)
        w.setWindowTitle(w.windowTitle() + "  [DEMO: F5 스캔 · Shift+F5 웹 QR · F6 서류 · F7 실물화상기 · F9 도장]")

    def _fake_name(self, sample: Sample | None) -> str:
        if sample is None:
            path = self.kit.folder / "samples" / "none.txt"
            path.write_text("# nothing to replay until F5\n", encoding="utf-8")
        else:
            path = self.kit.folder / "samples" / f"{sample.name}.txt"
        return f"fake:{path}?delay=0.05&interval=0.15"

    def scan(self, sample: Sample) -> None:
        """Replay one sample through the simulated scanner (a real ``fake:`` source thread)."""
        self.scanner.stop()
        self.scanner.name = self._fake_name(sample)
        self.scanner.start()

    def scan_web_images(self) -> bool:
        """Shift+F5: the simulated scanner reads the QR images saved from the web form
        (``counter-app demo --web``; "이미지로 저장" into ``DIR/web-qr``)."""
        folder = self.kit.folder / "web-qr"
        if not any(folder.glob("*.png")):
            return False
        self.scanner.stop()
        self.scanner.name = f"fake:{folder}?delay=0.05&interval=0.15"
        self.scanner.start()
        return True

    def scan_next(self) -> Sample:
        sample = self.kit.samples[self.next_sample % len(self.kit.samples)]
        self.next_sample += 1
        self.scan(sample)
        return sample

    def add_page(self) -> None:
        """The document scanner's software saves the next sample page into the watched folder."""
        page = self.kit.pages[self.next_page % len(self.kit.pages)]
        self.next_page += 1
        with atomic_path(self.inbox / f"{self.next_page:03d}-{page.name}") as tmp:
            shutil.copyfile(page, tmp)

    def _seal(self) -> str:
        """The seal scanner's photo of the applicant's impression, through the real extraction."""
        from drivers import seal

        name = self.parts.session.view.applicant.name if self.parts.session.view else ""
        photo = self.kit.seal_photos.get(name) or next(iter(self.kit.seal_photos.values()))
        return str(seal.capture(str(photo), self.kit.folder / "data" / "seals"))

    @property
    def window(self) -> Any:
        return self.parts.window

    def close(self) -> None:
        self.parts.close()


def demo_gate(folder: Path) -> Any:
    """The demo database's sign-in (worker thread), with the demo accounts made on first use."""
    from counter_app.auth import ensure_demo_accounts, open_gate
    from counter_app.config import Settings
    from decoding.keys import generate_keypair

    key = folder / "keys" / "office.pem"  # the demo kit's key (made here first if need be)
    if not key.exists():
        generate_keypair(key.parent)
    settings = Settings(data_dir=folder / "data", database=f"sqlite:///{folder / 'cases.db'}",
                        office=OFFICE, counter="민원1", keys=[key])
    gate = open_gate(settings, via="demo")
    try:
        ensure_demo_accounts(gate.store, settings.counter)
    except BaseException:
        gate.close()
        raise
    return gate


def wait_for(cond: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Run the event loop until ``cond()`` holds or ``timeout`` seconds pass."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        # Outside app.exec() deleteLater() is only honoured when asked for explicitly.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        if cond():
            return True
        time.sleep(0.005)
    return cond()


def grown(size: Callable[[], int], than: int) -> Callable[[], bool]:
    """A condition for :func:`wait_for`: ``size()`` became more than ``than``."""
    return lambda: size() > than


def self_test(app: QApplication, folder: Path) -> int:
    """Scan each sample, accept the good ones, check the database; the bad one must be refused."""
    import shutil

    from counter_app.auth import DEMO_PASSWORD
    from records.errors import AuthError

    if folder.exists() and (folder / "cases.db").exists():
        shutil.rmtree(folder)  # a self-test starts from an empty database
    # The sign-in the demo window starts with: a wrong password refused, the right one taken.
    gate = demo_gate(folder)
    try:
        try:
            gate.sign_in("demo-clerk", "not-" + DEMO_PASSWORD, "accept")
            refused = False
        except AuthError:
            refused = True
        clerk = gate.sign_in("demo-clerk", DEMO_PASSWORD, "accept").name
    finally:
        gate.close()
    print(f"{'ok  ' if refused else 'FAIL'} sign-in: a wrong password refused, signed in as {clerk}")
    demo = DemoCounter(folder, sound=False, restore=False, clerk=clerk)
    s = demo.parts.session
    rejected: list[str] = []
    s.scan_rejected.connect(lambda r: rejected.append(r.code))
    receipts: list[str] = []
    s.accepted.connect(lambda r: receipts.append(r.case_number))
    ok = refused

    def report(good: bool, what: str) -> None:
        nonlocal ok
        ok = ok and good
        print(f"{'ok  ' if good else 'FAIL'} {what}")

    try:
        for sample in demo.kit.samples:
            n_rej, n_acc = len(rejected), len(receipts)
            demo.scan(sample)
            if not sample.good:
                got = wait_for(grown(lambda: len(rejected), n_rej))
                report(got and rejected[-1] == sample.expect_error and s.current is None,
                       f"{sample.name}: refused as {rejected[-1] if got else 'nothing'}")
                continue
            if not wait_for(lambda: s.current is not None and not s.runner.pending):
                report(False, f"{sample.name}: never shown ({rejected[n_rej:]})")
                continue
            # a page from the watched folder for each required document (and the ID copy)
            for name in [*s.missing_documents(), "신분증 사본"]:
                pages = len(s.draft.pages)
                demo.add_page()
                if not wait_for(grown(lambda: len(s.draft.pages), pages), 10):
                    report(False, f"{sample.name}: page from the watched folder never arrived")
                s.assign_page(len(s.draft.pages) - 1, name)
            camera_page = sample is demo.kit.samples[0]
            if camera_page:  # F7 once: a page through the document camera, on its worker
                pages = len(s.draft.pages)
                demo.parts.window.capture_document()
                got = wait_for(grown(lambda: len(s.draft.pages), pages), 10)
                report(got and s.draft.pages[-1].source == "document camera",
                       f"{sample.name}: page from the document camera joined the petition")
            demo.parts.window.capture_seal()  # F9: extraction on the worker thread
            if not wait_for(lambda: s.draft.seal is not None and not s.runner.pending, 10):
                report(False, f"{sample.name}: no seal image")
            if s.view and s.view.warnings:
                s.acknowledge_warnings(True)
            blockers = s.accept_blockers()
            if blockers:
                report(False, f"{sample.name}: cannot accept: {[b.en for b in blockers]}")
                s.clear()
                continue
            s_pages = [p for p in s.draft.pages if p.source != "document camera"]
            if s.too_new():  # just shown: the seen guard's moment (ui.counter.seen)
                wait_for(lambda: s.too_new() == 0, 5)
            demo.parts.window.accept()
            if not wait_for(grown(lambda: len(receipts), n_acc)):
                report(False, f"{sample.name}: not accepted")
                continue
            detail = demo.parts.store.get(receipts[-1])
            kinds = sorted(a.kind for a in detail.attachments)
            want = sorted(["page"] * (len(s_pages) + camera_page) + ["seal"])
            report(kinds == want and detail.row.clerk == clerk,
                   f"{sample.name}: accepted as {receipts[-1]} by {detail.row.clerk}, in the database with {kinds}")
        # the same QR a second time is a replay
        n_rej = len(rejected)
        demo.scan(demo.kit.samples[0])
        got = wait_for(grown(lambda: len(rejected), n_rej))
        report(got and rejected[-1] == "MW_REPLAY", "second scan of a received QR refused as MW_REPLAY")
        pdf = demo.parts.window.last_receipt_pdf
        report(bool(pdf and pdf.exists() and pdf.stat().st_size > 1000), f"receipt PDF saved: {pdf}")
    finally:
        demo.close()
    print("self-test passed" if ok else "self-test FAILED")
    return 0 if ok else 1


def screenshots(app: QApplication, out: Path, size: tuple[int, int]) -> list[Path]:
    """The counter's main states (1-empty … 9-queue-and-seen-guard, 10-part-sets,
    11-scanner-set-up) at ``size``."""
    import tempfile

    from counter_app.viewmodel import power_of_attorney_html
    from ui.counter.paper import HtmlDialog

    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        demo = DemoCounter(Path(tmp), sound=False, restore=False)
        w = demo.parts.window
        s = demo.parts.session
        w.resize(*size)
        w.show()

        def shot(name: str) -> None:
            wait_for(lambda: not s.runner.pending, 5)
            wait_for(lambda: False, 0.3)  # let thumbnails arrive
            written.append(_grab(w, out / f"{name}.png"))

        try:
            shot("1-empty")
            demo.scan(demo.kit.sample("family-cert-warning"))
            wait_for(lambda: s.current is not None)
            row = next(r for sec in s.view.forms[0].sections for r in sec.rows  # type: ignore[union-attr]
                       if r.id == "copies")
            s.correct(row.form, row.id, row.value, 0)
            shot("2-findings")
            s.clear()
            demo.scan(demo.kit.sample("proxy-resident-copy"))
            wait_for(lambda: s.current is not None and s.view is not None and s.view.delegate is not None)
            shot("3-proxy")
            assert s.current is not None
            dlg = HtmlDialog("위임장", power_of_attorney_html(s.current, demo.parts.catalogue),
                             Path(tmp), w)
            dlg.resize(720, 760)
            dlg.show()
            wait_for(lambda: False, 0.2)
            written.append(_grab(dlg, out / "3b-power-of-attorney.png"))
            dlg.close()
            w.activateWindow()  # as the window manager does when a dialog closes
            for _ in range(3):
                demo.add_page()
            wait_for(lambda: len(s.draft.pages) >= 3, 10)
            s.assign_page(0, "위임장")
            s.assign_page(1, "대리인 신분증 사본")
            w.capture_seal()
            wait_for(lambda: s.draft.seal is not None, 10)
            shot("4-attachments")
            demo.scan(demo.kit.sample("damaged"))
            wait_for(lambda: w.banner.isVisible() and w.banner.kind == "error")
            shot("5-rejected")
            s.clear()
            s.forget(next(i for i, q in enumerate(s.queue) if q.status == "waiting"))
            # required documents missing, the clerk declined to accept without them
            demo.scan(demo.kit.sample("resident-copy"))
            wait_for(lambda: s.current is not None and not s.runner.pending)
            w.flow.ask_reason = lambda missing: None
            wait_for(lambda: s.too_new() == 0, 5)  # the clerk looks at it first (the seen guard)
            w.accept()
            shot("6-required-documents")
            # the database keeps the clerk waiting (another counter holds it)
            from ui.counter import busy_state

            w.busy_watch.set_busy(True)
            w.busy_watch.since = time.monotonic() - busy_state.SLOW_AFTER - 37
            w.busy_watch._tick()
            wait_for(lambda: False, 0.3)
            written.append(_grab(w, out / "7-database-waiting.png"))
            w.busy_watch.set_busy(False)
            # the queue: the petition on screen on top, the waiting ones counted; Ctrl+Enter on
            # a petition just shown (the seen guard) says so
            s.clear()
            for name in ("mail-order", "family-cert-warning"):
                demo.scan(demo.kit.sample(name))
            wait_for(lambda: len(s.queue) >= 6 and not s.runner.pending)
            s.clear()  # (the one that came up goes back to wait)
            w.activateWindow()
            wait_for(w.isActiveWindow, 2)
            w.flow.confirm_warnings = lambda warnings: False  # (never a modal question here)
            s.take_from_queue(next(i for i, q in enumerate(s.queue) if q.status == "waiting"))
            w.accept()  # at once: the petition has just come up
            shot("9-queue-and-seen-guard")
            # the paper petition dialog: forms in 가나다 order, searched
            from ui.counter.paper import PaperEntryDialog

            paper = PaperEntryDialog(demo.parts.catalogue, w)
            paper.show()
            paper.search.setText("등본")
            wait_for(lambda: False, 0.3)
            written.append(_grab(paper, out / "8-paper-petition.png"))
            paper.done(0)
            paper.deleteLater()
            _part_sets_and_set_up(demo, Path(tmp), shot, out, written)
        finally:
            demo.close()
    return written


def _grab(widget: Any, path: Path) -> Path:
    """``widget`` as drawn, saved to ``path`` (PNG)."""
    widget.grab().save(str(path))
    return path


def _part_sets_and_set_up(demo: DemoCounter, tmp: Path, shot: Callable[[str], None], out: Path,
                          written: list[Path]) -> None:
    """10: a part of another petition in the middle of a set; 11: the scanner set-up, learned."""
    from counter_app.demo import another_citizens
    from decoding.calibration import TEST_PAYLOAD
    from ui.counter.calibrate import CalibrateDialog

    w, s = demo.parts.window, demo.parts.session
    s.clear()
    for i in reversed(range(len(s.queue))):
        s.forget(i)
    first = demo.kit.sample("info-request-3parts").texts
    other = another_citizens(demo.parts.catalogue, demo.kit.public_key, "mail-order", parts=2)
    for text in (first[0], first[1], other[0]):
        s.submit_scan(text, "keyboard")
        wait_for(lambda: not s.runner.pending, 5)
    shot("10-part-sets")
    if demo.parts.wedge is None:
        return
    dialog = CalibrateDialog(demo.parts.wedge, tmp / "set-up", w)
    dialog.show()
    typed = "]Q1" + TEST_PAYLOAD + "\t"  # as a scanner with an AIM prefix and a Tab types it
    hook = demo.parts.wedge.calibrating
    if hook is not None:
        hook(typed, [i * 0.004 for i in range(len(typed))], TEST_PAYLOAD)
    wait_for(lambda: False, 0.2)
    written.append(_grab(dialog, out / "11-scanner-set-up.png"))
    dialog.done(0)
    dialog.deleteLater()
