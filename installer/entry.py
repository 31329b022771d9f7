"""Entry point of the bundled program: the same as the ``counter-app`` command.

With no arguments (a clerk double-clicking the program) it starts the counter
window with the PC's configuration. A newer version installed by the signed
update mechanism takes over first (see :func:`counter_app.update.handover`).
"""

from __future__ import annotations

import sys

from app.cli import main
from counter_app.update import handover

if __name__ == "__main__":
    argv = sys.argv[1:] or ["run"]
    # A verified update staged by `update check` is applied (database backed up,
    # migrated by the new version) and run instead of this one (counter_app.update).
    code = handover(argv)
    sys.exit(main(argv) if code is None else code)
