"""``devices calibrate`` at a real terminal (a pseudo-terminal): the keys read as they
come and timed, the scan ended by Enter, by silence or by ``--timeout``, the terminal
always restored."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli.common import EXIT_REJECTED
from counter_app.signing import DISTRICT_KEY_ENV
from decoding.calibration import TEST_PAYLOAD

pytestmark = pytest.mark.skipif(os.name != "posix", reason="a POSIX pseudo-terminal")

REPO = Path(__file__).resolve().parents[2]
PROMPT = "scan the test code above"
WAIT = 30.0  # seconds: every wait here is bounded


class TerminalRun:
    """``python -m app ARGS`` with a pseudo-terminal as its stdin (what a scanner types
    into), stdout and stderr as pipes."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.master, self.slave = os.openpty()
        self.proc = subprocess.Popen([sys.executable, "-m", "app", *args], cwd=REPO, env=env,
                                     stdin=self.slave, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.err = b""

    def wait_for(self, text: str) -> None:
        """Until the command has written ``text`` to stderr (the terminal is set up then)."""
        assert self.proc.stderr is not None
        deadline = time.monotonic() + WAIT
        while text.encode() not in self.err:
            left = deadline - time.monotonic()
            assert left > 0 and self.proc.poll() is None, self.err.decode(errors="replace")
            ready, _, _ = select.select([self.proc.stderr], [], [], left)
            if ready:
                self.err += os.read(self.proc.stderr.fileno(), 65536)

    def type(self, text: str, gap: float) -> None:
        """Key by key, ``gap`` seconds apart, as a keyboard-wedge scanner types."""
        for ch in text:
            os.write(self.master, ch.encode())
            time.sleep(gap)

    def finish(self) -> tuple[int, str, str]:
        out, err = self.proc.communicate(timeout=WAIT)
        return self.proc.returncode, out.decode(), (self.err + err).decode(errors="replace")

    def line_editing(self) -> bool:
        """The terminal is back to lines and echo (as the shell left it)."""
        lflag = termios.tcgetattr(self.slave)[3]
        return bool(lflag & termios.ICANON) and bool(lflag & termios.ECHO)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate(timeout=WAIT)
        os.close(self.master)
        os.close(self.slave)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    config = tmp_path / "counter.toml"
    config.write_text('data_dir = "data"\n', encoding="utf-8")
    out = {k: v for k, v in os.environ.items() if k != DISTRICT_KEY_ENV}
    out.update(COUNTER_APP_DATA=str(tmp_path / "elsewhere"), COUNTER_APP_CONFIG=str(config),
               PYTHONPATH=str(REPO))
    return out


@pytest.fixture
def run(env: dict[str, str]) -> Iterator[list[TerminalRun]]:
    runs: list[TerminalRun] = []
    yield runs
    for r in runs:
        r.close()


def calibrate(runs: list[TerminalRun], env: dict[str, str], *extra: str) -> TerminalRun:
    runs.append(TerminalRun(["devices", "calibrate", "--config", env["COUNTER_APP_CONFIG"],
                             *extra], env))
    runs[-1].wait_for(PROMPT)
    return runs[-1]


def test_calibrate_times_the_keys_typed_into_a_terminal(
    run: list[TerminalRun], env: dict[str, str], tmp_path: Path
) -> None:
    term = calibrate(run, env)
    assert not term.line_editing()  # cbreak: each key as it comes
    term.type(TEST_PAYLOAD + "\r", 0.025)
    code, out, err = term.finish()
    assert code == 0, (out, err)
    learned = json.loads(out)
    profile = learned["profile"]
    assert learned["ok"] is True and profile["suffix"] == "\n" and profile["prefix"] == ""
    # measured: not None, more than 0 (the exact value depends on the machine's load)
    assert profile["median_gap_ms"] is not None and profile["median_gap_ms"] > 0, profile
    assert profile["max_gap_ms"] >= profile["median_gap_ms"]
    assert "ms a key" in learned["summary_en"]
    assert Path(learned["saved"]) == tmp_path / "data" / "scanner-profile.json"
    assert term.line_editing()  # the terminal restored


def test_a_tab_suffix_without_enter_ends_at_the_silence(
    run: list[TerminalRun], env: dict[str, str]
) -> None:
    term = calibrate(run, env)
    started = time.monotonic()
    term.type("]Q1" + TEST_PAYLOAD + "\t", 0.02)
    code, out, err = term.finish()
    assert code == 0, (out, err)
    profile = json.loads(out)["profile"]
    assert profile["suffix"] == "\t" and profile["prefix"] == "]Q1"
    assert profile["median_gap_ms"] is not None and profile["median_gap_ms"] > 0
    assert time.monotonic() - started < 50  # the silence ended it, not the 60 s timeout
    assert term.line_editing()


def test_nothing_typed_is_no_scan_after_the_timeout(
    run: list[TerminalRun], env: dict[str, str], tmp_path: Path
) -> None:
    term = calibrate(run, env, "--timeout", "1")
    code, out, err = term.finish()
    answer = json.loads(out)
    assert code == EXIT_REJECTED and answer["ok"] is False and answer["error"] == "CAL_NO_SCAN"
    assert "스캔이 없습니다 (1초 동안)" in answer["message"] and "within 1 s" in answer["message"]
    assert "Traceback" not in err
    assert not (tmp_path / "data" / "scanner-profile.json").exists()
    assert term.line_editing()


def test_ctrl_c_restores_the_terminal(run: list[TerminalRun], env: dict[str, str]) -> None:
    term = calibrate(run, env)
    term.type("MW1:CAL", 0.02)
    term.proc.send_signal(signal.SIGINT)
    code, out, err = term.finish()
    assert code == 130 and out == "" and "Traceback" not in err
    assert term.line_editing()


def test_a_pipe_is_still_read_as_one_line(env: dict[str, str], tmp_path: Path) -> None:
    """Not a terminal: one line, untimed, as before (no prompt, no --timeout wait)."""
    done = subprocess.run([sys.executable, "-m", "app", "devices", "calibrate"], cwd=REPO,
                          env=env, input=(TEST_PAYLOAD + "\t\n").encode(), capture_output=True,
                          timeout=WAIT, check=False)
    profile = json.loads(done.stdout)["profile"]
    assert done.returncode == 0 and profile["suffix"] == "\t"
    assert profile["median_gap_ms"] is None and PROMPT not in done.stderr.decode()
