"""The app-wide event filter that catches keyboard-wedge scans.

A scanner in keyboard mode types the QR text into whatever has focus. This
filter sits on the QApplication, so a scan works wherever the focus is. It
feeds every printable key (and text committed by the input method) to the
devices layer's :class:`drivers.keyboard.WedgeDetector` and swallows it; what
the detector judges to be the clerk's typing is given back to the widget it
was meant for, in order, so nothing the clerk types is eaten. While a scan
burst is coming in, the input method of the focused widget is switched off
(the Korean IME would compose the scanner's keys into syllables) and turned
back on when the scan ends.

Keys with Ctrl/Alt/Meta and non-text keys (arrows, F-keys) are never held;
they first settle whatever is held, so the order of events is kept.

A real scanner presses Shift around every upper-case letter and shifted
symbol (``:``, ``$``, ``%``…), and Caps Lock or the Korean/English key may be
pressed too: a modifier or lock key on its own is not text and does not end a
burst (it would tear the scan apart and send the rest to the focused widget:
a space "presses" a focused button). While keys are held, those modifier
presses are swallowed, and so is the release of every key whose press was
swallowed, so no widget sees half a key. Auto-repeated keys (a key held
down) are a person's and are never taken for a scan on their own.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from decoding.wedge import repair_wedge_text
from drivers.keyboard import MARKERS, SUFFIXES, Action, WedgeDetector
from ui.widgets.i18n import pick
from ui.widgets.qtcompat import emit

_BLOCKING_MODS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


# Keys that only change what the next key types: never text, never the end of a burst.
MODIFIER_KEYS = frozenset({
    Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_AltGr, Qt.Key.Key_Meta,
    Qt.Key.Key_Super_L, Qt.Key.Key_Super_R, Qt.Key.Key_Hyper_L, Qt.Key.Key_Hyper_R,
    Qt.Key.Key_CapsLock, Qt.Key.Key_NumLock, Qt.Key.Key_ScrollLock, Qt.Key.Key_Mode_switch,
    Qt.Key.Key_Hangul, Qt.Key.Key_Hangul_Hanja, Qt.Key.Key_Multi_key,
})

# The keypad with NumLock off sends navigation keys, not digits: a scanner that types its
# digits on the keypad (many do, "Alt/keypad" or "numeric keypad" mode) is read as digits
# while a burst is coming in, instead of ending it (and moving the focus) at each digit.
KEYPAD_DIGITS = {
    Qt.Key.Key_Insert: "0", Qt.Key.Key_End: "1", Qt.Key.Key_Down: "2", Qt.Key.Key_PageDown: "3",
    Qt.Key.Key_Left: "4", Qt.Key.Key_Clear: "5", Qt.Key.Key_Right: "6", Qt.Key.Key_Home: "7",
    Qt.Key.Key_Up: "8", Qt.Key.Key_PageUp: "9", Qt.Key.Key_Delete: ".",
}


class KeyClock:
    """When a key was pressed, on the monotonic clock, from the window system's own time
    stamp (the X server's milliseconds; Windows' message time).

    The time a key is *handled* is not when it was pressed: while the GUI thread
    draws the petition just scanned, the next scan's keys wait in the queue and
    are then handled all at once, after a gap that would end the burst and tear
    the scan in two. Stamped times keep the scanner's own rhythm. Events without
    a stamp (sent by the program itself, committed input-method text) count as now.
    """

    RESYNC_IDLE = 5.0  # seconds without keys: measure the offset afresh

    def __init__(self) -> None:
        self._offset: float | None = None
        self._seen = 0.0

    def at(self, stamp_ms: int) -> float:
        now = time.monotonic()
        if not stamp_ms:
            return now
        stamp = stamp_ms / 1000.0
        lag = now - stamp
        if (self._offset is None or lag < self._offset or now - self._seen > self.RESYNC_IDLE
                or lag - self._offset > 60.0):
            self._offset = lag  # the smallest delay seen is the clocks' difference
        self._seen = now
        return min(stamp + self._offset, now)


@dataclass
class _Held:
    receiver: QObject
    text: str
    key: int
    modifiers: Qt.KeyboardModifier
    ime: bool


class WedgeFilter(QObject):
    """App-wide keyboard-wedge catcher.

    Signals:
        scanned(str, str): a complete, repaired scan and the source name ("keyboard").
        dropped(str): a scan that went wrong (too slow), with the reason.
    """

    scanned = Signal(str, str)
    dropped = Signal(str)

    def __init__(self, detector: WedgeDetector | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.detector = detector or WedgeDetector()
        self._held: list[_Held] = []
        self._replaying = False
        self._ime_off: QWidget | None = None
        self._swallowed: set[int] = set()  # keys whose press we took: their release is ours too
        self.clock = KeyClock()
        self._silent_ticks = 0
        # The scanner set-up (ui/counter/calibrate.py) is offered each scan first: as typed,
        # the time of each key and as read; it says whether it took it (a petition's QR
        # scanned meanwhile is not taken: it goes to the petition session as always).
        self.calibrating: Callable[[str, list[float], str], bool] | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._poll)

    def install(self, app: QApplication) -> None:
        app.installEventFilter(self)

    def uninstall(self, app: QApplication) -> None:
        app.removeEventFilter(self)
        self.timer.stop()
        self._restore_ime()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if self._replaying or not isinstance(obj, QWidget):
            return False
        etype = event.type()
        if etype == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            return self._key(obj, event)
        if etype == QEvent.Type.KeyRelease:
            assert isinstance(event, QKeyEvent)
            return self._release(event)
        if etype == QEvent.Type.InputMethod:
            assert isinstance(event, QInputMethodEvent)
            text = event.commitString()
            if not text:
                return False
            return self._feed(obj, text, 0, Qt.KeyboardModifier.NoModifier, ime=True)
        return False

    def _release(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key in self._swallowed:
            if not event.isAutoRepeat():
                self._swallowed.discard(key)
            return True
        return False

    def _key(self, obj: QWidget, event: QKeyEvent) -> bool:
        text = event.text()
        key = event.key()
        if key in MODIFIER_KEYS:
            # Shift around an upper-case letter, Caps Lock, the 한/영 key: not text, and not
            # the end of a burst. Held back (with its release) while a burst is coming in.
            if self.detector.pending:
                self._swallowed.add(key)
                return True
            return False
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            text = "\r"
        elif key == Qt.Key.Key_Tab:
            text = "\t"
        elif (not text and self.detector.pending and key in KEYPAD_DIGITS
              and event.modifiers() & Qt.KeyboardModifier.KeypadModifier):
            text = KEYPAD_DIGITS[Qt.Key(key)]  # NumLock off, inside a burst: the digit
        printable = bool(text) and (text in SUFFIXES or text.isprintable())
        if event.modifiers() & _BLOCKING_MODS or not printable:
            if self.detector.pending:
                self._act(self.detector.poll(time.monotonic() + 10.0))
            return False
        if text in SUFFIXES and not self.detector.pending:
            return False  # a lone Enter/Tab is the clerk's: no need to hold it
        if event.isAutoRepeat() and not self.detector.scanning:
            # A key held down: a person's. Settle what is held (it is typing too) and let it through.
            if self.detector.pending:
                self._act(self.detector.poll(time.monotonic() + 10.0))
            return False
        self._swallowed.add(key)
        return self._feed(obj, text, key, event.modifiers(), ime=False, at=self.clock.at(event.timestamp()))

    def _feed(self, obj: QObject, text: str, key: int, mods: Qt.KeyboardModifier, ime: bool,
              at: float | None = None) -> bool:
        self._held.append(_Held(obj, text, key, mods, ime))
        self._silent_ticks = 0
        actions = self.detector.feed(text, time.monotonic() if at is None else at)
        self._act(actions)
        if self.detector.pending:
            if not self.timer.isActive():
                self.timer.start()
            if self._looks_like_scan():  # a scan is coming: keep the IME out of it
                self._ime_suspend()
        return True

    def _looks_like_scan(self) -> bool:
        held = repair_wedge_text("".join(h.text for h in self._held[:7]))
        return self.detector.unprefixed(held).startswith(MARKERS)

    def _poll(self) -> None:
        # Silence must be seen on two turns of the event loop: after the GUI thread was busy,
        # this timer may come before the key events that waited meanwhile.
        now = time.monotonic()
        if not self.detector.silent(now):
            self._silent_ticks = 0
            return
        self._silent_ticks += 1
        if self._silent_ticks < 2:
            return
        self._silent_ticks = 0
        self._act(self.detector.poll(now))
        if not self.detector.pending:
            self.timer.stop()

    def _act(self, actions: list[Action]) -> None:
        for action in actions:
            if action.kind == "type":
                self._give_back(action.text)
            else:
                self._held.clear()
                self._restore_ime()
                if action.kind == "scan" and self.calibrating is not None and self.calibrating(
                        self.detector.last_raw, self.detector.last_times, action.text):
                    continue
                if action.kind == "scan":
                    emit(self.scanned, action.text, "keyboard")
                else:
                    emit(self.dropped, pick(action.reason_ko, action.reason_en))
        if not self.detector.pending:
            self.timer.stop()

    def _give_back(self, text: str) -> None:
        """Replay the held events that make up ``text`` to the widgets they were for."""
        n = 0
        replay: list[_Held] = []
        while self._held and n < len(text):
            h = self._held.pop(0)
            replay.append(h)
            n += len(h.text)
        self._replaying = True
        try:
            for h in replay:
                try:
                    self._send(h)
                except RuntimeError:  # the widget was closed meanwhile: its keys go nowhere
                    continue
        finally:
            self._replaying = False

    @staticmethod
    def _send(h: _Held) -> None:
        if h.ime:
            ev = QInputMethodEvent()
            ev.setCommitString(h.text)
            QApplication.sendEvent(h.receiver, ev)
            return
        key = h.key or 0
        QApplication.sendEvent(h.receiver, QKeyEvent(QEvent.Type.KeyPress, key, h.modifiers, h.text))
        QApplication.sendEvent(h.receiver, QKeyEvent(QEvent.Type.KeyRelease, key, h.modifiers, h.text))

    def _ime_suspend(self) -> None:
        focus = QApplication.focusWidget()
        if focus is None or self._ime_off is not None:
            return
        if focus.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled):
            focus.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
            QGuiApplication.inputMethod().reset()
            QGuiApplication.inputMethod().update(Qt.InputMethodQuery.ImEnabled)
            self._ime_off = focus

    def _restore_ime(self) -> None:
        widget, self._ime_off = self._ime_off, None
        if widget is not None:
            widget.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, True)
            QGuiApplication.inputMethod().update(Qt.InputMethodQuery.ImEnabled)
