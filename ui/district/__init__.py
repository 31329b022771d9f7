"""The district's window: every office's counts (the review window's charts) and counters."""

from ui.district.window import DistrictWindow

__all__ = ["DistrictWindow"]
