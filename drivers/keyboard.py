"""Keyboard-wedge scanners: telling a scanner's burst of keys from a person typing.

A scanner in USB keyboard mode "types" the QR text, usually a few
milliseconds per key, then Enter or Tab. A person types 60-300 ms per key.
:class:`WedgeDetector` is the pure logic: it is fed each key with its time and
says what to do with it. It holds keys while it cannot tell yet, gives them
back as typing when they turn out to be a person's, and turns a burst into
one scan, with the Caps Lock and Korean-IME repair of ``decoding.wedge``
applied.

For the Qt event filter of the clerk window (written in ``ui/``)::

    detector = WedgeDetector()
    # on every key press / committed input-method text, with the same clock:
    for action in detector.feed(event_text, time.monotonic()):
        ...
    # the filter swallows the key; then, for each action:
    #   Action("scan", text)      -> a complete scan (already repaired)
    #   Action("type", text)      -> a person typed this: deliver these keys
    #   Action("dropped", "", ..) -> a scan that went wrong; show reason_ko/en
    # and, while detector.pending, call detector.poll(time.monotonic())
    # every ~20 ms (a QTimer): it ends suffix-less scans and gives held keys back.

Rules: keys less than ``key_gap`` apart form a burst. A burst whose repaired
text starts with ``MW1:`` or ``MWP:`` (after an AIM prefix such as ``]Q1``, if
the scanner adds one) is a scan, and from then on tolerates stalls up to
``scan_gap`` (USB and the event loop hiccup); keys that are the start of such a
marker (``M``, ``MW``, ``]Q1M``) are held as long, so a slow scanner (up to
60 ms a key) or one that stalls after its first keys never types them into the
focused widget. A finished scan loses the AIM prefix and a suffix outside Base45
(``decoding.wedge.unframe``). An unmarked fast
burst of at least ``min_burst`` keys (3 different ones: not a key held down)
is a scan too, so a foreign QR code gives the clerk an error instead of
garbage in a field. A scan ends at Enter/Tab (swallowed) or at the silence
after it. A burst must finish within ``total_base + total_per_key * keys``
seconds, a total that grows with the length (a 900-key payload takes
seconds); a scan over that is dropped with a message, and the rest of its
keys (up to a silence or Enter/Tab) are swallowed.

:class:`KeyboardSource` wraps the detector as a scanner source (``keyboard``)
for headless use (``counter-app devices watch keyboard`` reads the terminal).
"""

from __future__ import annotations

import codecs
import os
import queue
import select
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Literal

from decoding.wedge import repair_wedge_text, unframe, unprefixed
from drivers.base import Connection, ScanCallback, ScanSource, StateCallback

SUFFIXES = ("\r", "\n", "\t")
MARKERS = ("MW1:", "MWP:")

ActionKind = Literal["scan", "type", "dropped"]


@dataclass(frozen=True)
class Action:
    kind: ActionKind
    text: str
    reason_ko: str = ""
    reason_en: str = ""


