"""The counter program of a digital petition office: application layer.

Configuration, the intake workflow and the ``counter-app`` command line live
here. Qt lives only in ``ui/``; this package never imports it.
"""

from __future__ import annotations

__version__ = "0.1.0"
