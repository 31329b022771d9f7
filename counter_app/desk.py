"""One counter's use of the intake pipeline (:class:`Desk`) and the service it opens later (:class:`Opening`).

The clerk and counter, the multi-part reader holding the parts scanned so far,
and the :class:`counter_app.intake.IntakeService` opened lazily (the window
opens the database on its worker thread).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from typing import Any, Generic, TypeVar

from counter_app.corrections import Correction
from counter_app.intake import Checked, Content, IntakeService
from decoding.calibration import TEST_PAYLOAD
from decoding.errors import ErrorCode, PayloadError
from decoding.partsets import Completed, PartNews, PartSets
from decoding.payload import PartProgress, clean_text
from decoding.wedge import unframe
from records.views import Receipt

T = TypeVar("T")


class Opening(Generic[T]):
    """Something opened later, on another thread (the window's worker opens the database).

    ``open()`` runs the opener once and keeps its result or its exception;
    ``wait()`` blocks until then; ``opened`` is the result if it is there.
    """

    def __init__(self, opener: Callable[[], T]) -> None:
        self._opener = opener
        self._ready: Future[T] = Future()

    def open(self) -> T:
        try:
            value = self._opener()
        except BaseException as exc:
            self._ready.set_exception(exc)
            raise
        self._ready.set_result(value)
        return value

    def wait(self, timeout: float | None = None) -> T:
        return self._ready.result(timeout)

    @property
    def opened(self) -> T | None:
        if self._ready.done() and self._ready.exception() is None:
            return self._ready.result()
        return None


class Desk:
    """One counter's use of the pipeline: its clerk and counter, the parts scanned so far.

    The window calls every method on its worker thread (the service may still
    be opening: each call waits for it); the command line and the demo may
    pass an open service. Everything goes to the one :class:`IntakeService`.
    """

    def __init__(
        self,
        service: IntakeService | Opening[IntakeService],
        *,
        clerk: str,
        counter: str,
    ) -> None:
        self._service = service if isinstance(service, Opening) else None
        self._open_service = service if isinstance(service, IntakeService) else None
        self.clerk = clerk
        self.counter = counter
        self._sets: PartSets | None = None
        self._lock = threading.Lock()  # the sets keep part state between scans
        # The gate (counter_app.authz) for the signed-in account, set by the window after the
        # sign-in; it reads the account again and raises a Refusal. None: set-up mode, the demo.
        self.authorize: Callable[[str], object] | None = None

    def _gate(self, action: str) -> None:
        if self.authorize is not None:
            self.authorize(action)

    @property
    def service(self) -> IntakeService:
        return self.wait()

    def wait(self, timeout: float | None = None) -> IntakeService:
        """The service, once it is open (raises what opening it raised)."""
        if self._open_service is None:
            assert self._service is not None
            self._open_service = self._service.wait(timeout)
        return self._open_service

    @property
    def opened(self) -> IntakeService | None:
        """The service if it is open, without waiting."""
        if self._open_service is not None:
            return self._open_service
        return self._service.opened if self._service is not None else None

    def feed(self, text: str) -> PartProgress | Checked:
        """One scan: the progress of a multi-part payload (a
        :class:`~decoding.partsets.PartNews`), or the checked petition.

        Several sets may be open at once: a part of another petition starts or joins its
        own set (see :mod:`decoding.partsets`); a single QR between parts leaves them open.
        """
        if unframe(clean_text(text)) == TEST_PAYLOAD:  # the set-up's code, scanned at the counter
            raise PayloadError(ErrorCode.PREFIX,
                               "스캐너 시험 코드입니다: 스캐너는 잘 읽고 있습니다. 민원 신청 QR 코드를 스캔해 주세요.",
                               "This is the scanner's test code: the scanner reads well. "
                               "Scan a petition QR code.", {"test_code": True})
        service = self.service
        with self._lock:
            if self._sets is None:
                self._sets = PartSets(service.keyring, service.clock)
            result = self._sets.feed(text)
        if not isinstance(result, Completed):
            return result
        return service.check_document(result.document, texts=result.texts)

    def set_aside(self, msg_id: str) -> bool:
        """Forget an incomplete multi-part set (the citizen left)."""
        with self._lock:
            return self._sets is not None and self._sets.drop(msg_id)

    def check(self, texts: Sequence[str]) -> Checked:
        """Read a whole payload again (a restored draft, a queued scan)."""
        return self.service.check(texts)

    def check_paper(self, paper: Mapping[str, Any]) -> Checked:
        return self.service.check_paper(paper)

    def restore(self, texts: Sequence[str], paper: Mapping[str, Any] | None,
                corrections: Sequence[Correction]) -> Checked:
        """A petition of a saved draft, checked again with the clerk's corrections."""
        checked = self.check_paper(paper) if paper else self.check(texts)
        return self.revalidate(checked, corrections) if corrections else checked

    def revalidate(self, checked: Checked, corrections: Sequence[Correction]) -> Checked:
        return self.service.revalidate(checked, corrections)

    def accept(self, checked: Checked, pages: Sequence[Content], seal: Content | None,
               corrections: Sequence[Correction], returned: str | None = None,
               noted: Mapping[str, Any] | None = None) -> Receipt:
        """Record the petition (returned, with the reason, if ``returned``): one transaction."""
        self._gate("return" if returned is not None else "accept")
        if corrections:
            self._gate("correct")
        return self.service.accept(checked, pages, seal, clerk=self.clerk, counter=self.counter,
                                   corrections=corrections, returned=returned, noted=noted)

    def reveal(self, checked: Checked) -> dict[str, str]:
        # the numbers of the petition being checked (not a stored case's): part of accepting it
        self._gate("accept")
        return self.service.reveal_numbers(checked, clerk=self.clerk, counter=self.counter)

    def record_print(self, receipt: Receipt, what: str) -> None:
        self._gate("print")
        self.service.record_print(receipt.case_id, clerk=self.clerk, counter=self.counter,
                                  what=what)


__all__ = ["Desk", "PartNews"]
