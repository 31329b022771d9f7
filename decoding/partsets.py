"""Several multi-part QR sets at once, at one counter.

A long petition is split over several QR codes (``MWP:`` parts). At a busy
counter the parts of two citizens' petitions can be scanned in between each
other, a part twice, or one forgotten. :class:`PartSets` keeps one set per
message, each until it is complete or set aside (:meth:`PartSets.drop`):

* a part of another petition in the middle of a set starts (or joins) its own
  set, and says so — the set before is kept, never reset or thrown away;
* a part scanned again says so (a duplicate with other content is refused,
  ``MW_PART``, as :class:`decoding.payload.PartReader` refuses it);
* every answer names the part numbers still missing.

Each set is read by its own :class:`~decoding.payload.PartReader` (strict:
one message per reader), so the rules for one set are the reader's.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from decoding.document import Document
from decoding.keys import KeyRing
from decoding.payload import PART_PREFIX, PartProgress, PartReader, _b45, _parse_part, clean_text
from decoding.wedge import unframe


@dataclass(frozen=True)
class PartNews(PartProgress):
    """The progress of the set a part went to, and what the clerk should be told about it.

    ``started``: this part started a new set while others were open; ``joined``: it went to
    a set other than the last one scanned; ``duplicate``: this part was scanned already;
    ``others``: the other sets still open.
    """

    started: bool = False
    joined: bool = False
    duplicate: bool = False
    others: tuple[PartProgress, ...] = field(default_factory=tuple)
    texts: tuple[str, ...] = ()  # the set's parts so far, as read (without a scanner's prefix)

    def word(self) -> tuple[str, str]:
        """What to tell the clerk (Korean, English): "" when there is nothing more than the count."""
        missing = ", ".join(map(str, self.missing))
        if self.duplicate:
            return (f"이미 스캔한 조각입니다 ({self.received}/{self.total}). 남은 조각: {missing}",
                    f"This part was scanned already ({self.received}/{self.total}). "
                    f"Missing parts: {missing}")
        others_ko = "; ".join(f"{o.received}/{o.total}, 남은 조각 {', '.join(map(str, o.missing))}"
                              for o in self.others)
        others_en = "; ".join(f"{o.received}/{o.total}, missing {', '.join(map(str, o.missing))}"
                              for o in self.others)
        if self.started:
            return (f"다른 신청서의 조각입니다: 새 묶음을 시작했습니다 ({self.received}/{self.total}, "
                    f"남은 조각: {missing}). 스캔하던 묶음은 그대로 있습니다 ({others_ko}).",
                    f"A part of another petition: a new set was started ({self.received}/"
                    f"{self.total}, missing parts: {missing}). The set being scanned is kept "
                    f"({others_en}).")
        if self.joined:
            return (f"먼저 스캔하던 묶음의 조각입니다 ({self.received}/{self.total}, 남은 조각: {missing}).",
                    f"A part of the set scanned earlier ({self.received}/{self.total}, "
                    f"missing parts: {missing}).")
        return ("", "")


@dataclass(frozen=True)
class Completed:
    """A set (or a single QR) read completely: the document and the texts that made it."""

    document: Document
    texts: tuple[str, ...]
    msg_id: str = ""  # "" for a single QR


class PartSets:
    """The open multi-part sets of one counter (not thread-safe: the caller holds a lock)."""

    def __init__(self, keyring: KeyRing, clock: Callable[[], float] = time.time) -> None:
        self._keyring = keyring
        self._clock = clock
        self._single = PartReader(keyring, clock)
        self._sets: dict[str, tuple[PartReader, list[str]]] = {}
        self._last = ""

    @property
    def open(self) -> list[PartProgress]:
        """The sets still open, oldest first."""
        return [p for p in (r.pending for r, _t in self._sets.values()) if p is not None]

    def drop(self, msg_id: str) -> bool:
        """Set a set aside (the citizen left): its parts are forgotten."""
        return self._sets.pop(msg_id, None) is not None

    def feed(self, text: str) -> PartNews | Completed:
        """One scan: a single QR opens at once; a part goes to its own set. What a scanner's
        settings put around the payload (an AIM prefix, a suffix) is taken off first."""
        text = unframe(text.strip())
        clean = clean_text(text)
        if not clean.startswith(PART_PREFIX):
            single = self._single.feed(text)  # not a part: a document (or MW_PREFIX raised)
            assert isinstance(single, Document)
            return Completed(single, (text,))
        msg_id = _parse_part(_b45(clean[len(PART_PREFIX):]))[0].hex()  # raises MW_BASE45 / MW_PART
        reader, texts = self._sets.get(msg_id) or (PartReader(self._keyring, self._clock, strict=True), [])
        started = msg_id not in self._sets and bool(self._sets)
        joined = msg_id in self._sets and msg_id != self._last
        before = reader.pending.received if reader.pending is not None else 0
        result = reader.feed(text)  # a part with other content than before raises MW_PART
        self._last = msg_id
        if isinstance(result, Document):
            self._sets.pop(msg_id, None)
            return Completed(result, (*texts, text), msg_id)
        duplicate = result.received == before
        if not duplicate:
            texts.append(text)
        self._sets[msg_id] = (reader, texts)
        others = tuple(p for m, (r, _t) in self._sets.items() if m != msg_id
                       for p in [r.pending] if p is not None)
        return PartNews(result.msg_id, result.received, result.total, result.missing,
                        started=started, joined=joined and not duplicate, duplicate=duplicate,
                        others=others, texts=tuple(texts))
