"""The one way a case changes status after intake: completed, or returned (반려) with a reason.

The counter (a return at the counter, Ctrl+R), the review window (완료, 반려)
and the command line (``cases complete``, ``cases return``) all call
:class:`CaseStatusService`; the store checks the change (a closed case stays
closed, a return has a reason), writes the status history and the audit event,
and seals the case, in one transaction.
"""

from __future__ import annotations

from records.models import CaseStatus
from records.store import CaseStore


class CaseStatusService:
    """Status changes of the cases of one store, by a clerk at a counter."""

    def __init__(self, store: CaseStore) -> None:
        self.store = store

    def change(self, case: int | str, status: CaseStatus | str, *, clerk: str, counter: str,
               reason: str | None = None) -> None:
        """Complete or return ``case`` (its id or case number); a return needs ``reason``."""
        if reason is not None:
            reason = reason.strip()
        self.store.set_status(case, str(status), reason=reason, clerk=clerk, counter=counter)

    def complete(self, case: int | str, *, clerk: str, counter: str) -> None:
        self.change(case, CaseStatus.COMPLETED, clerk=clerk, counter=counter)

    def return_case(self, case: int | str, reason: str, *, clerk: str, counter: str) -> None:
        """Return (반려) a case received earlier, with the reason the citizen is told."""
        self.change(case, CaseStatus.RETURNED, clerk=clerk, counter=counter, reason=reason)
