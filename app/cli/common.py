"""What every command module shares: the exit codes and the argument types.

Exit codes: 0 success / accepted, 1 rejected or a problem found, 2 usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
from collections.abc import Callable

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
                f"{text[:40]!r}")
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
