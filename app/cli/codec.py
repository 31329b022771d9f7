"""``keys generate``, ``encode`` and ``decode``: the MW1 codec on the command line.

IT staff use ``decode`` to find out why a QR will not scan; tests, the demo
and training use ``encode``. ``decode`` prints exactly one JSON object.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.cli.common import EXIT_OK, EXIT_REJECTED, EXIT_USAGE
from decoding.document import Document
from decoding.errors import PayloadError
from decoding.keys import KeyFileError, KeyRing, generate_keypair, load_public_key, read_passphrase
from decoding.limits import TEXT_BYTES, TooLarge, read_bounded
from decoding.payload import decode, encode
from decoding.qrimage import ImageReadError, qr_png, read_qr_texts


def _escape_unsafe(match: re.Match[str]) -> str:
    c = match.group(0)
    if len(c) == 1 and ord(c) <= 0xFFFF:
        return f"\\u{ord(c):04x}"
    return c.encode("utf-8", "replace").decode("utf-8")


# What JSON leaves raw with ensure_ascii=False but a terminal acts on or reorders:
# DEL, C1 controls (0x9b is CSI), bidi controls, line/paragraph separators, lone surrogates.
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                             "\u2066-\u2069\ud800-\udfff]")


def _finite(obj: Any) -> Any:
    """``obj`` with NaN and infinities as null: what strict JSON can say about them."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_finite(v) for v in obj]
    return obj


def print_json(obj: Any) -> None:
    """One JSON object on a line, strict (no NaN/Infinity, which other readers refuse);
    nothing in it can act on a terminal (escaped, not lost). Every command prints with it."""
    try:
        text = json.dumps(obj, ensure_ascii=False, indent=None, allow_nan=False)
    except ValueError:
        text = json.dumps(_finite(obj), ensure_ascii=False, indent=None, allow_nan=False)
    text = _UNSAFE_IN_JSON.sub(_escape_unsafe, text)
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def usage_error(message: str) -> int:
    print_json({"ok": False, "error": "USAGE", "message": message})
    return EXIT_USAGE


def add_key_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--key", action="append", required=True, type=Path, metavar="PRIV.pem",
        help="private key (PEM PKCS#8); repeat for key rotation",
    )
    parser.add_argument("--passphrase-file", type=Path, help="passphrase for encrypted keys")
    parser.add_argument("--now", type=int, help="Unix time to check iat/exp against")


def add_input_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--image", action="append", type=Path, metavar="FILE",
        help="read the QR text(s) from photos or scans instead (repeatable)",
    )
    parser.add_argument(
        "input", nargs="?", default="-", help="file of QR texts, one per line; - for stdin"
    )


def load_keyring(args: argparse.Namespace) -> KeyRing:
    """The keys named on the command line; raises KeyFileError with a clear message."""
    passphrase = read_passphrase(args.passphrase_file) if args.passphrase_file else None
    return KeyRing.from_files(args.key, passphrase)


def read_input_texts(args: argparse.Namespace) -> list[str]:
    """QR texts from images (--image) or from a file / stdin, one per line."""
    if args.image:
        texts: list[str] = []
        for path in args.image:
            texts.extend(read_qr_texts(path))
        if not texts:
            raise ImageReadError(
                "이미지에서 QR 코드를 찾지 못했습니다 / no QR code found in the image(s)"
            )
        return texts
    if args.input == "-":
        data = sys.stdin.buffer.read(TEXT_BYTES + 1)
        if len(data) > TEXT_BYTES:
            raise TooLarge("-", TEXT_BYTES)
    else:
        data = read_bounded(args.input, TEXT_BYTES)
    # Scanners and editors add CR; a blank line carries nothing.
    lines = data.decode("utf-8", errors="replace").splitlines()
    return [line for line in lines if line.strip("\r\n\t ")]


def decode_from_args(
    args: argparse.Namespace,
    rejection: Callable[[PayloadError], dict[str, Any]] = PayloadError.to_json,
) -> tuple[Document | None, int]:
    """Decode as ``decode`` does; prints the rejection itself (shaped by ``rejection``).

    Returns (document, exit code).
    """
    try:
        keyring = load_keyring(args)
        texts = read_input_texts(args)
    except (KeyFileError, ImageReadError) as exc:
        return None, usage_error(str(exc))
    except OSError as exc:
        return None, usage_error(f"입력을 읽을 수 없습니다 / cannot read input: {exc}")
    try:
        doc = decode(texts, keyring, args.now if args.now is not None else time.time())
    except PayloadError as exc:
        print_json(rejection(exc))
        return None, EXIT_REJECTED
    return doc, EXIT_OK


def _run_decode(args: argparse.Namespace) -> int:
    doc, code = decode_from_args(args)
    if doc is not None:
        print_json({"ok": True, "document": doc.raw})
    return code


