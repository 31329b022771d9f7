"""The window's side of the intake service (:class:`counter_app.intake.IntakeService`).

Called on the session's worker thread only. It turns a checked petition from
the window into the service's calls: the document as the citizen sent it plus
the clerk's corrections as (path, before, after) (the service applies and
re-validates them and records both), the pages and the seal as files, and a
return (반려) as an accepted case returned with its reason. Reveals of
resident registration numbers before the case exists are audit events of
their own (``reveal_rrn`` with the payload id). :class:`OpeningIntake` opens
the database on that worker, so the window does not wait for it.
"""

from __future__ import annotations

import copy
import dataclasses
import time
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from counter_app.intake import CheckedPetition, IntakeService
from decoding.forms.model import FormDef
from ui.backend import Checked, Receipt
from ui.draft import Correction, Page


def correction_paths(
    raw: dict[str, Any], formdefs: list[FormDef | None], corrections: list[Correction]
) -> list[tuple[str, Any, Any]]:
    """The clerk's corrections as document paths with the value each one replaced.

    A field filled from the applicant or delegate is corrected at its source
    (``applicant.phone``), so the person block, every form and the power of
    attorney agree; a form's own field at ``forms[i].fields.<id>``.
    """
    doc = copy.deepcopy(raw)
    out: list[tuple[str, Any, Any]] = []
    codes = [f.get("code") for f in doc.get("forms", [])]
    for c in corrections:
        if c.form not in codes:
            continue
        i = codes.index(c.form)
        fd = formdefs[i] if i < len(formdefs) else None
        fdef = fd.get_field(c.field) if fd else None
        if fdef is not None and fdef.source and c.field not in doc["forms"][i]["fields"]:
            person, member = fdef.source.split(".", 1)
            node = doc.get(person)
            if not isinstance(node, dict):
                continue
            path = f"{person}.{member}"
        else:
            node = doc["forms"][i]["fields"]
            member = c.field
            path = f"forms[{i}].fields.{c.field}"
        out.append((path, node.get(member), c.after))
        node[member] = c.after
    return out


class StoreIntake:
    """``seen`` / ``record`` / ``reveal`` for :class:`ui.backend.Backend`."""

    def __init__(self, service: IntakeService, clerk: str, counter: str) -> None:
        self.service = service
        self.store = service.store
        self.clerk = clerk
        self.counter = counter

    def seen(self, payload_id: str) -> str | None:
        first = self.store.find_by_payload(payload_id)
        if first is None:
            return None
        from records.errors import AlreadyReceived

        return AlreadyReceived(first).message_ko

    def record(
        self,
        checked: Checked,
        pages: list[Page],
        seal: str | None,
        corrections: list[Correction],
        status: str,
        reason: str,
    ) -> Receipt:
        doc = checked.document
        raw = doc.raw
        catalogue = self.service.catalogue
        formdefs = [catalogue.get(f.code, f.ver) if catalogue else None for f in doc.forms]
        paths = correction_paths(raw, formdefs, corrections)
        source = "qr" if checked.origin == "scan" else "paper"
        if source == "paper" and not paths:
            # A paper petition has no QR id to replay; drop the one made for parsing.
            raw = {k: v for k, v in raw.items() if k not in ("id", "exp")}
        petition = CheckedPetition(
            dataclasses.replace(doc, raw=raw),
            [f for f in checked.findings if f.severity == "warning"],
            time.time(),
            source,
        )
        rec = self.service.accept(
            petition, [Path(p.path) for p in pages], Path(seal) if seal else None,
            clerk=self.clerk, counter=self.counter, corrections=paths,
        )  # fmt: skip
        if status == "returned":
            self.service.return_case(rec.case_id, reason, clerk=self.clerk, counter=self.counter)
        return Receipt(rec.case_number, rec.case_id, status, rec.received_at.timestamp(), reason)

    def printed(self, case_id: int | str, what: str) -> None:
        self.service.record_print(case_id, clerk=self.clerk, counter=self.counter, what=what)

    def reveal(self, checked: Checked, who: list[str]) -> None:
        self.store.log(
            "reveal_rrn", None, clerk=self.clerk, counter=self.counter,
            detail={"payload_id": checked.document.id, "fields": who},
        )  # fmt: skip


class OpeningIntake:
    """A :class:`StoreIntake` whose database is opened on the session's worker.

    Opening the case database (and migrating it) can take seconds on a network
    share or a first start; it is the worker's first task, so the window is up
    at once and every scan submitted meanwhile waits behind it in the worker's
    queue (one thread, tasks in order). ``open()`` runs on the worker; the
    other methods run there too, after it, so the result is always there.
    """

    def __init__(self, open_intake: Callable[[], StoreIntake]) -> None:
        self._open = open_intake
        self._ready: Future[StoreIntake] = Future()

    def open(self) -> StoreIntake:
        try:
            intake = self._open()
        except BaseException as exc:
            self._ready.set_exception(exc)
            raise
        self._ready.set_result(intake)
        return intake

    def wait(self, timeout: float | None = None) -> StoreIntake:
        """The opened intake (raises what opening raised); blocks until the open ran."""
        return self._ready.result(timeout)

    @property
    def opened(self) -> StoreIntake | None:
        """The intake if it is open, without waiting."""
        if self._ready.done() and self._ready.exception() is None:
            return self._ready.result()
        return None

    def seen(self, payload_id: str) -> str | None:
        return self.wait().seen(payload_id)

    def record(self, checked: Checked, pages: list[Page], seal: str | None,
               corrections: list[Correction], status: str, reason: str) -> Receipt:  # fmt: skip
        return self.wait().record(checked, pages, seal, corrections, status, reason)

    def printed(self, case_id: int | str, what: str) -> None:
        self.wait().printed(case_id, what)

    def reveal(self, checked: Checked, who: list[str]) -> None:
        self.wait().reveal(checked, who)
