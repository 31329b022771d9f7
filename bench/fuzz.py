"""Fuzzing: the reader, validation and intake over generated hostile inputs.

    .venv/bin/python -m bench.fuzz [--runs 1000000] [--engine atheris|random] [--dir DIR]

Every input must end in an accepted case or a rejection with an ``MW_*``
code: no traceback, no other exception, nothing half-written. One input is
one of (its first byte chooses):

* QR text, one scan per line, through :func:`decoding.payload.decode` (the
  ``decode``/``validate`` commands and the window's reader); the same bytes
  also as an image header and as a password file (issue 18's bounds);
* a petition document as JSON bytes (what is inside the envelope, after
  decryption), through the structure and clock checks, the form catalogue,
  the power of attorney and the on-screen rendering of every field; a
  document that passes is then **encrypted into a real QR text and taken in**
  through :class:`counter_app.intake.IntakeService` on a SQLite case
  database (with a fresh payload id, so each one is recorded), read back and
  checked against the schema's column lengths;
* raw bytes as the decrypted plaintext (inflate, JSON; what passes must print
  as strict JSON);
* bytes sealed into a real envelope and opened again (HPKE, the whole path);
* a version 2 coded document (docs/payload-v2.md: member and form indices,
  choices, packed digits), compressed with the newest catalogue version's
  dictionary, through the reader; one it accepts goes on like a document above;
* bytes as a version 2 plaintext (catalogue id, then DEFLATE) in a real
  version 2 envelope.

``--engine atheris`` (the default when atheris is installed) is
coverage-guided (libFuzzer), seeded with a valid petition of every shipped
form and a dictionary of hostile tokens (lone surrogates, full-width digits,
year-10000 timestamps, formula prefixes, bidi overrides, terminal escapes).
``--engine random`` mutates the same seeds without coverage feedback (for a
machine without atheris). Prints one JSON object: runs, seconds, outcomes
per code; exit 1 when any input ended in anything but an ``MW_*`` code or a
recorded case. ``tests/test_fuzz_short.py`` runs a short version in CI.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import copy
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import traceback
import zlib
from collections import Counter
from pathlib import Path
from typing import Any

NOW = 1_764_000_000
OFFICE = "3210000"
MAX_LEN = 4096
KINDS = 6  # the first byte of an input, modulo this, picks its kind (see the docstring)
TOKENS = [
    b'"\\ud800"', b"\\udfff", b"\\u0000", b"\\u202e", b"\\u200b", b"\\u001b[2J",
    "\uff11\uff12\uff13\uff14\uff15".encode(), "\u0661\u0662".encode(), b"253402300800",
    b"99999999999999999999", b"-1", b"1e999", b"NaN", b"=HYPERLINK(", b"+cmd|", b"@SUM(",
    "\u202e\u200b".encode(), "\u3164".encode(), b"\x1b]0;x\x07", b'"relation":', b'"name":',
    b'"postcode":', b'"rrn":', b'"iat":', b'"exp":', b'"delegate":', b'"fields":', b"[[[[[[",
    b'"birth":"9999-12-31"', b'"birth":"0001-01-01"', b"true", b"null", b"{}", b"[]",
    b"x" * 300,
]


class Outcomes:
    """What the inputs came to, by code."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.runs = 0

    def add(self, outcome: str) -> None:
        self.runs += 1
        self.counts[outcome] += 1


