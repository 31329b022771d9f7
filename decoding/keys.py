"""The office's P-256 key pairs and the key ring that picks one by kid.

``kid`` = the first 4 bytes of SHA-256 over the public key as an uncompressed
SEC1 point (spec section 1). It is always computed, never configured. A reader
holds several keys during a rotation: the current one and those before it.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from decoding.errors import CounterError


class KeyFileError(CounterError):
    """A key file is missing, unreadable, of the wrong kind or locked by a passphrase."""

    code = "KEY_FILE"


def point_bytes(public_key: ec.EllipticCurvePublicKey) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


def kid_of(public_key: ec.EllipticCurvePublicKey) -> bytes:
    return hashlib.sha256(point_bytes(public_key)).digest()[:4]


def _check_p256(key: object, path: Path | str) -> None:
    curve = getattr(key, "curve", None)
    if not isinstance(curve, ec.SECP256R1):
        raise KeyFileError(f"{path}: P-256 키가 아닙니다 / not a P-256 (secp256r1) key")


def _read_key_file(path: Path | str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise KeyFileError(
            f"{path}: 키 파일을 읽을 수 없습니다 / cannot read key file: {exc.strerror}"
        ) from exc


def load_private_key(
    path: Path | str, passphrase: bytes | None = None
) -> ec.EllipticCurvePrivateKey:
    data = _read_key_file(path)
    encrypted = b"BEGIN ENCRYPTED PRIVATE KEY" in data
    if encrypted and not passphrase:
        raise KeyFileError(
            f"{path}: 암호로 보호된 키입니다. 암호 파일을 지정해 주세요 / "
            "the key is encrypted: give a passphrase file"
        )
    try:
        key = serialization.load_pem_private_key(data, password=passphrase if encrypted else None)
    except (TypeError, ValueError) as exc:
        raise KeyFileError(
            f"{path}: 개인키를 읽을 수 없습니다(잘못된 형식 또는 암호) / "
            "not a readable private key (wrong format or passphrase)"
        ) from exc
    _check_p256(key, path)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    return key


def load_public_key(path: Path | str) -> ec.EllipticCurvePublicKey:
    data = _read_key_file(path)
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError:
        # A private key file also yields its public key: handy for tests and demos.
        try:
            return load_private_key(path).public_key()
        except KeyFileError:
            pass
        raise KeyFileError(
            f"{path}: 공개키를 읽을 수 없습니다 / not a readable public key"
        ) from None
    _check_p256(key, path)
    assert isinstance(key, ec.EllipticCurvePublicKey)
    return key


class KeyRing:
    """Private keys by kid. Adding the same key twice is harmless."""

    def __init__(self, keys: Iterable[ec.EllipticCurvePrivateKey] = ()) -> None:
        self._keys: dict[bytes, ec.EllipticCurvePrivateKey] = {}
        for key in keys:
            self.add(key)

    def add(self, key: ec.EllipticCurvePrivateKey) -> bytes:
        if not isinstance(key.curve, ec.SECP256R1):
            raise KeyFileError("P-256 키가 아닙니다 / not a P-256 key")
        kid = kid_of(key.public_key())
        self._keys[kid] = key
        return kid

    def get(self, kid: bytes) -> ec.EllipticCurvePrivateKey | None:
        return self._keys.get(kid)

    @property
    def kids(self) -> list[bytes]:
        return list(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    @classmethod
    def from_files(cls, paths: Iterable[Path | str], passphrase: bytes | None = None) -> KeyRing:
        """Load PEM PKCS#8 keys; an encrypted one uses ``passphrase``."""
        ring = cls()
        for path in paths:
            ring.add(load_private_key(path, passphrase))
        return ring


def read_passphrase(path: Path | str) -> bytes:
    """A passphrase file holds the passphrase on its first line."""
    try:
        text = Path(path).read_bytes()
    except OSError as exc:
        raise KeyFileError(
            f"{path}: 암호 파일을 읽을 수 없습니다 / cannot read passphrase file"
        ) from exc
    return text.splitlines()[0] if text.strip() else b""


def write_pem_pair(
    out_dir: Path | str,
    key: ec.EllipticCurvePrivateKey | Ed25519PrivateKey,
    passphrase: bytes | None = None,
    name: str = "office",
) -> tuple[Path, Path]:
    """Write ``NAME.pem`` (PKCS#8, encrypted when a passphrase is given, mode 0600) and
    ``NAME.pub.pem`` durably; existing files are never overwritten (FileExistsError).

    ``name`` is a file name stem only: a path (``../../x``) is refused, so the
    keys land in ``out_dir`` and nowhere else.
    """
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}", name) or ".." in name:
        raise KeyFileError(
            f"키 이름은 영문자·숫자·._- 64자 이내의 파일 이름이어야 합니다 (경로 불가) / "
            f"the key name must be a plain file name stem (letters, digits, ._-; no path): "
            f"{name[:80]!r}"
        )
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    priv = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    pub = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    priv_path, pub_path = out / f"{name}.pem", out / f"{name}.pub.pem"
    for path, data, mode in ((priv_path, priv, 0o600), (pub_path, pub, 0o644)):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    return priv_path, pub_path


def generate_keypair(
    out_dir: Path | str, passphrase: bytes | None = None, name: str = "office"
) -> tuple[Path, Path, str]:
    """Write ``NAME.pem`` (PKCS#8, encrypted when a passphrase is given) and ``NAME.pub.pem``.

    Returns the two paths and the kid in hex. Existing files are never overwritten.
    """
    key = ec.generate_private_key(ec.SECP256R1())
    priv_path, pub_path = write_pem_pair(out_dir, key, passphrase, name)
    return priv_path, pub_path, kid_of(key.public_key()).hex()
