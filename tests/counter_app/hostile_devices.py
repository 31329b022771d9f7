"""The scanner commands (``devices watch``, ``devices calibrate``: the set-up of issue 19) for
the hostile walk of tests/counter_app/test_cli_hostile.py."""

from __future__ import annotations

from pathlib import Path

from decoding.calibration import TEST_BODY


def devices_invocations(t: Path, garbage: Path) -> dict[str, list[list[str]]]:
    """``devices watch`` with a bad source, value or configuration; ``devices calibrate`` fed
    what is not a scan of the test code: refused, nothing saved."""
    scans = {"empty": "", "hello": "hello\n", "short": "MW1:" + TEST_BODY[:10] + "\n",
             "escape": "\x1b[2J]Q1MW1:\x00\n", "long": "MW1:" + "A" * 9000 + "\n"}
    files = []
    for name, text in scans.items():
        files.append(t / f"scan-{name}.txt")
        files[-1].write_text(text, encoding="utf-8")
    folder = t / "a-folder"
    folder.mkdir(exist_ok=True)
    watch = [["bogus:thing", "--count", "1", "--timeout", "0.1"],
             ["fake:" + str(t / "missing.txt"), "--count", "1", "--timeout", "0.1"],
             ["keyboard", "--timeout", "nan"], ["keyboard", "--count", "-1"],
             *[["keyboard", "--config", str(c), "--timeout", "0.1"]
               for c in (t / "missing.toml", garbage, folder)],
             ["fake:" + str(t / "missing.txt"), "--config", str(garbage), "--timeout", "0.1"]]
    return {"devices watch": watch, "devices calibrate": [
        ["--config", str(t / "missing.toml"), "--text-file", str(files[1])],
        ["--config", str(garbage), "--text-file", str(files[1])],
        *[["--text-file", str(f)] for f in (garbage, t / "missing.txt", folder, *files)],
        *[["--timeout", bad, "--text-file", str(files[1])] for bad in ("nan", "-1", "1e9")],
    ]}
