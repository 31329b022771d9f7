"""Tamper evidence with a key the database does not hold.

Anyone who can write to the database could change a row and recompute a
plain hash. So every case row is *sealed* and every audit event *chained*
with HMAC-SHA256 under an **integrity key** derived (HKDF) from the data key
(:mod:`records.datakey`): that key lives in the key file beside the database,
wrapped with the office's private key, never in the database. Without the
office key nobody can make a seal or a link that verifies.

* **Case seal** (``cases.seal``): over every column of the case (the RRN
  ciphertexts and the encrypted document by their SHA-256) and over its
  attachments, status history and corrections, and its place in the chain
  (``seal_seq``). Recomputed by the store when any transaction that changed the
  case ends (:mod:`records.sealing`, which also seals the other rows security
  decisions rest on); ``db check`` names each case whose seal does not
  match (status, number, name edited; ciphertexts swapped between cases; a
  status change or attachment row altered), each case without one (a row
  inserted behind the program's back).
* **Keyed chain**: an event's ``hash`` is the HMAC of all its columns,
  ``prev_hash`` included (see :mod:`records.audit`), so the chain cannot be
  recomputed after an edit.
* **Checkpoint**: the chain's head (sequence number, hash) with an HMAC tag,
  as a short text supervisors keep outside the database (printed in the
  daily report, exported). ``audit verify --checkpoint`` then catches events
  cut off the end with the head moved back, which no in-database check can.

Databases made before this (revision 0001) are *bound* the first time the
program opens them with the office key after the upgrade: their cases get
seals and the keyed chain starts with an ``integrity`` event that records how
many cases were bound and from which event the chain is keyed. What was
altered before that moment cannot be told apart from the original; the
event says so. The ``meta`` row ``integrity`` (itself sealed) records the
binding, so it cannot be silently done again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import select
from sqlalchemy.orm import Session

from records.datakey import DataKey
from records.models import Attachment, Case, Correction, Meta, StatusChange

_INFO = b"counter-app integrity v1"
META_KEY = "integrity"
CHECKPOINT_PREFIX = "CP1"


def integrity_key(data_key: DataKey) -> bytes:
    """The HMAC key, derived from the data key (which the database never holds)."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(data_key.key)


def plain(value: Any) -> Any:
    """A column value as sealed: bytes by their SHA-256, times in ISO form."""
    if isinstance(value, bytes):
        return "sha256:" + hashlib.sha256(value).hexdigest()
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def row_values(row: Any, *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every column of ``row`` with a value (NULLs left out, so a column added later
    with no value keeps old seals valid), bytes by their SHA-256."""
    out: dict[str, Any] = {}
    for column in row.__table__.columns:
        if column.key in skip:
            continue
        value = getattr(row, column.key)
        if value is not None:
            out[column.key] = plain(value)
    return out


def mac(key: bytes, value: Any) -> str:
    body = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hmac.new(key, body.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def _children(session: Session, model: Any, case_ids: list[int]) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = {i: [] for i in case_ids}
    rows = session.execute(
        select(model).where(model.case_id.in_(case_ids)).order_by(model.id)
    ).scalars()
    for r in rows:
        out.setdefault(r.case_id, []).append(r)
    return out


def _seal_of(key: bytes, case: Case, atts: list[Any], hist: list[Any], corr: list[Any]) -> str:
    atts = sorted(atts, key=lambda a: (a.kind, a.position, a.id))
    return mac(key, {
        "case": row_values(case, skip=("seal",)),
        "attachments": [row_values(a, skip=("id",)) for a in atts],
        "status": [row_values(h, skip=("id",)) for h in hist],
        "corrections": [row_values(c, skip=("id",)) for c in corr],
    })


def case_seal(session: Session, key: bytes, case: Case) -> str:
    """The seal of a case: its columns and those of every row that belongs to it."""
    session.flush()
    return seals(session, key, [case])[case.id]


def seals(session: Session, key: bytes, cases: list[Case]) -> dict[int, str]:
    """The seals of many cases at once (four queries, whatever their number)."""
    ids = [c.id for c in cases]
    atts = _children(session, Attachment, ids)
    hist = _children(session, StatusChange, ids)
    corr = _children(session, Correction, ids)
    return {c.id: _seal_of(key, c, atts[c.id], hist[c.id], corr[c.id]) for c in cases}


def seal_case(session: Session, key: bytes, case: Case) -> None:
    case.seal = case_seal(session, key, case)


@dataclass(frozen=True)
class Binding:
    """The ``meta`` row that records when the keyed chain starts."""

    keyed_from: int
    bound_at: str
    legacy_cases: int

    def value(self, key: bytes) -> str:
        body = {"keyed_from": self.keyed_from, "bound_at": self.bound_at,
                "legacy_cases": self.legacy_cases}
        return json.dumps({**body, "mac": mac(key, {"binding": body})}, sort_keys=True)


class BindingInvalid(ValueError):
    """The ``integrity`` meta row exists but was altered (its MAC does not match)."""


def read_binding(session: Session, key: bytes | None) -> Binding | None:
    """The binding, checked with ``key`` when given; None when there is none."""
    row = session.get(Meta, META_KEY)
    if row is None:
        return None
    try:
        data = json.loads(row.value)
        binding = Binding(int(data["keyed_from"]), str(data["bound_at"]),
                          int(data["legacy_cases"]))
        tag = str(data["mac"])
    except (ValueError, KeyError, TypeError) as exc:
        raise BindingInvalid(str(exc)) from None
    if key is not None:
        expected = json.loads(binding.value(key))["mac"]
        if not hmac.compare_digest(expected, tag):
            raise BindingInvalid("mac")
    return binding


@dataclass(frozen=True)
class Checkpoint:
    """The head of the chain as supervisors keep it: ``CP1-<seq>-<hash prefix>-<tag>``."""

    seq: int
    hash: str
    tag: str

    @property
    def text(self) -> str:
        return f"{CHECKPOINT_PREFIX}-{self.seq}-{self.hash[:24]}-{self.tag}"

    def to_json(self) -> dict[str, Any]:
        return {"checkpoint": self.text, "seq": self.seq, "hash": self.hash}


def make_checkpoint(key: bytes, seq: int, head_hash: str) -> Checkpoint:
    return Checkpoint(seq, head_hash, _checkpoint_tag(key, seq, head_hash[:24]))


def _checkpoint_tag(key: bytes, seq: int, prefix: str) -> str:
    return mac(key, {"checkpoint": [seq, prefix]})[:16]


def parse_checkpoint(text: str, key: bytes) -> tuple[int, str]:
    """(seq, hash prefix) of a kept checkpoint; ValueError if it is malformed or not ours."""
    parts = text.strip().split("-")
    if len(parts) != 4 or parts[0] != CHECKPOINT_PREFIX or not parts[1].isascii() \
            or not parts[1].isdigit() or len(parts[1]) > 12:
        raise ValueError("malformed checkpoint")
    seq, prefix, tag = int(parts[1]), parts[2].lower(), parts[3].lower()
    if len(prefix) != 24 or not hmac.compare_digest(_checkpoint_tag(key, seq, prefix), tag):
        raise ValueError("checkpoint tag does not match (not made with this office's key)")
    return seq, prefix
