"""The petition on the counter: what the window shows and what the clerk does to it.

:class:`PetitionSession` is the window's model. Scans and the clerk's actions
come in as method calls on the GUI thread; decrypting, validating and writing
to the database run on the session's :class:`~ui.widgets.workers.TaskRunner`; the
outcome comes back as signals. After every change the draft is saved, so a
crash loses nothing (see :mod:`ui.counter.draft`).

Rules kept here rather than in widgets:

* a rejected scan never replaces the petition on screen;
* a good scan while a petition is open waits in the queue;
* errors block acceptance; warnings need the clerk's explicit acknowledgement.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from counter_app.desk import Desk, PartNews
from counter_app.intake import CaseStatus, Checked, Correction, Message, Origin, PartProgress
from counter_app.viewmodel import PetitionView, petition_view
from decoding.forms import Catalogue
from records.views import KST, Receipt
from ui.counter.draft import Draft, DraftError, DraftStore, DraftWriter, Page
from ui.counter.seen import ACCEPT_GUARD as ACCEPT_GUARD  # the guard time, where tests look for it
from ui.counter.seen import SeenGuard
from ui.widgets.qtcompat import emit
from ui.widgets.workers import TaskRunner

log = logging.getLogger(__name__)



class LineState(StrEnum):
    """What became of one line of the queue."""

    CHECKING = "checking"
    PARTS = "parts"  # parts of a multi-part QR scanned so far
    WAITING = "waiting"
    CURRENT = "current"
    REJECTED = "rejected"
    ACCEPTED = "accepted"
    RETURNED = "returned"


@dataclass
class QueueItem:
    """One line of the queue: a scan (or the parts of one) and what became of it."""

    texts: list[str]
    source: str
    time: float = field(default_factory=time.time)
    status: LineState = LineState.CHECKING
    summary: str = ""
    checked: Checked | None = None
    saved: Draft | None = None  # what the clerk had done, while it waits in the queue


@dataclass(frozen=True)
class Rejection:
    """A scan refused: its ``MW_*`` code and why, in both languages; the scanner it came from."""

    message: Message
    source: str

    @property
    def code(self) -> str:
        return self.message.code


class PetitionSession(QObject):
    """The current petition and the queue.

    Signals:
        petition_changed(): the petition on screen (or its findings, pages, seal) changed.
        queue_changed(): a queue line was added or changed.
        scan_rejected(object): a :class:`Rejection`; the petition on screen is untouched.
        part_progress(int, int): parts received / total of a multi-part payload.
        accepted(object): a :class:`~records.views.Receipt` after the case was committed.
        returned(object): the :class:`~records.views.Receipt` of a petition returned with a
            reason (recorded and returned in one transaction).
        failed(object): a :class:`~counter_app.intake.Message`: an action failed (database
            down, disk full); nothing was lost.
        rrn_revealed(object): {(form, field or person): full number} after the audit event was written.
        restored(): a draft from an earlier run was loaded.
        refused(object): a :class:`~counter_app.intake.Message`: something the clerk or a device
            did was not done, and why (a seal or page with no petition open to take it).
        told(object): a :class:`~counter_app.intake.Message` the clerk should read (a part of
            another petition started its own set, a part scanned twice).
        scan_good(): a scan (or paper petition) was read and checked: a refusal said before
            is no longer the last word.

    Guards a careful clerk wants (see :mod:`ui.counter.seen`):

    * a petition is accepted only once seen (:class:`~ui.counter.seen.SeenGuard`),
      however it got on screen: a double Ctrl+Enter never takes the next, unseen;
    * a seal or a page belongs to the petition open when it was taken: with
      none open it is refused (the file stays on disk, the banner names it),
      and one that arrives after its petition closed is never given to the next;
    * required supporting documents (필수) must have a page, or the clerk gives
      a reason to accept without them, which is recorded with the case.
    """

    petition_changed = Signal()
    queue_changed = Signal()
    scan_rejected = Signal(object)
    part_progress = Signal(int, int)
    accepted = Signal(object)
    returned = Signal(object)
    failed = Signal(object)
    rrn_revealed = Signal(object)
    restored = Signal()
    refused = Signal(object)
    told = Signal(object)
    scan_good = Signal()

    def __init__(
        self,
        desk: Desk,
        catalogue: Catalogue,
        store: DraftStore,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.catalogue = catalogue
        self.store = store
        self.clerk = desk.clerk
        self.runner = TaskRunner(self)
        self.writer = DraftWriter(store, lambda exc: emit(self.failed, Message(
            f"임시 저장 실패: {exc}", f"draft not saved: {exc}")))
        self.draft = Draft()
        self.current: Checked | None = None
        self.view: PetitionView | None = None
        self.queue: list[QueueItem] = []
        self.last_receipt: Receipt | None = None
        self._paper_line: QueueItem | None = None  # a paper petition being typed keeps its place
        self._sets: dict[str, QueueItem] = {}  # the queue line of each open multi-part set
        self._reveal_token = 0
        self.serial = 0  # which petition is on screen: +1 each time it changes
        self.seen = SeenGuard(parent=self)  # restarted by every path that shows a petition
        self._closing = False  # an accept or return is on its way to the database
        self.reveals: list[str] = []  # when this petition's numbers were shown (KST ISO)

    # --- scans ----------------------------------------------------------

    def submit_scan(self, text: str, source: str = "") -> None:
        """A scanner delivered a payload (GUI thread)."""
        text = text.strip()
        item = QueueItem([text], source)
        self.queue.append(item)
        emit(self.queue_changed)
        self.runner.submit(
            lambda: self.desk.feed(text),
            lambda result: self._scan_done(item, result),
            lambda exc: self._scan_failed(item, exc),
        )

    def _part_done(self, item: QueueItem, result: PartProgress) -> None:
        """A part went to its set: one queue line per set, however the parts came in."""
        line = self._sets.setdefault(result.msg_id, item)
        if line is not item:  # the set's line takes the part; this scan's line goes
            self.queue = [q for q in self.queue if q is not item]
        if isinstance(result, PartNews):
            line.texts = list(result.texts)
        line.status = LineState.PARTS
        line.summary = f"{result.received}/{result.total} · 남은 조각 {', '.join(map(str, result.missing))}"
        emit(self.queue_changed)
        emit(self.part_progress, result.received, result.total)
        word = result.word() if isinstance(result, PartNews) else ("", "")
        if word[0]:
            emit(self.told, Message(word[0], word[1], "MW_PART"))

    def _scan_done(self, item: QueueItem, result: PartProgress | Checked) -> None:
        if isinstance(result, PartProgress):
            self._part_done(item, result)
            return
        for msg_id, line in list(self._sets.items()):
            if line is not item and set(line.texts) & set(result.texts):  # the set is complete
                del self._sets[msg_id]
                self.queue = [q for q in self.queue if q is not item]
                item = line
        if not self._sets:
            emit(self.part_progress, 0, 0)
        item.checked = result
        item.texts = list(result.texts)
        item.summary = result.summary
        emit(self.scan_good)
        if self.current is None and self._paper_line is None:
            self._make_current(item)
        else:
            item.status = LineState.WAITING
            item.saved = Draft(texts=list(item.texts), paper=result.paper, scanned_at=item.time)
            self.draft.waiting.append(item.saved)
            self._save()
        emit(self.queue_changed)

    def _scan_failed(self, item: QueueItem, exc: BaseException) -> None:
        message = Message.of(exc)
        if not message.code:
            log.error("scan check failed: %s", type(exc).__name__, exc_info=exc)
            message = Message(f"확인 중 오류: {exc}", f"check failed: {exc}", "ERROR")
        rej = Rejection(message, item.source)
        item.status = LineState.REJECTED
        item.summary = rej.code
        emit(self.queue_changed)
        emit(self.scan_rejected, rej)

    def _make_current(self, item: QueueItem, by_itself: bool = False) -> None:
        assert item.checked is not None
        item.status = LineState.CURRENT
        self.current = item.checked
        self.serial += 1
        self.seen.restart("queue" if by_itself else item.source or "scan")
        self.reveals = []
        saved, item.saved = item.saved, None
        if saved is not None:
            self.draft.waiting = [w for w in self.draft.waiting if w is not saved]
        saved = saved or Draft()
        self.draft.texts = list(item.texts) if item.checked.origin is Origin.QR else []
        self.draft.paper, self.draft.scanned_at = item.checked.paper, item.time
        self.draft.corrections = list(saved.corrections)
        # Only what was taken for this petition: never a page or seal of the one before.
        self.draft.pages = list(saved.pages)
        self.draft.seal = saved.seal
        self.draft.warnings_acknowledged = saved.warnings_acknowledged
        if saved.corrections:
            self._revalidate()
        else:
            self._refresh()

    def take_from_queue(self, index: int, by_itself: bool = False) -> bool:
        """Open a waiting scan when no petition is on screen."""
        if self.current is not None or not (0 <= index < len(self.queue)):
            return False
        item = self.queue[index]
        if item.status is not LineState.WAITING or item.checked is None:
            return False
        self._make_current(item, by_itself)
        emit(self.queue_changed)
        return True

    def forget(self, index: int) -> bool:
        """Take a waiting or refused line off the queue (the citizen left); not the one on screen."""
        if not (0 <= index < len(self.queue)) or self.queue[index].status in (
                LineState.CURRENT, LineState.CHECKING):
            return False
        item = self.queue.pop(index)
        for msg_id, line in list(self._sets.items()):
            if line is item:  # an incomplete multi-part set: its parts are forgotten
                del self._sets[msg_id]
                self.desk.set_aside(msg_id)
        if item.saved is not None:
            self.draft.waiting = [w for w in self.draft.waiting if w is not item.saved]
            self._save()
        emit(self.queue_changed)
        return True

    def _next_waiting(self) -> None:
        for i, item in enumerate(self.queue):
            if item.status is LineState.WAITING:
                self.take_from_queue(i, by_itself=True)
                return

    # --- paper petitions ------------------------------------------------

    def begin_paper(self) -> None:
        """The clerk starts typing a paper petition (the citizen at the counter): its line takes
        its place in the queue now, and a QR scanned meanwhile waits behind it."""
        if self._paper_line is None:
            self._paper_line = QueueItem([], "paper", summary="종이 신청서 입력 중")
            self.queue.append(self._paper_line)
            emit(self.queue_changed)

    def cancel_paper(self) -> None:
        """The paper petition was not entered after all: its place goes to the next waiting."""
        line, self._paper_line = self._paper_line, None
        if line is not None:
            self.queue = [q for q in self.queue if q is not line]
            emit(self.queue_changed)
            if self.current is None:
                self._next_waiting()

    def enter_paper(self, paper: dict[str, Any]) -> None:
        """A paper form typed by the clerk: same catalogue, same validation; in the place
        :meth:`begin_paper` kept for it."""
        item, self._paper_line = self._paper_line, None
        if item is None:
            item = QueueItem([], "paper")
            self.queue.append(item)
        item.summary = paper.get("form", "")
        emit(self.queue_changed)
        self.runner.submit(
            lambda: self.desk.check_paper(paper),
            lambda result: self._scan_done(item, result),
            lambda exc: self._paper_failed(item, exc),
        )

    def _paper_failed(self, item: QueueItem, exc: BaseException) -> None:
        self._scan_failed(item, exc)
        self._next_waiting()

    # --- the clerk's changes -------------------------------------------

    def correct(self, form: str, field_id: str, before: Any, after: Any, reason: str = "") -> None:
        """The clerk changed a field; recorded with its own time and reason, "before" being the
        citizen's value (not an earlier correction's), then validated again."""
        if self.current is None or before == after:
            return
        for earlier in self.draft.corrections:
            if (earlier.form, earlier.field) == (form, field_id):
                before = earlier.before  # what the citizen gave
                break
        self.draft.corrections.append(Correction(form, field_id, before, after, self.clerk,
                                                 reason=reason.strip()))
        self.draft.warnings_acknowledged = False
        self._revalidate()

    def _revalidate(self) -> None:
        current = self.current
        corrections = list(self.draft.corrections)
        assert current is not None

        def done(result: Checked) -> None:
            if self.current is current:
                self.current = result
                self._refresh()

        self.runner.submit(
            lambda: self.desk.revalidate(current, corrections), done, self._action_failed
        )
        self._refresh()

    def acknowledge_warnings(self, yes: bool) -> None:
        self.draft.warnings_acknowledged = yes
        self._save()
        emit(self.petition_changed)

    def add_page(self, path: str, source: str = "", attachment: str | None = None,
                 serial: int | None = None) -> bool:
        """A page from the watched folder, document camera or file import joins the petition
        on screen (``serial``: the petition it was taken for). With none open, or another one,
        it is refused: the file stays where it is and the clerk is told."""
        if not self._belongs(serial, Message(
                f"열린 민원이 없어 서류를 붙이지 않았습니다 (파일은 보존: {path}). "
                "민원을 연 뒤 다시 찍거나 '파일 추가'로 붙이세요.",
                f"No petition is open: the page was not attached (file kept: {path}). "
                "Open the petition, then take it again or use 'Add file'.", "NO_PETITION")):
            return False
        self.draft.pages.append(Page(path, attachment, 0, source))
        self._refresh()
        return True

    def _belongs(self, serial: int | None, message: Message) -> bool:
        if self.current is None or (serial is not None and serial != self.serial):
            emit(self.refused, message)
            return False
        return True

    def assign_page(self, index: int, attachment: str | None) -> None:
        if 0 <= index < len(self.draft.pages):
            self.draft.pages[index].attachment = attachment
            self._refresh()

    def rotate_page(self, index: int, degrees: int = 90) -> None:
        if 0 <= index < len(self.draft.pages):
            page = self.draft.pages[index]
            page.rotation = (page.rotation + degrees) % 360
            self._refresh()

    def set_seal(self, path: str | None, serial: int | None = None) -> bool:
        """The seal (도장) of the petition on screen (``serial``: the one it was taken for)."""
        if path is not None and not self._belongs(serial, Message(
                "도장을 붙일 민원이 없습니다: 찍는 동안 민원이 닫혔거나 바뀌었습니다. 민원을 연 뒤 다시 찍으세요 (F9).",
                "No petition to take the seal: it was closed or changed meanwhile. "
                "Open the petition and take the seal again (F9).", "NO_PETITION")):
            return False
        self.draft.seal = path
        self._refresh()
        return True

    # --- acceptance ----------------------------------------------------

    def accept_blockers(self) -> list[Message]:
        """Why the petition cannot be accepted now (empty: it can). Missing required documents
        are not among them: see :meth:`missing_documents` (an override with a reason)."""
        if self.current is None or self.view is None:
            return [Message("접수할 민원이 없습니다", "no petition on screen")]
        out = [Message(f.message_ko, f.message_en) for f in self.view.errors]
        if self.view.warnings and not self.draft.warnings_acknowledged:
            out.append(Message("경고를 확인해 주세요", "acknowledge the warnings"))
        if self.runner.pending or self._closing:
            out.append(Message("확인 중입니다", "still checking"))
        return out

    def too_new(self) -> float:
        """Seconds until the petition on screen may be accepted (0: now): see :mod:`ui.counter.seen`."""
        if self.current is None:
            return 0.0
        return self.seen.remaining()

    def missing_documents(self) -> list[str]:
        """Required (필수) supporting documents with no page assigned, Korean names."""
        if self.view is None:
            return []
        return [a.name_ko for f in self.view.forms for a in f.attachments if a.required and not a.done]

    def accept(self, without_documents: str | None = None) -> bool:
        """Accept the petition on screen. With required documents missing it is accepted only
        with ``without_documents``, the clerk's reason, which is recorded with the case."""
        if self.accept_blockers() or self.too_new() > 0:
            return False
        missing = self.missing_documents()
        if missing and not (without_documents and without_documents.strip()):
            return False
        extra: dict[str, Any] = {}
        if missing:
            extra["missing_documents"] = missing
            extra["missing_documents_reason"] = (without_documents or "").strip()
        if self.reveals:
            extra["rrn_shown_before_intake"] = list(self.reveals)
        if self.draft.corrections:  # the store keeps before/after; when and why are here
            extra["corrections"] = [
                {"field": f"{c.form}.{c.field}", "at": dt.datetime.fromtimestamp(c.when, KST)
                 .isoformat(timespec="seconds"), "reason": c.reason}
                for c in self.draft.corrections]
        return self._record(None, extra)

    def return_petition(self, reason: str) -> bool:
        """Return (반려) the petition on screen with the clerk's reason: recorded and returned
        in one transaction."""
        if self.current is None or not reason.strip():
            return False
        if self._closing:
            return False
        return self._record(reason.strip())

    def _record(self, returned: str | None, extra: dict[str, Any] | None = None) -> bool:
        current = self.current
        assert current is not None
        pages = [Path(p.path) for p in self.draft.pages]
        seal = Path(self.draft.seal) if self.draft.seal and returned is None else None
        corrections = list(self.draft.corrections)
        self._closing = True
        self.runner.submit(
            lambda: self.desk.accept(current, pages, seal, corrections, returned, extra),
            self._closed, self._action_failed,
        )
        return True

    def _closed(self, receipt: Receipt) -> None:
        self._closing = False
        self.last_receipt = receipt
        returned = receipt.status == CaseStatus.RETURNED
        for item in self.queue:
            if item.status is LineState.CURRENT:
                item.status = LineState.RETURNED if returned else LineState.ACCEPTED
                item.summary = receipt.case_number
        self._reset_current()
        emit(self.queue_changed)
        emit(self.returned if returned else self.accepted, receipt)
        self._next_waiting()

    def _action_failed(self, exc: BaseException) -> None:
        self._closing = False
        message = Message.of(exc)
        if not message.code:
            log.error("action failed: %s", type(exc).__name__)
            message = Message(f"처리하지 못했습니다. 입력한 내용은 보존됩니다: {exc}",
                              f"failed, nothing was lost: {exc}", "ERROR")
        emit(self.failed, message)

    def clear(self) -> None:
        """Set the petition on screen aside: it waits in the queue with everything the clerk
        did to it (corrections, pages, seal) and opens again from there."""
        d = self.draft
        for item in self.queue:
            if item.status is LineState.CURRENT:
                item.status = LineState.WAITING
                item.saved = Draft(texts=d.texts, paper=d.paper, corrections=d.corrections,
                                   pages=d.pages, seal=d.seal, scanned_at=item.time,
                                   warnings_acknowledged=d.warnings_acknowledged)
                d.waiting.append(item.saved)
        self._reset_current()
        emit(self.queue_changed)

    def _reset_current(self) -> None:
        self.current = None
        self.view = None
        self.serial += 1
        self.reveals = []
        self.draft = Draft(waiting=self.draft.waiting)
        self._save()
        emit(self.petition_changed)

    # --- resident registration numbers --------------------------------

    def reveal(self) -> int:
        """Ask to show the full RRNs: the audit event is written first, then they are shown."""
        if self.current is None:
            return 0
        self._reveal_token += 1
        token = self._reveal_token
        current = self.current

        def done(numbers: dict[str, str]) -> None:
            if self.current is current:  # audited: linked to the case when it is accepted
                self.reveals.append(dt.datetime.now(KST).isoformat(timespec="seconds"))
            if token == self._reveal_token and self.current is current:
                emit(self.rrn_revealed, numbers)

        self.runner.submit(lambda: self.desk.reveal(current), done, self._action_failed)
        return token

    def hide(self) -> None:
        """The key was released: a reveal still on its way is not shown."""
        self._reveal_token += 1
        emit(self.rrn_revealed, {})

    # --- draft ----------------------------------------------------------

    def _refresh(self) -> None:
        if self.current is not None:
            counts: dict[str, int] = {}
            for p in self.draft.pages:
                if p.attachment:
                    counts[p.attachment] = counts.get(p.attachment, 0) + 1
            self.view = petition_view(self.current, self.catalogue, self.draft.corrections, counts)
        self._save()
        emit(self.petition_changed)

    def _save(self) -> None:
        """Snapshot the draft now; the draft writer thread puts it on disk (atomically)."""
        self.writer.submit(self.draft)

    def restore(self) -> bool:
        """Load the draft of an earlier run and check its petition again."""
        try:
            draft = self.store.load()
        except DraftError as exc:
            emit(self.failed, str(exc))
            return False
        if draft is None or draft.is_empty():
            return False
        self.draft = draft
        saved = Draft(**vars(draft))
        for waiting in draft.waiting:
            self._check_waiting(QueueItem(list(waiting.texts), "draft", waiting.scanned_at or time.time(),
                                          saved=waiting), waiting)
        if draft.texts or draft.paper:  # (the lines show when it was scanned, not restored)
            item = QueueItem(list(draft.texts), "draft", draft.scanned_at or time.time(), LineState.CURRENT)
            self.queue.append(item)

            def done(result: Checked) -> None:
                item.checked = result
                item.summary = result.summary
                self.current = result
                self.draft = saved
                self.serial += 1
                self.seen.restart("restore")
                self._refresh()
                emit(self.queue_changed)
                emit(self.restored)

            self.runner.submit(lambda: self.desk.restore(saved.texts, saved.paper,
                                                         saved.corrections),
                               done, lambda exc: self._scan_failed(item, exc))
        else:
            emit(self.petition_changed)
            emit(self.restored)
        emit(self.queue_changed)
        return True

    def _check_waiting(self, item: QueueItem, waiting: Draft) -> None:
        self.queue.append(item)

        def done(result: Checked) -> None:
            item.checked = result
            item.status = LineState.WAITING
            item.summary = result.summary
            emit(self.queue_changed)

        self.runner.submit(lambda: self.desk.restore(waiting.texts, waiting.paper, ()),
                           done, lambda exc: self._scan_failed(item, exc))

    def shutdown(self, timeout_ms: int = 10000) -> bool:
        """Stop the worker (at most ``timeout_ms``), put the draft on disk; False: a task hung."""
        done = self.runner.shutdown(timeout_ms)
        self.writer.close()
        return done
