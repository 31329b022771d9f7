"""A real X session for window tests: Xvfb, the openbox window manager, xdotool.

The pytest-qt tests run offscreen, where no key ever carries a modifier of its
own and focus is whatever the test says. Here the real program runs in a real
X server with a window manager (so it gets focus as on a clerk's PC), and keys
come from the X server through xdotool, the way a USB scanner in keyboard mode
sends them: ``xdotool type`` presses Shift around every upper-case letter and
shifted symbol, Caps Lock is a real lock, auto-repeat is the server's.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path

TOOLS = ("Xvfb", "openbox", "xdotool")


# A scanner's keys come at an even pace whatever the PC is doing; xdotool and Xvfb on a
# machine shared with other test runs get descheduled for 100 ms and more, which no
# scanner does. As root they run under the real-time scheduler (else as they are).
_FAST = ["chrt", "-f", "20"] if shutil.which("chrt") else ["nice", "-n", "-19"]


def _keep_on_time(pid: int) -> None:
    try:
        os.sched_setscheduler(pid, os.SCHED_FIFO, os.sched_param(20))
    except (OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, pid, -19)


def missing_tools() -> list[str]:
    return [t for t in TOOLS if shutil.which(t) is None]


def _free_display() -> int:
    for n in range(90, 400):
        if not Path(f"/tmp/.X{n}-lock").exists() and not Path(f"/tmp/.X11-unix/X{n}").exists():
            return n
    raise RuntimeError("no free X display number")


def wait_until(cond: Callable[[], object], timeout: float, what: str, step: float = 0.05) -> object:
    end = time.monotonic() + timeout
    while True:
        value = cond()
        if value:
            return value
        if time.monotonic() > end:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(step)


class XSession:
    """Xvfb (1366×768, like a counter PC) with openbox; started and stopped by the fixture."""

    def __init__(self, workdir: Path, size: str = "1366x768x24") -> None:
        self.workdir = workdir
        self.size = size
        self.display = ""
        self._procs: list[subprocess.Popen[bytes]] = []

    @property
    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["DISPLAY"] = self.display
        env["QT_QPA_PLATFORM"] = "xcb"
        env.pop("WAYLAND_DISPLAY", None)
        env.pop("XMODIFIERS", None)  # no IME daemon here: Qt must not wait for one
        env["QT_IM_MODULE"] = "compose"
        env["HOME"] = str(self.workdir)  # openbox writes its session files under HOME
        return env

    def start(self) -> None:
        for _attempt in range(5):
            n = _free_display()
            self.display = f":{n}"
            xvfb = subprocess.Popen(
                ["Xvfb", self.display, "-screen", "0", self.size, "-nolisten", "tcp", "-noreset"],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
            )
            try:
                wait_until(lambda x=xvfb: x.poll() is not None or self._x_up(), 10, "Xvfb")
            except TimeoutError:
                self._kill(xvfb)
                continue
            if xvfb.poll() is not None:  # lost the race for the display number
                continue
            self._procs.append(xvfb)
            if os.geteuid() == 0:  # the X server delivers the scanner's keys: keep it on time
                _keep_on_time(xvfb.pid)
            break
        else:
            raise RuntimeError("Xvfb did not start")
        wm = subprocess.Popen(["openbox", "--sm-disable"], env=self.env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
        self._procs.append(wm)
        wait_until(self._wm_up, 10, "openbox")

    def _x_up(self) -> bool:
        return subprocess.run(["xdotool", "getmouselocation"], env={**os.environ, "DISPLAY": self.display},
                              capture_output=True).returncode == 0

    def _wm_up(self) -> bool:
        out = self.run_tool(["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"], check=False)
        return "window id" in out

    def run_tool(self, args: Sequence[str], check: bool = True) -> str:
        r = subprocess.run(list(args), env=self.env, capture_output=True, text=True, timeout=60)
        if check and r.returncode != 0:
            raise RuntimeError(f"{args[0]} failed ({r.returncode}): {r.stderr.strip()}")
        return r.stdout

    def xdotool(self, *args: str) -> str:
        return self.run_tool(["xdotool", *args])

    # --- keys, as a person and as a scanner -----------------------------------

    def key(self, *keys: str, delay_ms: int = 60) -> None:
        """Keys a person presses (``ctrl+Return``, ``Tab``, ``F9``), one after the other."""
        self.xdotool("key", "--delay", str(delay_ms), *keys)

    def scan(self, text: str, suffix: str = "Return", delay_ms: int = 2) -> None:
        """A keyboard-wedge scanner typing ``text`` (Shift pressed for upper case), then a suffix.

        A scanner's keys come at an even few milliseconds; xdotool on a busy machine
        stalls now and then for longer than any scanner does, so it runs at a higher
        priority where it may (as root; otherwise as it is)."""
        prio = _FAST if os.geteuid() == 0 else []
        self.run_tool([*prio, "xdotool", "type", "--delay", str(delay_ms), text])
        if suffix:
            self.run_tool([*prio, "xdotool", "key", "--delay", str(delay_ms), suffix])

    def map_characters(self, text: str) -> None:
        """Give every character of ``text`` that the keyboard map lacks (jamo, Hangul
        syllables) a key of its own first, as a Korean keyboard map would. Otherwise
        xdotool remaps one spare key per character while typing, and the application
        sees keys whose map has not arrived yet (empty key events, not what a person
        or an input method produces)."""
        have = self.run_tool(["xmodmap", "-pke"])
        free = []  # keys with nothing on them, or a multimedia key no test presses
        for line in have.splitlines():
            code, _, syms = line.removeprefix("keycode").partition("=")
            if not syms.split() or syms.split()[0].startswith("XF86"):
                free.append(int(code))
        wanted = sorted({c for c in text if not c.isascii()})
        if len(wanted) > len(free):
            raise RuntimeError(f"{len(wanted)} characters, {len(free)} spare keys")
        exprs = []
        for code, ch in zip(free, wanted, strict=False):
            exprs += ["-e", f"keycode {code} = U{ord(ch):04X}"]
        if exprs:
            self.run_tool(["xmodmap", *exprs])
            time.sleep(0.3)  # the application reads the new map (MappingNotify)

    def type_as_person(self, text: str) -> None:
        """A person typing (ASCII): 150 ms a key, so it is never taken for a scanner."""
        for ch in text:
            self.xdotool("type", ch)
            time.sleep(0.15)

    def hold(self, key: str, seconds: float) -> None:
        """Hold a key down: the X server's auto-repeat sends repeated presses, as on a PC."""
        self.xdotool("keydown", key)
        time.sleep(seconds)
        self.xdotool("keyup", key)

    def caps_lock(self, on: bool) -> None:
        if self.caps_lock_on() != on:
            self.key("Caps_Lock")
            wait_until(lambda: self.caps_lock_on() == on, 5, "Caps Lock")

    def num_lock(self, on: bool) -> None:
        if self.num_lock_on() != on:
            self.key("Num_Lock")
            wait_until(lambda: self.num_lock_on() == on, 5, "Num Lock")

    def num_lock_on(self) -> bool:
        return "Num Lock:    on" in self.run_tool(["xset", "q"])

    def caps_lock_on(self) -> bool:
        out = self.run_tool(["xset", "q"])
        return "Caps Lock:   on" in out

    def set_autorepeat(self, delay_ms: int = 250, rate: int = 30) -> None:
        self.run_tool(["xset", "r", "on", "r", "rate", str(delay_ms), str(rate)])

    # --- windows --------------------------------------------------------------

    def find_window(self, name: str, timeout: float = 60) -> str:
        def found() -> str:
            out = self.run_tool(["xdotool", "search", "--onlyvisible", "--name", name], check=False)
            return out.split()[-1] if out.split() else ""

        return str(wait_until(found, timeout, f"a window named {name!r}", step=0.2))

    def active_window_name(self) -> str:
        return self.run_tool(["xdotool", "getactivewindow", "getwindowname"], check=False).strip()

    def activate(self, window: str) -> None:
        self.xdotool("windowactivate", "--sync", window)

    def screenshot(self, path: Path) -> Path:
        """The whole screen as PNG (ImageMagick-free: Qt-free, through xwd is not installed,
        so ``import`` is avoided; scrot comes with the test packages)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.run_tool(["scrot", "--overwrite", str(path)])
        return path

    def stop(self) -> None:
        for p in reversed(self._procs):
            self._kill(p)
        self._procs.clear()

    @staticmethod
    def _kill(p: subprocess.Popen[bytes]) -> None:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(5)
        if p.stderr is not None:
            p.stderr.close()
