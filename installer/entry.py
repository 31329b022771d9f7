"""Entry point of the bundled program: the same as the ``counter-app`` command.

With no arguments (a clerk double-clicking the program) it starts the counter
window with the PC's configuration.
"""

from __future__ import annotations

import sys

from counter_app.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["run"]))
