"""Signed counter configurations: the district signs each counter's folder.

``counter-app provision --sign-key DISTRICT.pem`` writes, into every counter
folder, ``manifest.json``: the SHA-256 of every file in the folder
(``counter.toml``, the key files, the install note), signed with the
district's Ed25519 key. The counter program trusts the district public keys
*installed with the program* (``district-keys/*.pub.pem`` beside the
executable, put there by the installer) or, where none is installed, named by
the environment variable ``COUNTER_APP_DISTRICT_KEY`` (one or more
``.pub.pem`` paths separated by ``os.pathsep``). When it trusts at least one key, it checks the folder at
every start and refuses a configuration that is unsigned, signed by a key it
does not trust, or changed since it was signed, naming the changed file in
Korean and English. With no district key installed (a developer's machine,
the demo) nothing is checked.

Key roll-over without visiting every PC twice: the district makes a new key
pair and runs ``provision --sign-key NEW.pem --previous-key OLD.pem``. Each
manifest then carries an *endorsement*: the new public key signed by the old
one. A counter that still only trusts the old key accepts the new folder,
because the old key vouches for the new one; the next program release
(installer or update) installs the new public key, after which the old one
can be retired. So one visit (or one configuration push) per PC is enough.

Wire format (``manifest.json``)::

    {"format": "counter-app-manifest-1",
     "payload": "<JSON text: office, counter, signed_at, key_id, files {path: sha256}>",
     "key": "<base64 raw Ed25519 public key that signed payload>",
     "signature": "<base64 Ed25519 signature over payload (UTF-8)>",
     "endorsements": [{"key": "<b64 new key>", "by": "<key_id>", "signature": "<b64>"}]}

The payload is kept as the exact signed text, so no canonical JSON is needed.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from counter_app.config import ConfigError
from decoding.keys import write_pem_pair
from decoding.limits import KEY_BYTES, TEXT_BYTES, read_bounded
from records.atomic import atomic_write

MANIFEST = "manifest.json"
FORMAT = "counter-app-manifest-1"
DISTRICT_KEY_ENV = "COUNTER_APP_DISTRICT_KEY"
KEY_DIR_NAME = "district-keys"
_ENDORSE_CONTEXT = b"counter-app district key endorsement v1\n"


class SignatureError(ConfigError):
    """The configuration is not signed by a trusted district key, or was changed since."""


def key_id(public_key: Ed25519PublicKey) -> str:
    """First 8 bytes of SHA-256 over the raw public key, in hex."""
    return hashlib.sha256(_raw(public_key)).digest()[:8].hex()


def _raw(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any, what: str) -> bytes:
    try:
        if not isinstance(text, str):
            raise ValueError
        return base64.b64decode(text, validate=True)
    except (ValueError, binascii.Error):
        raise SignatureError(
            f"서명 파일이 손상되었습니다({what}) / the signature file is damaged ({what})"
        ) from None


def generate_signing_key(
    out_dir: Path, passphrase: bytes | None = None, name: str = "district"
) -> tuple[Path, Path, str]:
    """Write ``NAME.pem`` (PKCS#8, encrypted when asked) and ``NAME.pub.pem``; never overwrites."""
    key = Ed25519PrivateKey.generate()
    priv_path, pub_path = write_pem_pair(out_dir, key, passphrase, name)
    return priv_path, pub_path, key_id(key.public_key())


def load_signing_key(path: Path, passphrase: bytes | None = None) -> Ed25519PrivateKey:
    try:
        data = read_bounded(path, KEY_BYTES)
    except OSError as exc:
        raise ConfigError(f"{path}: 키 파일을 읽을 수 없습니다 / cannot read key file") from exc
    encrypted = b"BEGIN ENCRYPTED PRIVATE KEY" in data
    if encrypted and not passphrase:
        raise ConfigError(
            f"{path}: 암호로 보호된 키입니다. 암호 파일을 지정해 주세요 / the key is encrypted"
        )
    try:
        key = serialization.load_pem_private_key(data, password=passphrase if encrypted else None)
    except (TypeError, ValueError) as exc:
        raise ConfigError(
            f"{path}: 키를 읽을 수 없습니다(암호가 틀렸거나 손상됨) / cannot load key: {exc}"
        ) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise ConfigError(
            f"{path}: Ed25519 서명 키가 아닙니다 (keys generate --kind ed25519) / not an Ed25519 key"
        )
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(read_bounded(path, KEY_BYTES))
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"{path}: 구청 공개키를 읽을 수 없습니다 / cannot read the district public key"
        ) from exc
    if not isinstance(key, Ed25519PublicKey):
        raise ConfigError(f"{path}: Ed25519 공개키가 아닙니다 / not an Ed25519 public key")
    return key


