"""The unfinished petition, kept on disk so a crash or a closed window loses nothing.

The draft holds what the clerk has done: the scanned QR texts (still
encrypted with the office key), a paper petition as typed, the corrections,
the attachment pages and the seal image path, and the scans waiting in the
queue. It is written atomically (temporary file, flush, fsync, rename, fsync
of the folder) after every change and read back at the next start.

Paper entries and corrections may contain resident registration numbers, so
the file is sealed with AES-GCM under a per-PC key kept in ``draft.key``
beside it (file mode 0600). That keeps the numbers out of backups and
casual copies of the draft; it is not a defence against someone holding the
clerk's account, which could read the key too.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from counter_app.intake import Correction
from decoding.errors import CounterError
from records.atomic import atomic_write, fsync_dir

DRAFT_FILE = "draft.bin"
KEY_FILE = "draft.key"
_MAGIC = b"CDRAFT1\n"


@dataclass
class Page:
    """A scanned supporting-document page and the checklist item it is assigned to."""

    path: str
    attachment: str | None = None
    rotation: int = 0
    source: str = ""


@dataclass
class Draft:
    texts: list[str] = field(default_factory=list)
    paper: dict[str, Any] | None = None
    corrections: list[Correction] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    seal: str | None = None
    warnings_acknowledged: bool = False
    # Petitions in the queue: scans waiting their turn and petitions set aside,
    # each with what the clerk had done to it.
    waiting: list[Draft] = field(default_factory=list)
    scanned_at: float = 0.0  # when it was scanned (time.time()): a restore shows this, not the restore's

    def is_empty(self) -> bool:
        return not (self.texts or self.paper or self.pages or self.seal or self.waiting)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Draft:
        return cls(
            texts=[str(t) for t in obj.get("texts", [])],
            paper=obj.get("paper"),
            corrections=[Correction(**c) for c in obj.get("corrections", [])],
            pages=[Page(**p) for p in obj.get("pages", [])],
            seal=obj.get("seal"),
            warnings_acknowledged=bool(obj.get("warnings_acknowledged", False)),
            waiting=[Draft.from_json(w) for w in obj.get("waiting", [])],
            scanned_at=float(obj.get("scanned_at", 0.0) or 0.0),
        )



class DraftStore:
    """Reads and writes the draft of one counter in ``folder`` (the data folder)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / DRAFT_FILE

    def _key(self) -> bytes:
        key_path = self.folder / KEY_FILE
        if key_path.exists():
            return key_path.read_bytes()
        key = AESGCM.generate_key(bit_length=128)
        self.folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
            fh.flush()
            os.fsync(fh.fileno())
        return key

    def seal(self, draft: Draft) -> bytes | None:
        """The draft as the bytes of the file (None: nothing to keep)."""
        if draft.is_empty():
            return None
        plain = json.dumps(draft.to_json(), ensure_ascii=False).encode("utf-8")
        nonce = secrets.token_bytes(12)
        return _MAGIC + nonce + AESGCM(self._key()).encrypt(nonce, plain, _MAGIC)

    def write(self, blob: bytes | None) -> None:
        if blob is None:
            self.clear()
        else:
            atomic_write(self.path, blob)

    def save(self, draft: Draft) -> None:
        self.write(self.seal(draft))

    def load(self) -> Draft | None:
        """The saved draft, or None. A damaged file is kept aside (``.damaged``), not deleted."""
        if not self.path.exists():
            return None
        blob = self.path.read_bytes()
        try:
            if not blob.startswith(_MAGIC):
                raise ValueError("not a draft file")
            nonce, sealed = blob[len(_MAGIC) : len(_MAGIC) + 12], blob[len(_MAGIC) + 12 :]
            plain = AESGCM(self._key()).decrypt(nonce, sealed, _MAGIC)
            return Draft.from_json(json.loads(plain.decode("utf-8")))
        except (ValueError, TypeError, KeyError, InvalidTag) as exc:
            os.replace(self.path, self.path.with_suffix(".damaged"))
            raise DraftError(f"임시 저장본을 읽을 수 없습니다 / draft unreadable: {exc}") from exc

    def clear(self) -> None:
        if self.path.exists():
            self.path.unlink()
            fsync_dir(self.folder)


class DraftWriter:
    """Writes the draft on its own thread (``draft writer``), newest version only.

    The window takes a snapshot of the draft on the GUI thread (cheap) and the
    fsync happens here, so a slow disk never stalls the clerk. ``flush()`` waits
    until what was submitted is on disk; ``close()`` flushes and stops.
    """

    def __init__(self, store: DraftStore, on_error: Callable[[Exception], None]) -> None:
        self.store = store
        self.on_error = on_error
        self._cond = threading.Condition()
        self._pending: tuple[bytes | None] | None = None
        self._busy = False
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="draft writer", daemon=True)
        self._thread.start()

    def submit(self, draft: Draft) -> None:
        blob = self.store.seal(draft)
        with self._cond:
            self._pending = (blob,)
            self._cond.notify_all()

    def flush(self, timeout: float = 10.0) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: self._pending is None and not self._busy, timeout)

    def close(self, timeout: float = 10.0) -> None:
        self.flush(timeout)
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._pending is not None or self._stopping)
                if self._pending is None:
                    return
                (blob,), self._pending = self._pending, None
                self._busy = True
            try:
                self.store.write(blob)
            except OSError as exc:  # reported to the window; the next change tries again
                self.on_error(exc)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()


class DraftError(CounterError):
    """The saved draft could not be read; it was moved aside to ``draft.damaged``."""

    code = "DRAFT"