def _run_encode(args: argparse.Namespace) -> int:
    try:
        public_key = load_public_key(args.key)
        source = (
            sys.stdin.read(TEXT_BYTES) if args.document == "-"
            else read_bounded(args.document, TEXT_BYTES).decode("utf-8")
        )
        document = json.loads(source)
    except KeyFileError as exc:
        return usage_error(str(exc))
    except (OSError, ValueError) as exc:
        return usage_error(f"문서를 읽을 수 없습니다 / cannot read the document: {exc}")
    if not isinstance(document, dict):
        return usage_error("문서는 JSON 객체여야 합니다 / the document must be a JSON object")
    try:
        texts = encode(document, public_key, args.parts, version=1 if args.v1 else 2)
    except ValueError as exc:
        return usage_error(str(exc))
    for text in texts:
        print(text)
    if args.png:
        try:
            args.png.mkdir(parents=True, exist_ok=True)
            for i, text in enumerate(texts, 1):
                path = qr_png(text, args.png / f"qr-{i:02d}.png", scale=args.scale)
                print(f"{path}", file=sys.stderr)
        except OSError as exc:
            return usage_error(f"QR 그림을 쓸 수 없습니다 / cannot write the QR images: {args.png}: "
                               f"{exc.strerror}")
    return EXIT_OK


MAX_SCALE = 40  # pixels per module: a 177-module symbol is 7,400 px wide at 40


def _scale(text: str) -> int:
    """argparse type: pixels per QR module, 1 to :data:`MAX_SCALE`."""
    if not (text.isascii() and text.isdigit() and len(text) <= 3 and 1 <= int(text) <= MAX_SCALE):
        raise argparse.ArgumentTypeError(
            f"1~{MAX_SCALE} 사이의 정수여야 합니다 / must be a whole number from 1 to {MAX_SCALE}: "
            f"{text[:40]!r}")
    return int(text)


def _run_keys_generate(args: argparse.Namespace) -> int:
    passphrase = None
    if args.passphrase_file:
        try:
            passphrase = read_passphrase(args.passphrase_file)
        except KeyFileError as exc:
            return usage_error(str(exc))
        if not passphrase:
            return usage_error("암호 파일이 비어 있습니다 / the passphrase file is empty")
    try:
        if args.kind == "ed25519":  # the district's signing key (signed configurations)
            from counter_app.signing import generate_signing_key

            priv, pub, key_id = generate_signing_key(args.out, passphrase, name=args.name)
            print_json(
                {"ok": True, "kind": "ed25519", "key_id": key_id, "private_key": str(priv),
                 "public_key": str(pub)}
            )
            return EXIT_OK
        priv, pub, kid = generate_keypair(args.out, passphrase, name=args.name)
    except FileExistsError as exc:
        return usage_error(
            f"이미 있는 키를 덮어쓰지 않습니다 / refusing to overwrite {exc.filename}"
        )
    except KeyFileError as exc:
        return usage_error(str(exc))
    except OSError as exc:
        print_json({"ok": False, "error": "IO_ERROR",
                    "message": f"키를 쓸 수 없습니다 / cannot write the key: {args.out}: "
                               f"{exc.strerror or exc}"})
        return EXIT_REJECTED
    print_json({"ok": True, "kid": kid, "private_key": str(priv), "public_key": str(pub)})
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    keys = sub.add_parser("keys", help="office key pairs (키 관리)")
    keys_sub = keys.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    gen = keys_sub.add_parser("generate", help="make a key pair (P-256 office key, or --kind ed25519 district signing key)")
    gen.add_argument("--out", type=Path, required=True, help="folder for NAME.pem and NAME.pub.pem")
    gen.add_argument("--name", default="office", help="file name stem (default: office)")
    gen.add_argument(
        "--kind",
        choices=["p256", "ed25519"],
        default="p256",
        help="p256: the office's QR key (default); ed25519: the district's signing key",
    )
    gen.add_argument(
        "--passphrase-file", type=Path, help="encrypt the private key with this passphrase"
    )
    gen.set_defaults(func=_run_keys_generate)

    enc = sub.add_parser("encode", help="encrypt a petition document (JSON) into QR text(s)")
    enc.add_argument("--key", type=Path, required=True, metavar="PUB.pem", help="office public key")
    enc.add_argument(
        "--parts", type=int, help="split into N parts (2..16); default: only when needed"
    )
    enc.add_argument(
        "--png", type=Path, metavar="DIR", help="also write an image of each QR symbol"
    )
    enc.add_argument("--scale", type=_scale, default=4, help="pixels per module in --png images (1-40)")
    enc.add_argument(
        "--v1", action="store_true",
        help="write payload version 1 (deflated JSON) instead of version 2 (docs/payload-v2.md)",
    )
    enc.add_argument("document", nargs="?", default="-", help="DOC.json, or - for stdin")
    enc.set_defaults(func=_run_encode)

    dec = sub.add_parser("decode", help="decrypt and check QR text(s); prints one JSON object")
    add_key_arguments(dec)
    add_input_arguments(dec)
    dec.set_defaults(func=_run_decode)
