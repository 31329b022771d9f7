"""The district's commands (issue 24) for the hostile walk of tests/counter_app/test_cli_hostile.py."""

from __future__ import annotations

from pathlib import Path

# The walk's bad database URLs: none of them is a database a command may use.
BAD_DB = ["notaurl", "sqlite://", "sqlite:///:memory:", "mysql://x/y",
          "sqlite:////nonexistent-folder/x/cases.db", "postgresql+psycopg://nobody@127.0.0.1:1/x"]


def district_invocations(t: Path, garbage: Path) -> dict[str, list[list[str]]]:
    """The district's commands (issue 24) on no district server: refused, never a traceback."""
    source = ["--source", "postgresql+psycopg://nobody@127.0.0.1:1/x"]
    who = [["--account", "x", "--password-file", str(p)]
           for p in (garbage, t / "missing.pw", t / "a-folder")]
    return {
        "district init": [["--db", u] for u in BAD_DB],
        "district add-office": [["--db", u, "--office", o, *s]
                                for u in BAD_DB for o, s in (("3210000", source),
                                                             ("../x", source),
                                                             ("3210000", ["--source", "notaurl"]))],
        "district remove-office": [["--db", u, "--office", o] for u in BAD_DB
                                   for o in ("3210000", "\x1b[2J", "")],
        "district status": [["--db", u, *j] for u in BAD_DB for j in ([], ["--json"])],
        "district viewer add": [["--db", u, "--name", "gu", "--role", r, *w[2:]]
                                for u in BAD_DB for r in ("district", "supervisor") for w in who],
        "district fleet": [["--db", u, "--json", *w, *o] for u in BAD_DB for w in who
                           for o in ([], ["--office", "../x"])],
        "district report": [["--db", u, *who[0], "--from", d] for u in BAD_DB
                            for d in ("2026-01-01", "2026-13-01", "x")],
        "district review": [["--db", u, *w] for u in BAD_DB for w in who],
    }
