"""Every sub-command of the CLI with odd arguments and damaged storage: a clear
message and exit code 1 or 2, never a traceback.

The walk is driven by the parser itself (:func:`test_every_sub_command_is_walked`
fails when a command is added without bad values here), and runs in-process so
that any exception that would have become a traceback fails the test with it.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.cli import build_parser, main
from decoding.codebook import newest_codebook
from decoding.keys import load_public_key
from decoding.payload import encode
from tests.counter_app.hostile_devices import devices_invocations
from tests.counter_app.hostile_district import BAD_DB, district_invocations
from tests.records.support import KEY_PATH, PUB_PATH, document
from tests.vectors.payload_v2 import hostile_texts

# The window commands start Qt; tests/ui covers them (their storage errors included).
WINDOW_COMMANDS = {"run", "demo", "screenshot", "review"}


def sub_commands() -> list[str]:
    names: list[str] = []

    def walk(parser: argparse.ArgumentParser, prefix: list[str]) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, [*prefix, name])
                return
        names.append(" ".join(prefix))

    walk(build_parser(), [])
    return names


def outcome(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse: usage errors
        code = exc.code if isinstance(exc.code, int) else 2
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def world(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """A sound database with one case, and damaged copies of it."""
    w: dict[str, Any] = {"tmp": tmp_path}
    good = tmp_path / "good" / "cases.db"
    good.parent.mkdir()
    qr = tmp_path / "qr.txt"
    qr.write_text("\n".join(encode(document(), load_public_key(PUB_PATH))) + "\n")
    w["qr"] = qr
    code, out, err = outcome(capsys, ["intake", "--db", f"sqlite:///{good}", "--key",
                                      str(KEY_PATH), str(qr)])
    assert code == 0, out + err
    w["case"] = json.loads(out)["case_number"]
    w["good"] = good
    # A built web form site (web serve gets only arguments that must fail fast).
    w["site"] = tmp_path / "site"
    code, out, err = outcome(capsys, ["web", "build", "--out", str(w["site"]), "--office", "3210000",
                                      "--key", str(PUB_PATH)])
    assert code == 0, out + err
    # A database with accounts (an admin and a clerk), for the commands that act as one.
    people = tmp_path / "people" / "cases.db"
    people.parent.mkdir()
    w["people"] = f"sqlite:///{people}"
    w["pw"] = {}
    for name, text in (("boss", "Admin-pass-1"), ("kim", "Clerk-pass-1")):
        w["pw"][name] = tmp_path / f"{name}.pw"
        w["pw"][name].write_text(text + "\n", encoding="utf-8")
    for name, role, by in (("boss", "admin", []),
                           ("kim", "clerk", ["--as", "boss", "--password-file", str(w["pw"]["boss"])])):
        code, out, err = outcome(capsys, ["users", "add", name, "--role", role, "--new-password-file",
                                          str(w["pw"][name]), "--db", w["people"], "--key",
                                          str(KEY_PATH), *by])
        assert code == 0, out + err

    def copy(name: str, change: Callable[[Path], None]) -> str:
        folder = tmp_path / name
        folder.mkdir()
        for f in good.parent.iterdir():
            if f.is_file():
                (folder / f.name).write_bytes(f.read_bytes())
        change(folder / "cases.db")
        return f"sqlite:///{folder / 'cases.db'}"

    def sql(statement: str) -> Callable[[Path], None]:
        def run(db: Path) -> None:
            with sqlite3.connect(db) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                conn.execute(statement)
        return run

    def checkpointed(db: Path) -> None:
        with sqlite3.connect(db) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def truncate(db: Path) -> None:
        checkpointed(db)
        data = db.read_bytes()
        db.write_bytes(data[: len(data) // 3])

    def text(db: Path) -> None:
        db.write_text("this is not an SQLite database\n" * 100)

    def zero(db: Path) -> None:
        db.write_bytes(b"")
        for extra in db.parent.glob("cases.db-*"):
            extra.unlink()

    def files_is_a_file(db: Path) -> None:
        checkpointed(db)
        (db.parent / "cases-attachments").write_text("a file where the folder should be")

    def no_key(db: Path) -> None:
        checkpointed(db)
        (db.parent / "cases.db.key").unlink()

    w["damaged"] = {
        "truncated": copy("truncated", truncate),
        "not_sqlite": copy("text", text),
        "zero_length": copy("zero", zero),
        "unknown_revision": copy("rev", sql("UPDATE alembic_version SET version_num='9999'")),
        "no_chain_head": copy("head", sql("DELETE FROM audit_head")),
        "files_is_a_file": copy("filesfile", files_is_a_file),
        "no_data_key": copy("nokey", no_key),
        "read_only": "sqlite:///file:" + str(good) + "?mode=ro&uri=true",
    }
    return w


HARMLESS_FOR_READING = ("no_chain_head", "read_only", "files_is_a_file", "no_data_key")


def bad_invocations(command: str, w: dict[str, Any]) -> list[list[str]]:
    t: Path = w["tmp"]
    key = ["--key", str(KEY_PATH)]
    garbage = t / "garbage.bin"
    garbage.write_bytes(bytes(range(256)) * 4)
    folder = t / "a-folder"
    folder.mkdir(exist_ok=True)
    empty = t / "empty.pw"
    empty.write_text("\n")
    new_pw = t / "new.pw"
    new_pw.write_text("New-pass-12\n")
    weak = t / "weak.pw"
    weak.write_text("newbie1\n")
    boss = ["--as", "boss", "--password-file", str(w["pw"]["boss"])]
    # payload version 2 that opens but names a catalogue version not held, or a form index beyond it
    v2 = []
    for code, text in hostile_texts(load_public_key(PUB_PATH), newest_codebook()).items():
        v2.append(t / f"{code}.txt")
        v2[-1].write_text(text + "\n")
    db_cmds = {
        "audit access": ["--from", "2026-01-01", "--to", "2026-12-31"],
        "users add": ["newbie", "--role", "clerk", "--new-password-file", str(new_pw)],
        "users list": [],
        "users disable": ["kim"],
        "users enable": ["kim"],
        "users role": ["kim", "--role", "supervisor"],
        "users password": ["kim", "--new-password-file", str(new_pw)],
        "cases list": ["--date", "2026-01-01"],
        "cases show": [w["case"]],
        "cases return": [w["case"], "--reason", "서류 미비"],
        "cases complete": [w["case"]],
        "cases export": ["--from", "2026-01-01", "--to", "2026-12-31", "--format", "csv",
                         "--out", str(t / "out.csv")],
        "db upgrade": [],
        "db check": [],
        "db purge": ["--before", "2026-01-01"],
        "audit verify": [],
        "audit checkpoint": [],
        "intake": [str(w["qr"])],
    }
    if command in db_cmds:
        base = command.split() + db_cmds[command]
        runs = [[*base, "--db", url, *key] for url in BAD_DB]
        runs += [[*base, "--db", url, *key] for url in w["damaged"].values()]
        runs += [[*base, "--db", f"sqlite:///{w['good']}", *key, "--wait", v]
                 for v in ("nan", "inf", "-1", "x")]
        runs.append([*base, "--db", f"sqlite:///{w['good']}", "--key", str(garbage)])
        runs.append([*base, "--db", f"sqlite:///{w['good']}", "--key", str(t / "missing.pem")])
        extra = {
            "cases list": [["--date", "9999-12-31"], ["--date", "0001-01-01"],
                           ["--date", "２０２６-01-01"]],
            "cases show": [["9" * 30], ["１２"], ["\x1b[2J"], ["\udcff"]],
            "cases return": [["9" * 30], [w["case"], "--reason", "\udcff\x00"]],
            "cases complete": [["9" * 30]],
            "cases export": [["--out", str(folder)], ["--out", "/nonexistent/x/out.csv"],
                             ["--to", "9999-12-31"]],
            "db purge": [["--before", "9999-12-31"]],
            "db check": [["--grace", "nan"]],
            "audit verify": [["--checkpoint", "CP1-5-abc-def"],
                             ["--checkpoint", "CP1-99999999999999999999-" + "a" * 24 + "-" + "b" * 16],
                             ["--checkpoint-file", str(t / "missing.txt")],
                             ["--checkpoint-file", str(garbage)]],
            "intake": [["--office", ""], ["--office", "../x"], ["--office", "a" * 40],
                       ["--clerk", ""], ["--clerk", "x" * 100], ["--counter", "\x1b[31m"],
                       ["--now", "9" * 30], ["--now", "-5"], ["--now", "nan"],
                       ["--attach", str(folder)], ["--image", str(garbage)],
                       ["--image", str(t / "missing.png")]],
        }.get(command, [])
        for more in extra:
            runs.append([*base, "--db", f"sqlite:///{w['good']}", *key, *more])
        # The account commands, on a database that has accounts: odd names, roles, password
        # files and sign-ins.
        on_people = ["--db", w["people"], *key]
        pw_files = [str(t / "missing.pw"), str(garbage), str(empty), str(folder)]
        names = ["", "\x1b[2J", "x" * 300, "a/b", "\udcff", "kim\n"]
        people = {
            "users add": [*[["newbie", "--role", "clerk", "--new-password-file", f, *boss]
                            for f in pw_files],
                          *[[n, "--role", "clerk", "--new-password-file", str(new_pw), *boss]
                            for n in names],
                          ["newbie", "--role", "root", "--new-password-file", str(new_pw), *boss],
                          ["newbie", "--role", "clerk", "--new-password-file", str(weak), *boss],
                          ["kim", "--role", "clerk", "--new-password-file", str(new_pw), *boss],
                          ["newbie", "--role", "clerk", "--new-password-file", str(empty), *boss],
                          ["newbie", "--role", "clerk", "--new-password-file", str(new_pw)],
                          ["newbie", "--role", "admin", "--new-password-file", str(new_pw), "--as",
                           "kim", "--password-file", str(w["pw"]["kim"])]],
            "users list": [["--as", "boss", "--password-file", f] for f in pw_files]
                          + [["--as", "nobody", "--password-file", str(w["pw"]["boss"])],
                             ["--as", "\x1b[2J", "--password-file", str(w["pw"]["boss"])],
                             ["--as", "kim", "--password-file", str(w["pw"]["kim"])],
                             ["--as", "boss", "--password-file", str(w["pw"]["boss"]),
                              "--counter", "\x1b[31m" + "c" * 200]],
            "users disable": [[n, *boss] for n in names] + [["boss", *boss]],
            "users enable": [[n, *boss] for n in names],
            "users role": [[n, "--role", "clerk", *boss] for n in names]
                          + [["boss", "--role", "clerk", *boss], ["kim", "--role", "", *boss]],
            "users password": [["kim", "--new-password-file", f, *boss] for f in pw_files]
                              + [[n, "--new-password-file", str(new_pw), *boss] for n in names]
                              + [["kim", "--new-password-file", str(empty), "--as", "kim",
                                  "--password-file", str(w["pw"]["boss"])]],
            "audit access": [["--from", "2026-12-31", "--to", "2026-01-01", *boss],
                             ["--from", "2026-02-30", "--to", "2026-12-31", *boss],
                             ["--from", "0001-01-01", "--to", "9999-12-31", *boss],
                             ["--reviewed", *boss], ["--reviewed", "--findings", " ", *boss],
                             ["--action", "drop", *boss],
                             ["--out", str(folder), *boss], ["--out", "/dev/null/x.xlsx", *boss],
                             ["--out", "/dev/null/x.pdf", *boss],
                             ["--as", "kim", "--password-file", str(w["pw"]["kim"])], []],
        }.get(command, [])
        fixed = {"users add", "users disable", "users enable", "users role", "users password"}
        for more in people:
            runs.append([*(command.split() if command in fixed else base), *on_people, *more])
        return runs
    if command == "report day":
        base = ["report", "day", "--date", "2026-01-01", "--out", str(t / "day.pdf")]
        runs = [[*base, "--db", url, *key] for url in BAD_DB]
        runs += [[*base, "--db", url, *key] for url in w["damaged"].values()
                 if url not in (w["damaged"]["read_only"],)]
        runs += [[*base, "--db", f"sqlite:///{w['good']}", "--key", str(garbage)],
                 [*base, "--db", f"sqlite:///{w['good']}", "--key", str(t / "missing.pem")],
                 [*base, "--db", f"sqlite:///{w['good']}", "--key", str(PUB_PATH)]]
        good = ["--db", f"sqlite:///{w['good']}", *key]
        runs += [["report", "day", "--date", "2026-13-01", "--out", str(t / "d.pdf"), *good],
                 ["report", "day", "--date", "2026-01-02", "--to", "2026-01-01", "--out",
                  str(t / "d.pdf"), *good],
                 ["report", "day", "--date", "2026-01-01", "--out", str(t / "d.txt"), *good],
                 ["report", "day", "--date", "2026-01-01", "--out", str(folder), *good],
                 ["report", "day", "--date", "2026-01-01", "--out", "/dev/null/d.pdf", *good],
                 ["report", "day", "--date", "2026-01-01", "--out", str(t / "d.pdf"),
                  "--config", str(garbage), *good],
                 ["report", "day", "--date", "2026-01-01", "--out", str(t / "d.pdf"),
                  "--db", w["people"], *key],
                 ["report", "day", "--date", "2026-01-01", "--out", str(t / "d.pdf"),
                  "--db", w["people"], *key, "--as", "kim", "--password-file", str(w["pw"]["kim"])],
                 ["report", "day", "--date", "2026-01-01", "--out", str(t / "d.pdf"),
                  "--db", w["people"], *key, *boss[:2], "--password-file", str(garbage)]]
        return runs
    if command in ("report week", "report month"):  # the same arguments as a day, without --to
        kind = command.split()[1]
        good = ["--db", f"sqlite:///{w['good']}", *key]
        runs = [["report", kind, "--date", "2026-01-01", "--out", str(t / "w.pdf"), "--db", url, *key]
                for url in BAD_DB]
        runs += [["report", kind, "--date", d, "--out", str(t / "w.pdf"), *good]
                 for d in ("2026-13-01", "2026-02-30", "x", "")]
        runs += [["report", kind, "--date", "2026-01-01", "--out", out, *good]
                 for out in (str(t / "w.txt"), str(folder), "/dev/null/w.pdf")]
        runs += [["report", kind, "--date", "2026-01-01", "--to", "2026-01-02", "--out",
                  str(t / "w.pdf"), *good],
                 ["report", kind, "--date", "2026-01-01", "--out", str(t / "w.pdf"), "--db",
                  w["people"], *key, "--as", "kim", "--password-file", str(w["pw"]["kim"])]]
        return runs
    if command.startswith("web "):
        site = w["site"]
        build = ["web", "build", "--out", str(t / "web")]
        office, pub = ["--office", "3210000=종로구청"], ["--key", str(PUB_PATH)]
        return {
            "web build": [[*build, *pub], [*build, *office],
                          *[[*build, "--office", o, *pub]
                            for o in ("", "../x", "a" * 40, "\x1b[2J", "=이름", "\udcff")],
                          [*build, *office, "--office", "3210000", *pub],
                          [*build, *office, "--key", str(KEY_PATH)],
                          [*build, *office, "--key", str(garbage)],
                          [*build, *office, "--key", str(t / "missing.pem")],
                          [*build, *office, "--key", str(folder)],
                          [*build, *office, *pub, *pub],
                          *[[*build, *office, *pub, "--lifetime-hours", v]
                            for v in ("nan", "inf", "-1", "0", "1e308", "x", "100000")],
                          [*build, *office, *pub, "--forms", str(garbage)],
                          [*build, *office, *pub, "--forms", str(t / "missing")],
                          [*build, *office, *pub, "--forms", str(folder)],
                          ["web", "build", "--out", str(garbage), *office, *pub],
                          ["web", "build", "--out", "/dev/null/x", *office, *pub],
                          ["web", "build", "--out", str(garbage / "x"), *office, *pub]],
            "web serve": [["web", "serve", str(t / "missing")], ["web", "serve", str(garbage)],
                          ["web", "serve", str(folder)],
                          *[["web", "serve", str(site), "--port", v]
                            for v in ("-1", "65536", "99999999999999999999", "x", "nan")]],
            "web poster": [["web", "poster", "--url", u, "--office", "3210000", "--out",
                            str(t / "p.pdf")]
                           for u in ("", "ftp://x/", "http://example.com/", "https://", "\x1b[2J",
                                     "https://[::1")]
                          + [["web", "poster", "--url", "https://x.example/", "--office", o, "--out",
                              str(t / "p.pdf")] for o in ("", "../x", "\x1b[2J")]
                          + [["web", "poster", "--url", "https://x.example/", "--office", "3210000",
                              "--out", o] for o in (str(folder), "/dev/null/p.pdf",
                                                    str(garbage / "p.pdf"))],
        }[command]
    if command == "doctor":
        cfg_bad_db = t / "doctor-bad-db.toml"
        cfg_bad_db.write_text(f'database = "sqlite:///{w["damaged"]["truncated"].removeprefix("sqlite:///")}"\n'
                              f'data_dir = "{t / "doctor-data"}"\n', encoding="utf-8")
        return [["doctor", "--config", str(t / "missing.toml")],
                ["doctor", "--config", str(garbage)],
                ["doctor", "--config", str(folder)],
                ["doctor", "--json", "--config", str(garbage)],
                ["doctor", "--no-heartbeat", "--config", str(cfg_bad_db)],
                ["doctor", "--json", "--config", str(cfg_bad_db)]]
    if command == "fleet":
        runs = [["fleet", "--db", url] for url in BAD_DB]
        runs += [["fleet", "--db", url] for url in w["damaged"].values()]
        good = ["--db", f"sqlite:///{w['good']}"]
        runs += [["fleet", *good, "--stale-minutes", v]
                 for v in ("nan", "inf", "-1", "x", "1e308", "-1e308")]
        runs += [["fleet", *good, "--latest", v] for v in ("", "\x1b[2J", "x" * 300, "\udcff")]
        runs += [["fleet", "--config", str(garbage)], ["fleet", "--config", str(t / "missing.toml")]]
        return runs
    if command.startswith("update "):
        from counter_app import update_district as updates

        repo, keys = t / "upd-repo", t / "upd-keys"
        if not (repo / "metadata" / "root.json").exists():
            updates.init_repository(repo, keys)
        bundle = t / "upd-bundle"
        bundle.mkdir(exist_ok=True)
        (bundle / "counter-app").write_text("#!/bin/sh\n")
        zipped = t / "upd-bundle.zip"
        updates.make_archive(bundle, zipped)
        bad_meta = t / "upd-badmeta"
        bad_meta.mkdir(exist_ok=True)
        (bad_meta / "metadata").mkdir(exist_ok=True)
        (bad_meta / "metadata" / "targets.json").write_bytes(garbage.read_bytes())
        (bad_meta / "metadata" / "root.json").write_text("{}")
        root = repo / "metadata" / "root.json"
        publish = ["update", "publish", "--repo", str(repo), "--keys", str(keys)]
        cfg = ["--config", str(garbage)]
        return {
            "update init": [["update", "init", "--repo", str(repo), "--keys", str(t / "k2")],
                            ["update", "init", "--repo", "/dev/null/r", "--keys", str(t / "k3")],
                            ["update", "init", "--repo", str(garbage), "--keys", str(t / "k4")],
                            ["update", "init", "--repo", str(t / "r5"), "--keys", str(garbage)],
                            ["update", "init", "--repo", str(t / "r6"), "--keys", "/dev/null/k"]],
            "update publish": [
                *[[*publish, "--version", v, "--archive", str(zipped)]
                  for v in ("", "nan", "-1", "\x1b[2J", "../../x", "1/2", "x" * 300, "\udcff",
                            "1.0\n", " ")],
                [*publish, "--version", "9.0.0", "--archive", str(garbage)],
                [*publish, "--version", "9.0.0", "--archive", str(t / "missing.zip")],
                [*publish, "--version", "9.0.0", "--archive", str(t / "missing")],
                ["update", "publish", "--repo", str(t / "missing"), "--keys", str(keys),
                 "--version", "9.0.0", "--archive", str(zipped)],
                ["update", "publish", "--repo", str(bad_meta), "--keys", str(keys),
                 "--version", "9.0.0", "--archive", str(zipped)],
                ["update", "publish", "--repo", str(repo), "--keys", str(t / "missing"),
                 "--version", "9.0.0", "--archive", str(zipped)],
                ["update", "publish", "--repo", str(repo), "--keys", str(folder),
                 "--version", "9.0.0", "--archive", str(zipped)]],
            **{f"update {a}": [["update", a, *cfg], ["update", a, "--config", str(t / "missing.toml")]]
               for a in ("apply", "status", "unblock")},
            "update rollback": [
                *[["update", "rollback", "--repo", str(repo), "--keys", str(keys), "--to", v]
                  for v in ("", "nan", "0.2.0rc1", "9.9.9", "../../x", "\x1b[2J", "\udcff")],
                ["update", "rollback", "--repo", str(t / "missing"), "--keys", str(keys), "--to", "1.0.0"],
                ["update", "rollback", "--repo", str(bad_meta), "--keys", str(keys), "--to", "1.0.0"],
                ["update", "rollback", "--repo", str(repo), "--keys", str(keys), "--to", "1.0.0",
                 "--channel", "everyone"]],
            "update refresh": [
                ["update", "refresh", "--repo", str(t / "missing"), "--keys", str(keys)],
                ["update", "refresh", "--repo", str(bad_meta), "--keys", str(keys)],
                ["update", "refresh", "--repo", str(repo), "--keys", str(t / "missing")],
                ["update", "refresh", "--repo", str(repo), "--keys", str(folder)],
                ["update", "refresh", "--repo", str(garbage), "--keys", str(keys)]],
            "update check": [["update", "check", "--url", u, "--root", str(root)]
                             for u in ("", "notaurl", "ftp://127.0.0.1/", "http://127.0.0.1:1/",
                                       "http://[::1", "http://127.0.0.1:99999/", "\x1b[2J",
                                       )]
                            + [["update", "check", "--url", "http://127.0.0.1:1/", "--root", r]
                               for r in (str(garbage), str(t / "missing.json"), str(folder),
                                         str(bad_meta / "metadata" / "root.json"))]
                            + [["update", "check", *cfg, "--url", "http://127.0.0.1:1/"]],
        }[command]
    other = {
        "keys generate": [["--out", str(t / "k"), "--name", "../../x"],
                          ["--out", str(t / "k"), "--name", ""],
                          ["--out", str(t / "k"), "--name", "a/b"],
                          ["--out", "/dev/null/x"],
                          ["--out", str(t / "k"), "--passphrase-file", str(t / "missing")],
                          ["--out", str(t / "k"), "--kind", "rsa"],
                          ["--out", str(t / "k"), "--kind", "ed25519", "--name", "../x"]],
        "encode": [["--key", str(PUB_PATH), str(garbage)], ["--key", str(garbage), str(w["qr"])],
                   ["--key", str(PUB_PATH), "--parts", "0", str(w["qr"])],
                   ["--key", str(PUB_PATH), "--parts", "999", str(w["qr"])],
                   ["--key", str(PUB_PATH), str(t / "missing.json")]],
        "decode": [["--key", str(KEY_PATH), str(garbage)], ["--key", str(KEY_PATH), str(folder)],
                   ["--key", str(KEY_PATH), "--now", "9" * 30, str(w["qr"])],
                   ["--key", str(KEY_PATH), "--now", "-99999999999", str(w["qr"])],
                   ["--key", str(KEY_PATH), "--image", str(garbage)],
                   ["--key", str(garbage), str(w["qr"])], *[[*key, str(p)] for p in v2]],
        "validate": [["--key", str(KEY_PATH), str(garbage)], *[[*key, str(p)] for p in v2],
                     ["--key", str(KEY_PATH), "--now", "9" * 30, str(w["qr"])],
                     ["--key", str(KEY_PATH), "--forms-dir", str(garbage), str(w["qr"])]],
        "forms attorney": [["--key", str(KEY_PATH), str(garbage)],
                           ["--key", str(KEY_PATH), "--now", "9" * 30, str(w["qr"])]],
        "forms list": [["--forms-dir", str(garbage)], ["--forms-dir", str(t / "missing")]],
        "forms show": [["NOPE"], ["RESIDENT_CERT_ISSUE", "--ver", "-1"],
                       ["\x1b[2J", "--ver", "99999999999999999999"]],
        "forms check": [[str(garbage)], [str(t / "missing")]],
        "forms lint": [[str(garbage)], [str(t / "missing")]],
        "provision": [["--office", "../x", "--counters", str(garbage), "--key", str(KEY_PATH),
                       "--out", str(t / "prov")],
                      ["--office", "3210000", "--counters", str(t / "missing.csv"), "--key",
                       str(KEY_PATH), "--out", str(t / "prov")],
                      *[["--office", "3210000", "--counters", str(garbage), "--key", str(KEY_PATH),
                         "--out", str(t / "prov2"), *more]
                        for more in (["--sign-key", str(garbage)],
                                     ["--sign-key", str(t / "missing.pem")],
                                     ["--sign-key", str(folder)],
                                     ["--sign-key", str(KEY_PATH)],
                                     ["--previous-key", str(KEY_PATH)],
                                     ["--sign-key", str(KEY_PATH), "--sign-passphrase-file",
                                      str(t / "missing.pw")])]],
        "config show": [["--config", str(t / "missing.toml")], ["--config", str(garbage)]],
        "devices list": [["--json", "--bogus"]],
        "seal extract": [[str(garbage), str(t / "seal.png")],
                         [str(t / "missing.png"), str(t / "seal.png")],
                         [str(garbage), str(t / "seal.png"), "--timeout", "nan"]],
        "documents pages": [[str(garbage), "--out", str(t / "pages")],
                            [str(t / "missing.pdf")]],
        **district_invocations(t, garbage), **devices_invocations(t, garbage),
    }
    return [command.split() + args for args in other.get(command, [])]


def test_every_sub_command_is_walked(world: dict[str, Any]) -> None:
    missing = [c for c in sub_commands()
               if c not in WINDOW_COMMANDS and not bad_invocations(c, world)]
    assert missing == [], f"no bad values for: {missing}"


def test_every_sub_command_with_bad_values_and_damaged_storage(
    world: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    walked = 0
    for command in sub_commands():
        if command in WINDOW_COMMANDS:
            continue
        for argv in bad_invocations(command, world):
            code, out, err = outcome(capsys, argv)
            said = out + err
            assert "Traceback" not in said, (argv, said)
            # Damage that does not concern what a command does (listing with the chain
            # head gone, reading a read-only file) may leave it working.
            harmless = any(world["damaged"][k] in argv for k in HARMLESS_FOR_READING)
            assert code in (1, 2) or (code == 0 and harmless), (argv, code, said)
            assert said.strip(), (argv, "no message")
            if out.startswith("{") and code != 0 and command != "devices watch":
                answer = json.loads(out.splitlines()[0])
                said_why = answer.get("message") or answer.get("errors") or answer.get("problems")
                assert answer.get("ok") is False and said_why, (argv, answer)
            walked += 1
    assert walked > 150


def test_damaged_storage_says_what_is_wrong(
    world: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    """Not "check the network": each kind of damage is named."""
    expect = {
        "truncated": "DB_DAMAGED", "not_sqlite": "DB_DAMAGED", "zero_length": "DB_DAMAGED",
        "unknown_revision": "DB_SCHEMA", "no_chain_head": "DB_TAMPERED",
        "files_is_a_file": "DB_FILES", "no_data_key": "DB_DATA_KEY", "read_only": "DB_READ_ONLY",
    }
    page = world["tmp"] / "page.png"
    page.write_bytes(b"\x89PNG a scanned page")
    fresh = world["tmp"] / "fresh.txt"
    fresh.write_text("\n".join(encode(document(), load_public_key(PUB_PATH))) + "\n")
    for kind, url in world["damaged"].items():
        code, out, _ = outcome(capsys, ["intake", "--db", url, "--key", str(KEY_PATH),
                                        "--attach", str(page), str(fresh)])
        answer = json.loads(out)
        assert code == 1 and answer["error"] == expect[kind], (kind, answer)
        assert "network" not in answer["message"], (kind, answer)
    # db check names the damage too, and never re-creates an emptied file
    for kind in ("truncated", "not_sqlite", "zero_length", "unknown_revision"):
        code, out, _ = outcome(capsys, ["db", "check", "--db", world["damaged"][kind], "--key",
                                        str(KEY_PATH)])
        answer = json.loads(out)
        assert code == 1 and answer["ok"] is False, (kind, answer)
    zero = Path(world["damaged"]["zero_length"].removeprefix("sqlite:///"))
    assert zero.stat().st_size == 0
    code, out, _ = outcome(capsys, ["db", "check", "--db", world["damaged"]["no_data_key"],
                                    "--key", str(KEY_PATH)])
    answer = json.loads(out)
    assert code == 1 and any(p["kind"] == "data_key" for p in answer["problems"]), answer


def test_missing_config_file_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COUNTER_APP_CONFIG", str(tmp_path / "nowhere.toml"))
    code, out, err = outcome(capsys, ["cases", "list", "--date", "2026-01-01"])
    assert code == 2 and "nowhere.toml" in out + err
    for bad in ('office = ""', 'office = "../../etc"', 'office = "3210000/x"',
                'counter = ""', f'clerk = "{"x" * 65}"', 'database = "sqlite://"',
                'database = "not a url"'):
        cfg = tmp_path / "counter.toml"
        cfg.write_text(bad + "\n", encoding="utf-8")
        monkeypatch.setenv("COUNTER_APP_CONFIG", str(cfg))
        code, out, err = outcome(capsys, ["cases", "list", "--date", "2026-01-01"])
        assert code == 2 and "Traceback" not in out + err, (bad, out, err)


def test_keys_generate_stays_in_its_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_dir = tmp_path / "a" / "b"
    code, _out, _ = outcome(capsys, ["keys", "generate", "--out", str(out_dir), "--name", "../../x"])
    assert code == 2 and not (tmp_path / "x.pem").exists()
    assert not any(tmp_path.rglob("*.pem"))


def test_in_memory_database_is_refused_for_intake(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    qr = tmp_path / "qr.txt"
    qr.write_text("\n".join(encode(document(), load_public_key(PUB_PATH))) + "\n")
    code, out, _ = outcome(capsys, ["intake", "--db", "sqlite://", "--key", str(KEY_PATH),
                                    str(qr)])
    assert code == 2 and "case_number" not in out and "memory" in out


def test_read_only_database_says_read_only(world: dict[str, Any],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = outcome(capsys, ["cases", "return", world["case"], "--reason", "x",
                                    "--db", world["damaged"]["read_only"], "--key", str(KEY_PATH)])
    answer = json.loads(out)
    assert code == 1 and answer["error"] == "DB_READ_ONLY" and "read-only" in answer["message"]
    assert os.path.exists(world["good"])


@pytest.mark.parametrize("error", ["MW_CATALOGUE", "MW_CODING"])
def test_hostile_v2_payloads_are_refused_with_their_code_and_nothing_is_stored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], error: str
) -> None:
    qr = tmp_path / "qr.txt"
    qr.write_text(hostile_texts(load_public_key(PUB_PATH), newest_codebook())[error] + "\n")
    code, out, err = outcome(capsys, ["decode", "--key", str(KEY_PATH), str(qr)])
    answer = json.loads(out)
    assert code == 1 and answer["error"] == error and "Traceback" not in out + err
    assert answer["message_ko"] and answer["message_en"]
    db = tmp_path / "cases.db"
    code, out, _ = outcome(capsys, ["intake", "--db", f"sqlite:///{db}", "--key", str(KEY_PATH),
                                    "--data-key", str(tmp_path / "data.key"), "--files",
                                    str(tmp_path / "files"), str(qr)])
    assert code == 1 and json.loads(out)["error"] == error
    code, out, _ = outcome(capsys, ["cases", "list", "--db", f"sqlite:///{db}", "--key",
                                    str(KEY_PATH), "--data-key", str(tmp_path / "data.key"),
                                    "--files", str(tmp_path / "files"), "--json", "--date",
                                    datetime.date.today().isoformat()])
    assert code == 0 and json.loads(out)["count"] == 0