class Target:
    """One input through the reader, validation and intake; raises on anything but MW_*."""

    def __init__(self, folder: Path) -> None:
        # Imported here so that atheris can instrument them (see _child).
        from cryptography.hazmat.primitives.asymmetric import ec

        from counter_app.intake import IntakeService
        from decoding.forms import default_catalogue
        from decoding.keys import KeyRing
        from records.store import CaseStore

        self.key = ec.generate_private_key(ec.SECP256R1())
        self.keyring = KeyRing()
        self.keyring.add(self.key)
        self.catalogue = default_catalogue()
        folder.mkdir(parents=True, exist_ok=True)
        self.store = CaseStore(
            f"sqlite:///{folder / 'fuzz.db'}",
            attachments_dir=folder / "files",
            key_file=folder / "fuzz.db.key",
            private_keys=[self.key],
        )
        self.service = IntakeService(
            self.keyring, self.store, office=OFFICE, catalogue=self.catalogue, clock=lambda: NOW
        )
        self.outcomes = Outcomes()
        self.recorded = 0

    def close(self) -> None:
        self.store.close()

    # -- the input kinds --------------------------------------------------------

    def run(self, data: bytes) -> str:
        """The outcome of one input: "ok:<what>" or an MW_* code. Raises on anything else."""
        from decoding.errors import PayloadError

        kind, body = (data[0] % KINDS, data[1:]) if data else (0, b"")
        try:
            if kind == 0:
                outcome = self._qr_text(body)
            elif kind == 1:
                outcome = self._document(body)
            elif kind == 2:
                outcome = self._plaintext(body)
            elif kind == 3:
                outcome = self._envelope(body)
            elif kind == 4:
                outcome = self._coded(body)
            else:
                outcome = self._envelope_v2(body)
        except PayloadError as exc:
            outcome = exc.code.value
        if not (outcome.startswith("MW_") or outcome.startswith("ok")):
            raise AssertionError(f"outcome {outcome!r} is neither MW_* nor a recorded case")
        self.outcomes.add(outcome)
        return outcome

    def _qr_text(self, body: bytes) -> str:
        from decoding.payload import decode

        self._as_file(body)
        text = body.decode("utf-8", "surrogatepass") if _utf8ish(body) else body.decode("latin-1")
        lines = text.split("\n") if "\n" in text else [text]
        decode(lines, self.keyring, NOW)
        return "ok:decoded"

    def _plaintext(self, body: bytes) -> str:
        from decoding.payload import parse_plaintext

        doc = parse_plaintext(body, NOW)
        json.dumps(doc.raw, allow_nan=False)  # what decode prints: strict JSON, never Infinity
        return "ok:parsed"

    @staticmethod
    def _as_file(body: bytes) -> None:
        """The same bytes as a file handed to a command: an image header (its declared size is
        read before any decoding) and a password file (only a final line end is cut)."""
        from decoding.limits import secret_line
        from decoding.qrimage import ImageReadError, check_pixels

        with contextlib.suppress(ImageReadError):
            check_pixels(body, "fuzz")
        try:
            line = secret_line(body)
        except ValueError:
            return
        if not body.startswith(line) or len(body) - len(line) > 2:
            raise AssertionError("a password file was cut elsewhere than its final line end")

    def _envelope(self, body: bytes) -> str:
        from decoding.keys import kid_of
        from decoding.payload import _SUITE, SUITE_P256_SHA256_AES128GCM, VERSION, open_envelope

        header = bytes([VERSION, SUITE_P256_SHA256_AES128GCM]) + kid_of(self.key.public_key())
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        plaintext = compressor.compress(body) + compressor.flush()
        envelope = header + _SUITE.encrypt(plaintext, self.key.public_key(), info=b"MW1" + header)
        open_envelope(envelope, self.keyring, NOW)
        return "ok:opened"

    def _coded(self, body: bytes) -> str:
        from decoding.codebook import newest_codebook
        from decoding.payload import parse_plaintext_v2

        book = newest_codebook()
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15, zdict=book.dictionary)
        doc = parse_plaintext_v2(book.id + compressor.compress(body) + compressor.flush(), NOW)
        return self._take_in(doc)

    def _envelope_v2(self, body: bytes) -> str:
        from decoding.keys import kid_of
        from decoding.payload import (
            _SUITE,
            ENC_LEN,
            SUITE_P256_SHA256_AES128GCM,
            VERSION_2,
            open_envelope,
        )

        header = bytes([VERSION_2, SUITE_P256_SHA256_AES128GCM]) + kid_of(self.key.public_key())
        sealed = _SUITE.encrypt(body, self.key.public_key(), info=b"MW1" + header)
        point = bytes([2 | sealed[ENC_LEN - 1] & 1]) + sealed[1:33]
        open_envelope(header + point + sealed[ENC_LEN:], self.keyring, NOW)
        return "ok:opened"

    def _document(self, body: bytes) -> str:
        from decoding.payload import parse_plaintext

        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        return self._take_in(parse_plaintext(compressor.compress(body) + compressor.flush(), NOW))

    def _take_in(self, doc: Any) -> str:
        """A document the reader accepted: the catalogue, the rendering, then intake."""
        from decoding.document import parse_document
        from decoding.forms import check_document
        from decoding.forms.attorney import power_of_attorney, render_html, render_text
        from decoding.forms.display import display_value
        from decoding.payload import encode

        check_document(doc, self.catalogue)
        for entry in doc.forms:
            formdef = self.catalogue.get(entry.code, entry.ver)
            if formdef is not None:
                for fd in formdef.fields:
                    display_value(fd, entry.fields.get(fd.id))
        poa = power_of_attorney(doc, self.catalogue)
        if poa is not None:
            render_text(poa)
            render_html(poa)
        # Accepted by the reader: record it as the counter would, from a real QR.
        raw = dict(doc.raw)
        raw["id"] = base64.urlsafe_b64encode(os.urandom(16)).rstrip(b"=").decode()
        fresh = parse_document(raw)  # still the same document, with a new replay key
        texts = encode(fresh.raw, self.key.public_key())
        checked = self.service.check(texts)
        receipt = self.service.accept(checked, clerk="fuzz", counter="fuzz-1")
        shown = self.store.get(receipt.case_id)
        if shown.row.case_number != receipt.case_number:
            raise AssertionError("the recorded case reads back as another")
        self.recorded += 1
        return "ok:recorded"


