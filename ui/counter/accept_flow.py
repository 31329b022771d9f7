"""The clerk's accept, with the guards a careful clerk wants, and banners that stay true.

* Ctrl+Enter on a petition not yet seen — on screen, unobstructed, for the
  guard time of :mod:`ui.counter.seen`, however it came into view — does
  nothing but say so: a double press accepts one petition, not the next,
  unseen one; a key pressed as a dialog closes or the lock opens accepts nothing.
* Required supporting documents (필수) with no page: the clerk is asked for a
  reason to accept without them (recorded with the case), or the accept stops.
* A banner about the petition on screen (why it cannot be accepted, "just
  opened") goes when another petition comes up; "접수되었습니다" becomes "the
  petition before was accepted, number …", which stays true.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from counter_app.intake import Message
from ui.counter.session import PetitionSession
from ui.widgets import Banner, ask_text
from ui.widgets.i18n import pick, say, tr
from ui.widgets.sound import Alert


class AcceptFlow:
    """Accepting the petition on screen, and the banners about it."""

    def __init__(self, parent: QWidget, session: PetitionSession, banner: Banner) -> None:
        self.parent, self.session, self.banner = parent, session, banner
        self._about: int | None = None  # serial of the petition the banner speaks of
        self._accepted_text = ""
        # The window's questions to the clerk; tests hand in answers instead of dialogs.
        self.ask_reason: Callable[[list[str]], str | None] = self._ask_reason
        self.confirm_warnings: Callable[[list[str]], bool] = self._confirm_warnings

    def _ask_reason(self, missing: list[str]) -> str | None:
        reason, ok = ask_text(
            self.parent, tr("필수 서류 없음"),
            f"{tr('필수 서류가 없습니다')}: {', '.join(missing)}\n"
            + tr("서류 없이 접수하려면 사유를 적으세요 (사건에 기록됩니다)."))
        return reason if ok else None

    def _confirm_warnings(self, warnings: list[str]) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, tr("경고 확인"),
                          tr("경고를 확인했습니까?") + "\n\n" + "\n".join(f"• {w}" for w in warnings),
                          parent=self.parent)
        yes = box.addButton(tr("확인했음, 접수"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(tr("취소"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(yes)
        box.exec()
        answer = box.clickedButton() is yes
        box.deleteLater()
        return answer

    def show(self, kind: str, text: str) -> None:
        """A banner about the petition on screen: it goes when another comes up."""
        self.banner.show_message(kind, text)
        self._about = self.session.serial

    def refused(self, message: Message, alert: Alert | None = None) -> None:
        """A seal or page with no petition to take it: said, with the alert sound."""
        self.banner.show_message("warning", say(message))
        if alert is not None:
            alert.play()

    def petition_open(self, device: object, refusal_ko: str) -> bool:
        """Before a capture (F9, F7): a petition must be open (a missing device says so itself)."""
        if self.session.current is None and device is not None:
            self.banner.show_message("warning", tr(refusal_ko))
            return False
        return True

    def accepted(self, text: str, name: str) -> None:
        self.banner.show_message("success", text)
        self._about = self.session.serial
        self._accepted_text = f"{tr('직전 민원')} ({name}) — {text}"

    def petition_changed(self) -> None:
        """The petition on screen may have changed: drop what is no longer true."""
        if self._about is None or self._about == self.session.serial or not self.banner.isVisible():
            return
        self._about = None
        if self.banner.kind == "success" and self._accepted_text and self.session.current is not None:
            self.banner.show_message("info", self._accepted_text)  # names whose case it was
        elif self.banner.kind != "success" or self.session.current is not None:
            self.banner.hide()

    def accept(self) -> bool:
        s = self.session
        if s.current is None:
            return False
        if s.too_new() > 0:
            ko, en = s.seen.why_not()
            self.show("info", pick(ko, en))
            return False
        view = s.view
        if view is not None and view.warnings and not view.errors and not s.draft.warnings_acknowledged:
            # Warnings want the clerk's explicit word: asked here, so Ctrl+Enter, Enter does it.
            with s.seen.own_dialog():
                confirmed = self.confirm_warnings([pick(w.message_ko, w.message_en) for w in view.warnings])
            if not confirmed:
                return False
            s.acknowledge_warnings(True)
        blockers = s.accept_blockers()
        if blockers:
            self.show("error", tr("접수할 수 없습니다") + ":\n" + "\n".join(say(b) for b in blockers))
            return False
        missing = s.missing_documents()
        reason = None
        if missing:
            english = {a.name_ko: a.name_en for f in view.forms for a in f.attachments} if view else {}
            names = ", ".join(pick(m, english.get(m, "")) for m in missing)
            with s.seen.own_dialog():
                reason = self.ask_reason([pick(m, english.get(m, "")) for m in missing])
            if not reason or not reason.strip():
                self.show("warning", tr("필수 서류가 없어 접수하지 않았습니다") + f": {names}")
                return False
        return s.accept(reason)
