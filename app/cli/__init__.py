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
import json
import logging
import sys
from collections.abc import Callable, Sequence
from typing import Any

from app.cli.common import EXIT_OK, EXIT_REJECTED, EXIT_USAGE
from counter_app import __version__
from decoding.errors import CounterError


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
    except CounterError as exc:  # a command that did not say it itself: the same JSON for every error
        print(json.dumps(exc.to_json(), ensure_ascii=False))
        return EXIT_REJECTED
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