def _utf8ish(body: bytes) -> bool:
    try:
        body.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return False
    return True


# -- seeds and mutation ----------------------------------------------------------


def seeds() -> list[bytes]:
    """A valid petition of every shipped form (with and without a delegate), as inputs."""
    from decoding.codebook import newest_codebook
    from decoding.compact import encode_document
    from decoding.forms import default_catalogue
    from decoding.forms.examples import EXAMPLE_APPLICANT, EXAMPLE_DELEGATE, example_fields

    out: list[bytes] = []
    v2: list[bytes] = []
    book = newest_codebook()
    for i, formdef in enumerate(default_catalogue().forms):
        doc: dict[str, Any] = {
            "v": 1, "id": "AAAAAAAAAAAAAAAAAAAAAA", "iat": NOW - 60, "exp": NOW + 86400,
            "applicant": dict(EXAMPLE_APPLICANT),
            "forms": [{"code": formdef.code, "ver": formdef.ver,
                       "fields": example_fields(formdef)}],
        }
        if i % 2:
            doc["delegate"] = dict(EXAMPLE_DELEGATE)
        body = json.dumps(doc, ensure_ascii=False).encode()
        out.append(b"\x01" + body)
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        out.append(b"\x02" + compressor.compress(body) + compressor.flush())
        out.append(b"\x03" + body)
        coded = encode_document(doc, book)
        v2.append(b"\x04" + coded)
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15, zdict=book.dictionary)
        v2.append(b"\x05" + book.id + compressor.compress(coded) + compressor.flush())
    out += v2  # after the version 1 seeds, whose places tests rely on
    out.append(b"\x00MW1:" + b"6BFOXN%TS3DH" * 4)
    out.append(b"\x00MWP:" + b"A" * 40 + b"\nMWP:" + b"B" * 40)
    return out


HOSTILE_VALUES: list[Any] = [
    "\ud800", "\udfff", "", " ", "\u200b", "\u202e\u202d", "\u3164", "\x1b[2J", "\x00",
    "\x9b31m", "０６７５０", "９００１０１１２３４５６８", "٠١٢٣٤", "=HYPERLINK(\"x\")", "+cmd|' /C x'!A0",
    "@SUM(A1)", "x" * 5000, "가" * 41, "9999-12-31", "0001-01-01", "2026-02-30", 253402300800,
    10**30, -(10**30), 1e308, -0.0, 0, -1, True, None, [], {}, ["\ud800"], {"\ud800": 1},
    [[[[[[]]]]]], "010-0000-0000", "00000", "0000000000000", "../../etc/passwd",
]