class WedgeDetector:
    """Pure burst detection; see the module docstring for the API and the rules."""

    def __init__(
        self,
        key_gap: float = 0.03,
        scan_gap: float = 0.2,
        min_burst: int = 8,
        total_base: float = 0.5,
        total_per_key: float = 0.075,
        prefix: str = "",
        suffix: str = "",
    ) -> None:
        # prefix/suffix: what the scanner set-up learned (counter_app.scanner_profile)
        self.prefix = prefix
        self.suffix = suffix
        self.last_raw = ""  # the last scan as typed, its suffix key included (the set-up reads it)
        self.last_times: list[float] = []  # and when each of its keys came (seconds)
        self._times: list[float] = []
        self.key_gap = key_gap
        self.scan_gap = scan_gap
        self.min_burst = min_burst
        self.total_base = total_base
        self.total_per_key = total_per_key
        self._keys: list[str] = []
        self._start = 0.0
        self._last = 0.0
        self._fast = True  # every gap so far within key_gap
        self._marked = False
        self._decided = False  # enough keys to know whether a marker starts them
        self._length = 0  # characters held (kept, not recounted: a payload is 900 keys)
        self._distinct: set[str] = set()
        self._discard_until: float | None = None

    @property
    def pending(self) -> bool:
        """Keys are held: call :meth:`poll` soon."""
        return bool(self._keys)

    @property
    def scanning(self) -> bool:
        """The held keys are a scan in progress (e.g. keep the input method out of it)."""
        return bool(self._keys) and self._is_scan()

    def feed(self, key_text: str, t: float) -> list[Action]:
        """One key (or a chunk of committed input-method text) at time ``t`` (seconds)."""
        actions = self.poll(t)
        if not key_text:
            return actions
        if self._discard_until is not None:
            if t <= self._discard_until:  # the rest of a dropped scan: swallow it
                self._discard_until = None if key_text in SUFFIXES else t + self.scan_gap
                return actions
            self._discard_until = None
        if key_text in SUFFIXES:
            if self._keys and self._is_scan():
                actions.append(self._finish_scan(key_text))
            else:
                actions.extend(self._release(extra=key_text))
            return actions
        if self._keys:
            self._fast = self._fast and t - self._last <= self.key_gap
        else:
            self._start = t
            self._fast = True
        self._keys.append(key_text)
        self._times.append(t)
        self._length += len(key_text)
        self._distinct.update(key_text)
        self._last = t
        if not self._decided:
            head = repair_wedge_text("".join(self._keys))
            head = self.unprefixed(head)
            self._decided = len(head) >= len(MARKERS[0])
            self._marked = head.startswith(MARKERS)
        if t - self._start > self._total_allowed():
            actions.extend(self._overdue())
        return actions

    def silent(self, t: float) -> bool:
        """Keys are held and the silence up to ``t`` is long enough to settle them."""
        if not self._keys:
            return False
        # A scan, or the start of one (``M``, ``MW``, ``]Q1M``…): a slow scanner (60 ms a key)
        # or one that stalls after its first keys must not have them given to the widget.
        gap = self.scan_gap if self._is_scan() or self._marker_start() else self.key_gap
        return t - self._last > gap

    def unprefixed(self, head: str) -> str:
        """Without the learned prefix or an AIM prefix (``]Q1``)."""
        return unprefixed(head, self.prefix)

    def _marker_start(self) -> bool:
        """The held keys are the beginning of a payload marker (after an AIM prefix, if any)."""
        if self._decided or self._length > 7:
            return False
        head = repair_wedge_text("".join(self._keys))
        if (head.startswith("]") and len(head) < 3) or (self.prefix.startswith(head)):
            return True
        rest = self.unprefixed(head)
        return any(m.startswith(rest) for m in MARKERS)

    def poll(self, t: float) -> list[Action]:
        """What the silence up to ``t`` settles: a finished scan, or keys given back."""
        if not self.silent(t):
            return []
        if self._is_scan():
            return [self._finish_scan()]
        return self._release()

    def _is_scan(self) -> bool:
        if self._marked:
            return True
        return self._fast and self._length >= self.min_burst and len(self._distinct) >= 3

    def _total_allowed(self) -> float:
        return self.total_base + self.total_per_key * self._length

    def _overdue(self) -> list[Action]:
        if self._is_scan():
            size = self._length
            self._discard_until = self._last + self.scan_gap
            self._clear()
            return [
                Action(
                    "dropped",
                    "",
                    "스캔 입력이 너무 오래 걸려 버렸습니다. 다시 스캔해 주세요.",
                    f"the scanner's typing took too long and was discarded ({size} keys); "
                    "scan again",
                )
            ]
        return self._release()

    def _finish_scan(self, end: str = "") -> Action:
        self.last_raw = "".join(self._keys) + end
        self.last_times = list(self._times)
        text = unframe(repair_wedge_text("".join(self._keys)).strip(), self.prefix, self.suffix)
        self._clear()
        return Action("scan", text)

    def _release(self, extra: str = "") -> list[Action]:
        text = "".join(self._keys) + extra
        self._clear()
        return [Action("type", text)] if text else []

    def _clear(self) -> None:
        self._keys.clear()
        self._times.clear()
        self._fast = True
        self._marked = self._decided = False
        self._length = 0
        self._distinct.clear()


class KeyboardSource(ScanSource):
    """The ``keyboard`` source: a detector on its own thread, fed keys by :meth:`feed_key`
    (thread-safe) or read from a terminal/pipe file descriptor (``stream``).

    Keys judged to be a person's typing go to ``on_typed`` when given.
    """

    def __init__(
        self,
        name: str,
        on_scan: ScanCallback,
        on_state: StateCallback,
        stream: IO[str] | int | None = None,
        on_typed: Callable[[str], None] | None = None,
        detector: WedgeDetector | None = None,
    ) -> None:
        super().__init__(name, on_scan, on_state)
        self.detector = detector or WedgeDetector()
        self._keys: queue.Queue[tuple[str, float]] = queue.Queue()
        self._fd = stream if isinstance(stream, int) or stream is None else stream.fileno()
        self._on_typed = on_typed
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")

    def feed_key(self, key_text: str, t: float | None = None) -> None:
        """A key at ``t`` (``time.monotonic()`` seconds; now when omitted), from any thread."""
        self._keys.put((key_text, time.monotonic() if t is None else t))

    def _run(self) -> None:
        self._set_state(Connection.CONNECTED)
        while not self._stopping.is_set():
            if self._fd is not None:
                self._read_fd()
            try:
                key, t = self._keys.get(timeout=0.01)
            except queue.Empty:
                self._act(self.detector.poll(time.monotonic()))
                continue
            self._act(self.detector.feed(key, t))

    def _read_fd(self) -> None:
        assert self._fd is not None
        ready, _, _ = select.select([self._fd], [], [], 0.005)
        if not ready:
            return
        data = os.read(self._fd, 4096)
        if not data:  # end of input: what is held is settled now
            self._fd = None
            self._keys.put(("", time.monotonic() + 10))
            return
        now = time.monotonic()
        for ch in self._decoder.decode(data):
            self._keys.put((ch, now))

    def _act(self, actions: list[Action]) -> None:
        for action in actions:
            if action.kind == "scan":
                self._emit_scan(action.text)
            elif action.kind == "dropped":
                self._problem(action.reason_ko, action.reason_en)
            elif self._on_typed is not None:
                self._on_typed(action.text)