def installed_key_dirs() -> list[Path]:
    """Where the installer puts the district public keys: beside the program."""
    if getattr(sys, "frozen", False):
        return [Path(sys.executable).resolve().parent / KEY_DIR_NAME]
    return [Path(sys.prefix) / KEY_DIR_NAME]


def trusted_keys() -> list[Ed25519PublicKey]:
    """The district public keys this counter trusts.

    The keys installed with the program win: that folder (``%ProgramFiles%``)
    only an administrator can write, while anyone at the PC can set an
    environment variable. ``COUNTER_APP_DISTRICT_KEY`` counts only where no key
    is installed (a test bench, a PC installed without the MSI)."""
    installed: list[Path] = []
    for folder in installed_key_dirs():
        if folder.is_dir():
            installed += sorted(folder.glob("*.pub.pem"))
    if installed:
        return [load_public_key(p) for p in installed]
    env = os.environ.get(DISTRICT_KEY_ENV, "")
    return [load_public_key(Path(p)) for p in env.split(os.pathsep) if p.strip()]


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def _folder_files(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): file_hash(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != MANIFEST
    }


@dataclass(frozen=True)
class Endorsement:
    """``by`` (a key id) vouches for ``key``."""

    key: bytes
    by: str
    signature: bytes

    def as_json(self) -> dict[str, str]:
        return {"key": _b64(self.key), "by": self.by, "signature": _b64(self.signature)}


def endorse(old: Ed25519PrivateKey, new: Ed25519PublicKey) -> Endorsement:
    raw = _raw(new)
    return Endorsement(raw, key_id(old.public_key()), old.sign(_ENDORSE_CONTEXT + raw))


