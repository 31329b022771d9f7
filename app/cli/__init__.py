"""The ``counter-app`` command line.

Each command group lives in a module of its own with a ``register(subparsers)``
function that adds its sub-commands; a sub-command stores the function that
runs it as ``func`` (taking the parsed arguments, returning the exit code).

The window commands (``demo``, ``run``, ``screenshot``) live in ``app.cli.window``.
``ui`` sits above this package, so it is never imported statically from here:
the command modules are named by string and loaded when the CLI starts. A
module whose optional libraries are missing is reported, not fatal, so IT
staff can still run the other commands.

Exit codes: 0 success / accepted, 1 rejected or a problem found, 2 usage error.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import logging
import math
import sys
from collections.abc import Callable, Sequence
from typing import Any

from counter_app import __version__

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_USAGE = 2
# The dates a command may name: wide enough for any record, narrow enough that a
# day's bounds (the next day, Korean time) never leave what datetime can hold.
FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(2999, 12, 31)


def iso_date(text: str) -> dt.date:
    """argparse type for ``YYYY-MM-DD`` dates, with the message in Korean and English."""
    try:
        if not (len(text) == 10 and text.isascii()):
            raise ValueError(text)
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"날짜는 YYYY-MM-DD 형식이어야 합니다 / date must be YYYY-MM-DD: {text[:40]!r}"
        ) from None
    if not FIRST_DATE <= day <= LAST_DATE:
        raise argparse.ArgumentTypeError(
            f"날짜는 {FIRST_DATE}~{LAST_DATE} 사이여야 합니다 / date must be from {FIRST_DATE} "
            f"to {LAST_DATE}: {text}"
        )
    return day


def finite_number(low: float, high: float, must_ko: str, what_en: str) -> Callable[[str], float]:
    """An argparse type: a finite number from ``low`` to ``high`` (``nan``, ``inf`` refused).

    The refusal reads "{low}~{high} 사이의 {must_ko} / must be {what_en} from {low} to {high}".
    """

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and low <= value <= high):
            raise argparse.ArgumentTypeError(
                f"{low}~{high} 사이의 {must_ko} / must be {what_en} from {low} to {high}: "
                f"{text[:40]!r}")  # fmt: skip
        return value

    return parse


# argparse type: a finite number of seconds, 0 to a day (``nan``, ``inf``, -1 refused).
seconds = finite_number(0, 86400, "초여야 합니다", "seconds")


def positive_int(text: str) -> int:
    """argparse type: a count from 1 to a million."""
    if not (text.isascii() and text.isdigit() and len(text) <= 7 and int(text) >= 1):
        raise argparse.ArgumentTypeError(
            f"1 이상의 정수여야 합니다 / must be a whole number of at least 1: {text[:40]!r}")
    return int(text)


class _Parser(argparse.ArgumentParser):
    """argparse exits with 2 on usage errors, which is what we promise."""


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="counter-app",
        description="민원 창구 프로그램 / Counter program of the digital petition office",
    )
    parser.add_argument("--version", action="version", version=f"counter-app {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _command_modules():
        module.register(sub)
    return parser


def _command_modules() -> list[Any]:
    """The command groups, in the order ``--help`` lists them.

    ``access`` comes after ``records``: it adds ``audit access`` to the ``audit`` group;
    ``district_review`` after ``district``: it adds ``district review`` to its group.
    """
    from app.cli import access, admin, codec, devices, district, forms, it, records, users

    modules: list[Any] = [codec, admin, records, forms, devices, users, access, it, district]
    try:
        from app.cli import district_review, report, review, web, window
    except ImportError as exc:  # Qt (or a library it needs) is missing: say so, keep the rest
        print(f"counter-app: window commands unavailable: {exc}", file=sys.stderr)
    else:
        modules += [window, review, web, report, district_review]
    return modules


def _safe_streams() -> None:
    """An argument or a stored value that is not valid Unicode (a lone surrogate from
    invalid bytes on the command line) is printed escaped, never a UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    _safe_streams()
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