def _hostile(rng: random.Random) -> Any:
    return copy.deepcopy(rng.choice(HOSTILE_VALUES))


def _json_mutate(doc: Any, rng: random.Random) -> Any:
    """Replace, drop or add one member somewhere in a JSON document."""
    path: list[Any] = []
    node = doc
    while isinstance(node, dict | list) and node and rng.random() < 0.8:
        key = rng.choice(list(node)) if isinstance(node, dict) else rng.randrange(len(node))
        path.append(key)
        node = node[key]
    if not path:
        return _hostile(rng)
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    choice = rng.random()
    if choice < 0.15 and isinstance(parent, dict):
        del parent[last]
    elif choice < 0.25 and isinstance(parent, dict):
        parent[rng.choice(["relation", "delegate", "office", "rrn", "birth", "name", "x"])] = (
            _hostile(rng))
    else:
        parent[last] = _hostile(rng)
    return doc


def mutate(data: bytes, rng: random.Random) -> bytes:
    """A few random edits: JSON-aware ones (a member replaced by a hostile value) when
    the input is a document, else byte flips, hostile tokens, cuts, duplications."""
    if data[:1] in (b"\x01", b"\x03") and rng.random() < 0.7:
        try:
            doc = json.loads(data[1:])
        except (ValueError, RecursionError):
            doc = None
        if isinstance(doc, dict):
            for _ in range(rng.randint(1, 3)):
                doc = _json_mutate(doc, rng)
            text = json.dumps(doc, ensure_ascii=rng.random() < 0.5)
            return data[:1] + text.encode("utf-8", "surrogatepass")[:MAX_LEN]
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(6)
        pos = rng.randrange(len(buf) + 1) if buf else 0
        if op == 0 and buf:
            buf[min(pos, len(buf) - 1)] ^= 1 << rng.randrange(8)
        elif op == 1:
            buf[pos:pos] = rng.choice(TOKENS)
        elif op == 2 and buf:
            end = min(len(buf), pos + rng.randint(1, 16))
            del buf[pos:end]
        elif op == 3 and buf:
            start = rng.randrange(len(buf))
            buf[pos:pos] = buf[start : start + rng.randint(1, 32)]
        elif op == 4:
            # replace a JSON string value with a token
            i = buf.find(b'":"', pos)
            if i != -1:
                j = buf.find(b'"', i + 3)
                if j != -1:
                    buf[i + 3 : j] = rng.choice(TOKENS).strip(b'"')
        else:
            buf[pos:pos] = bytes([rng.randrange(256)])
    if buf and rng.random() < 0.05:
        buf[0] = rng.randrange(KINDS)
    return bytes(buf[:MAX_LEN])


def run_random(target: Target, runs: int, seed: int = 1, report_every: int = 0) -> None:
    """``runs`` mutated inputs (the seeds themselves first)."""
    rng = random.Random(seed)
    pool = seeds()
    for s in pool[:runs]:
        target.run(s)
    for i in range(max(0, runs - len(pool))):
        data = mutate(rng.choice(pool), rng)
        target.run(data)
        if len(pool) < 2000 and rng.random() < 0.01:
            pool.append(data)  # keep some mutants to mutate further
        if report_every and (i + 1) % report_every == 0:
            print(f"{target.outcomes.runs} runs", file=sys.stderr, flush=True)


# -- atheris (in a child process: libFuzzer ends the process when done) -------------


