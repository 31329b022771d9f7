"""The data key that encrypts resident registration numbers at rest.

개인정보 보호법 §24의2 asks for RRNs to be stored encrypted. Each RRN (and the
full petition document, which holds them) is sealed with AES-256-GCM under a
random 32-byte *data key*. The data key never enters the database: it lives in
a small key file beside it (``cases.db.key`` next to a SQLite file, or the
file named in the configuration for an office server), so a copy of the
database alone reveals nothing.

Why the key file is wrapped with HPKE to the office's P-256 public key:

* The counter already holds the office's private keys (it needs them to open
  MW1 payloads), so no new secret has to be provisioned or typed in.
* HPKE (RFC 9180, DHKEM P-256 + HKDF-SHA256 + AES-128-GCM) is the very
  primitive MW1 uses, through the same ``cryptography`` API: one construction
  to review instead of two. A KDF-derived AES-KW key would have meant deriving
  a symmetric secret from the private scalar, which HPKE does properly.
* Key rotation is natural: the file holds one wrapping per office key (by
  kid). When the newest key in the ring has no wrapping yet, one is added, so
  the file keeps opening after the old key is retired.

A stolen key file without the office private key is useless; a stolen
database without the key file is useless. The database records the id of its
data key (``meta.data_key_id``) so that a counter holding a different key file
refuses to write unreadable numbers.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hpke import AEAD, KDF, KEM, Suite

from records.atomic import fsync_dir
from records.errors import DataKeyError

FORMAT = "counter-app-datakey-1"
_INFO = b"counter-app data key v1"
_SUITE = Suite(KEM.P256, KDF.HKDF_SHA256, AEAD.AES_128_GCM)
_BLOB_VERSION = b"\x01"


def _kid(public_key: ec.EllipticCurvePublicKey) -> str:
    from cryptography.hazmat.primitives import serialization

    point = public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return hashlib.sha256(point).digest()[:4].hex()


@dataclass(frozen=True)
class DataKey:
    """AES-256-GCM under the data key. Blobs are ``0x01 || nonce(12) || ciphertext+tag``."""

    key: bytes

    @property
    def key_id(self) -> str:
        return hashlib.sha256(b"counter-app key id" + self.key).hexdigest()[:16]

    def encrypt(self, plaintext: bytes, aad: bytes) -> bytes:
        nonce = secrets.token_bytes(12)
        return _BLOB_VERSION + nonce + AESGCM(self.key).encrypt(nonce, plaintext, aad)

    def decrypt(self, blob: bytes, aad: bytes) -> bytes:
        if len(blob) < 29 or blob[:1] != _BLOB_VERSION:
            raise DataKeyError("암호문 형식이 올바르지 않습니다.", "malformed ciphertext")
        try:
            return AESGCM(self.key).decrypt(blob[1:13], blob[13:], aad)
        except InvalidTag:
            raise DataKeyError(
                "저장된 암호문을 풀 수 없습니다 (다른 데이터 키이거나 변조됨).",
                "The stored ciphertext does not open (another data key, or altered).",
            ) from None


def _wrap(key: bytes, public_key: ec.EllipticCurvePublicKey) -> dict[str, str]:
    enc = _SUITE.encrypt(key, public_key, info=_INFO)
    return {"kid": _kid(public_key), "enc": base64.b64encode(enc).decode()}


def _write_atomic(path: Path, data: dict[str, Any], *, exclusive: bool) -> bool:
    """Write the key file durably; with ``exclusive``, False if another process won the race."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1)
        f.flush()
        os.fsync(f.fileno())
    try:
        if exclusive:
            try:
                os.link(tmp, path)  # fails if the file exists: first writer wins
            except FileExistsError:
                return False
        else:
            os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    fsync_dir(path.parent)
    return True


def _missing(path: Path) -> DataKeyError:
    return DataKeyError(
        f"주민등록번호 암호화 키 파일이 없습니다: {path}. 데이터베이스와 함께 보관한 키 파일을 "
        "복사하거나 전산 담당자에게 연락해 주세요.",
        f"The data key file {path} is missing. Restore the key file kept with the database "
        "or call IT staff.",
        {"key_file": str(path)},
    )


def load_data_key(
    path: Path, private_keys: Sequence[ec.EllipticCurvePrivateKey], *, create: bool
) -> DataKey:
    """Open the key file with any of ``private_keys`` (newest first), creating it if allowed.

    When the newest office key has no wrapping yet (after a key rotation) one is
    added, so the file stays openable once the old key is retired.
    """
    if not private_keys:
        raise DataKeyError(
            "기관 개인키가 없어 주민등록번호 암호화 키를 열 수 없습니다.",
            "No office private key is loaded, so the data key cannot be opened.",
        )
    if not path.exists():
        if not create:
            raise _missing(path)
        key = secrets.token_bytes(32)
        data = {"format": FORMAT, "key_id": DataKey(key).key_id,
                "wrapped": [_wrap(key, k.public_key()) for k in private_keys]}
        path.parent.mkdir(parents=True, exist_ok=True)
        if _write_atomic(path, data, exclusive=True):
            return DataKey(key)
        # another counter created it a moment ago: use theirs
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        wrapped = {w["kid"]: base64.b64decode(w["enc"]) for w in data["wrapped"]}
        if data.get("format") != FORMAT:
            raise ValueError(data.get("format"))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DataKeyError(
            f"암호화 키 파일을 읽을 수 없습니다: {path}",
            f"The data key file cannot be read: {path} ({exc})",
            {"key_file": str(path)},
        ) from exc
    by_kid = {_kid(k.public_key()): k for k in private_keys}
    for kid, enc in wrapped.items():
        if kid not in by_kid:
            continue
        try:
            key = _SUITE.decrypt(enc, by_kid[kid], info=_INFO)
        except Exception as exc:  # any failure means this wrapping is unusable
            raise DataKeyError(
                f"암호화 키 파일이 손상되었습니다: {path}",
                f"The data key file is damaged: {path}",
                {"key_file": str(path)},
            ) from exc
        newest = private_keys[0]
        if _kid(newest.public_key()) not in wrapped:
            data["wrapped"].insert(0, _wrap(key, newest.public_key()))
            _write_atomic(path, data, exclusive=False)
        return DataKey(key)
    raise DataKeyError(
        f"암호화 키 파일 {path} 을(를) 열 수 있는 기관 키가 없습니다.",
        f"None of the office keys loaded can open the data key file {path}.",
        {"key_file": str(path), "kids": sorted(wrapped)},
    )
