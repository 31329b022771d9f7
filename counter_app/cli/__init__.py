"""The ``counter-app`` command line.

Each command group lives in a module of its own with a ``register(subparsers)``
function that adds its sub-commands; a sub-command stores the function that
runs it as ``func`` (taking the parsed arguments, returning the exit code).

The window commands (``demo``, ``run``, ``screenshot``) live in ``ui.commands``.
``ui`` sits above this package, so it is never imported statically from here:
the command modules are named by string and loaded when the CLI starts. A
module whose optional libraries are missing is reported, not fatal, so IT
staff can still run the other commands.

Exit codes: 0 success / accepted, 1 rejected or a problem found, 2 usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import logging
import sys
from collections.abc import Callable, Sequence

from counter_app import __version__

COMMAND_MODULES: tuple[str, ...] = (
    "counter_app.cli.codec",
    "counter_app.cli.admin",
    "counter_app.cli.records",
    "counter_app.cli.forms",
    "counter_app.cli.devices",
    "counter_app.cli.it",
    "ui.commands",
    "ui.review_commands",
)

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_USAGE = 2


def iso_date(text: str) -> dt.date:
    """argparse type for ``YYYY-MM-DD`` dates, with the message in Korean and English."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"날짜는 YYYY-MM-DD 형식이어야 합니다 / date must be YYYY-MM-DD: {text}"
        ) from None


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
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:  # an optional library is missing: say so, keep the rest
            print(f"counter-app: {name} unavailable: {exc}", file=sys.stderr)
            continue
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
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
