"""``python -m app`` is the same as the ``counter-app`` command."""

from __future__ import annotations

import sys

from app.cli import main

sys.exit(main())