def sign_folder(
    folder: Path,
    key: Ed25519PrivateKey,
    *,
    office: str = "",
    counter: str = "",
    endorsements: Iterable[Endorsement] = (),
    now: dt.datetime | None = None,
) -> Path:
    """Write ``folder/manifest.json`` over every other file in the folder."""
    payload = json.dumps(
        {
            "office": office,
            "counter": counter,
            "signed_at": (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
            "key_id": key_id(key.public_key()),
            "files": _folder_files(folder),
        },
        ensure_ascii=False,
        sort_keys=True,
    )
    manifest = {
        "format": FORMAT,
        "payload": payload,
        "key": _b64(_raw(key.public_key())),
        "signature": _b64(key.sign(payload.encode("utf-8"))),
        "endorsements": [e.as_json() for e in endorsements],
    }
    path = folder / MANIFEST
    atomic_write(path, json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
    return path


@dataclass(frozen=True)
class Verified:
    folder: Path
    key_id: str
    signed_at: str
    files: dict[str, str]
    via_endorsement: bool

    @property
    def config_hash(self) -> str:
        """One short hash naming this exact configuration (for the fleet view)."""
        text = json.dumps(self.files, sort_keys=True).encode()
        return hashlib.sha256(text).hexdigest()[:16]


def _refused(ko: str, en: str) -> SignatureError:
    """Korean first, then English, each ending with what to do."""
    return SignatureError(
        f"{ko} 구청 정보화 담당자에게 설정을 다시 받으세요. / "
        f"{en}; ask district IT for the signed configuration."
    )


def _signer_trusted(
    signer: Ed25519PublicKey, endorsements: list[Any], trusted: list[Ed25519PublicKey]
) -> bool | None:
    """True when trusted directly, False via endorsements, None when not trusted at all."""
    known = {key_id(k): k for k in trusted}
    target = key_id(signer)
    if target in known:
        return True
    # Follow endorsements from trusted keys (a chain: old -> newer -> newest).
    changed = True
    while changed and target not in known:
        changed = False
        for e in endorsements:
            if not isinstance(e, dict):
                continue
            by = known.get(str(e.get("by")))
            if by is None:
                continue
            raw = _unb64(e.get("key"), "endorsement")
            try:
                by.verify(_unb64(e.get("signature"), "endorsement"), _ENDORSE_CONTEXT + raw)
                new = Ed25519PublicKey.from_public_bytes(raw)
            except (InvalidSignature, ValueError):
                continue
            if key_id(new) not in known:
                known[key_id(new)] = new
                changed = True
    return False if target in known else None


def verify_folder(folder: Path, trusted: list[Ed25519PublicKey],
                  read: dict[str, bytes] | None = None) -> Verified:
    """Check ``folder/manifest.json`` against the trusted keys and the files on disk.

    ``read`` holds files the caller has read already (name -> bytes): those bytes
    are checked, not the file again, so what is verified is what is used (a file
    swapped between the check and the use cannot slip in unsigned).
    """
    path = folder / MANIFEST
    if not path.exists():
        raise _refused(
            f"설정 폴더 {folder} 에 구청 서명(manifest.json)이 없습니다.",
            f"the configuration in {folder} is not signed by the district",
        )
    try:
        outer = json.loads(read_bounded(path, TEXT_BYTES).decode("utf-8"))
        if not isinstance(outer, dict) or outer.get("format") != FORMAT:
            raise ValueError("format")
        payload_text = outer["payload"]
        if not isinstance(payload_text, str):
            raise ValueError("payload")
    except (OSError, ValueError, KeyError, UnicodeDecodeError) as exc:
        raise _refused(
            f"서명 파일 {path} 이 손상되었습니다.", f"the signature file is damaged ({exc})"
        ) from None
    try:
        signer = Ed25519PublicKey.from_public_bytes(_unb64(outer.get("key"), "key"))
        signer.verify(_unb64(outer.get("signature"), "signature"), payload_text.encode("utf-8"))
    except (InvalidSignature, ValueError):
        raise _refused(
            "설정 서명이 맞지 않습니다(manifest.json 이 변경됨).",
            "the manifest's signature does not verify",
        ) from None
    endorsements = outer.get("endorsements") or []
    direct = _signer_trusted(
        signer, endorsements if isinstance(endorsements, list) else [], trusted
    )
    if direct is None:
        raise _refused(
            f"설정이 신뢰하지 않는 키({key_id(signer)})로 서명되었습니다.",
            f"the configuration is signed by an untrusted key {key_id(signer)}",
        )
    payload = json.loads(payload_text)
    files: dict[str, str] = payload.get("files", {})
    read = read or {}
    for name, digest in sorted(files.items()):
        target = folder / name
        if name in read:
            if hashlib.sha256(read[name]).hexdigest() != digest:
                raise _refused(
                    f"설정 파일 '{name}' 이 구청 서명 이후 변경되어 사용할 수 없습니다.",
                    f"the configuration file '{name}' was changed since the district signed it",
                )
            continue
        if ".." in Path(name).parts or not target.is_file():
            raise _refused(
                f"설정 파일 '{name}' 이 없어졌습니다.",
                f"the configuration file '{name}' is missing",
            )
        if file_hash(target) != digest:
            raise _refused(
                f"설정 파일 '{name}' 이 구청 서명 이후 변경되어 사용할 수 없습니다.",
                f"the configuration file '{name}' was changed since the district signed it",
            )
    return Verified(
        folder=folder,
        key_id=key_id(signer),
        signed_at=str(payload.get("signed_at", "")),
        files=files,
        via_endorsement=direct is False,
    )


def check_configuration(config_file: Path, data: bytes | None = None) -> Verified | None:
    """The start-up check (called by :func:`counter_app.config.load_settings`).

    With no trusted district key there is nothing to check (None). Otherwise
    the folder of ``config_file`` must verify, and ``counter.toml`` itself must
    be one of the signed files; ``data`` is its content as the caller read it
    (checked instead of reading the file a second time).
    """
    trusted = trusted_keys()
    if not trusted:
        return None
    read = {config_file.name: data} if data is not None else None
    verified = verify_folder(config_file.parent, trusted, read)
    if config_file.name not in verified.files:
        raise _refused(
            f"설정 파일 '{config_file.name}' 은 구청 서명에 포함되지 않았습니다.",
            f"'{config_file.name}' is not covered by the district signature",
        )
    return verified