def _child(args: argparse.Namespace) -> None:
    import atheris

    with atheris.instrument_imports(include=["decoding", "records", "counter_app"]):
        import counter_app.intake  # noqa: F401
        import decoding.forms
        import decoding.forms.attorney
        import decoding.payload  # noqa: F401
        import records.store  # noqa: F401
    folder = Path(args.dir)
    target = Target(folder / "db")
    stats = folder / "stats.json"
    runs = args.runs

    def write_stats() -> None:
        tmp = stats.with_suffix(".tmp")
        tmp.write_text(json.dumps({"runs": target.outcomes.runs, "recorded": target.recorded,
                                   "outcomes": dict(target.outcomes.counts)}))
        os.replace(tmp, stats)

    def one(data: bytes) -> None:
        try:
            target.run(data)
        except BaseException:
            (folder / "failure.txt").write_text(
                repr(data[:2000]) + "\n" + traceback.format_exc(), encoding="utf-8")
            write_stats()
            raise
        n = target.outcomes.runs
        if n % 1000 == 0 or n >= runs:
            write_stats()

    corpus = folder / "corpus"
    corpus.mkdir(exist_ok=True)
    for i, s in enumerate(seeds()):
        (corpus / f"seed-{i:03d}").write_bytes(s)
    dictionary = folder / "tokens.dict"
    dictionary.write_text("".join(
        '"' + "".join(f"\\x{b:02x}" for b in t) + '"\n' for t in TOKENS))
    def mutator(data: bytes, max_size: int, seed: int) -> bytes:
        # libFuzzer's own byte mutations, and half the time ours: hostile tokens put
        # in place of JSON string values, so more inputs get past the JSON parser
        # into the structure, catalogue and intake checks.
        if seed % 2:
            return atheris.Mutate(data, max_size)
        return mutate(data, random.Random(seed))[:max_size]

    atheris.Setup(
        [sys.argv[0], f"-runs={runs}", f"-max_len={MAX_LEN}", f"-dict={dictionary}",
         "-rss_limit_mb=4096", f"-artifact_prefix={folder}/", "-print_final_stats=1",
         str(corpus)],
        one,
        custom_mutator=mutator,
    )
    atheris.Fuzz()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fuzz", description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=1_000_000)
    parser.add_argument("--engine", choices=("atheris", "random"), default=None)
    parser.add_argument("--dir", type=Path, default=None, help="work folder (default: a temp one)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args)
        return 0
    engine = args.engine
    if engine is None:
        try:
            import atheris  # noqa: F401

            engine = "atheris"
        except ImportError:
            engine = "random"
    folder = args.dir or Path(tempfile.mkdtemp(prefix="counter-fuzz-"))
    folder.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    if engine == "atheris":
        with open(folder / "libfuzzer.log", "w") as log_file:
            proc = subprocess.run(
                [sys.executable, "-m", "bench.fuzz", "--child", "--runs", str(args.runs),
                 "--dir", str(folder)],
                stderr=log_file, check=False,
            )
        seconds = time.monotonic() - started
        stats = json.loads((folder / "stats.json").read_text()) if (
            folder / "stats.json").exists() else {"runs": 0, "outcomes": {}}
        log_text = (folder / "libfuzzer.log").read_text(errors="replace")
        for line in log_text.splitlines():
            if line.startswith("stat::number_of_executed_units:"):
                stats["runs"] = int(line.split(":")[-1])  # libFuzzer's own count
        failure = folder / "failure.txt"
        ok = proc.returncode == 0 and not failure.exists()
        result = {"engine": "atheris", **stats, "seconds": round(seconds, 1),
                  "exit_code": proc.returncode, "log": str(folder / "libfuzzer.log")}
        if failure.exists():
            result["failure"] = failure.read_text(encoding="utf-8")[-3000:]
    else:
        target = Target(folder / "db")
        ok = True
        try:
            run_random(target, args.runs, args.seed, report_every=100_000)
        except Exception:
            ok = False
            failure_text = traceback.format_exc()
        finally:
            target.close()
        seconds = time.monotonic() - started
        result = {"engine": "random", "runs": target.outcomes.runs, "recorded": target.recorded,
                  "outcomes": dict(target.outcomes.counts), "seconds": round(seconds, 1)}
        if not ok:
            result["failure"] = failure_text
    result["ok"] = ok
    result["per_second"] = round(result.get("runs", 0) / max(seconds, 1e-9))
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
