"""``provision`` and ``config show``: commands for IT staff setting up counter PCs."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

from app.cli.codec import print_json
from app.cli.common import EXIT_OK, EXIT_USAGE
from counter_app.config import ConfigError, load_settings
from counter_app.provision import ProvisionError, provision
from counter_app.signing import load_signing_key
from decoding.keys import KeyFileError, read_passphrase


def _run_provision(args: argparse.Namespace) -> int:
    try:
        sign_pass = read_passphrase(args.sign_passphrase_file) if args.sign_passphrase_file else None
        sign_key = load_signing_key(args.sign_key, sign_pass) if args.sign_key else None
        if args.previous_key and sign_key is None:
            raise ProvisionError("--previous-key 는 --sign-key 와 함께 씁니다 / needs --sign-key")
        previous = load_signing_key(args.previous_key, sign_pass) if args.previous_key else None
        written = provision(
            office=args.office,
            counters_csv=args.counters,
            keys=args.key,
            out=args.out,
            database=args.database or "",
            passphrase_file=args.passphrase_file,
            sign_key=sign_key,
            previous_key=previous,
        )
    except (ProvisionError, ConfigError, KeyFileError) as exc:
        print_json(exc.to_json())
        return EXIT_USAGE
    except OSError as exc:
        print_json({"ok": False, "error": "PROVISION", "message": str(exc)})
        return EXIT_USAGE
    print_json({"ok": True, "counters": [str(p) for p in written]})
    return EXIT_OK


def _run_config_show(args: argparse.Namespace) -> int:
    try:
        settings = load_settings(args.config)
    except ConfigError as exc:
        print_json(exc.to_json())
        return EXIT_USAGE
    values = {
        k: (str(v) if isinstance(v, Path) else v) for k, v in dataclasses.asdict(settings).items()
    }
    values["keys"] = [str(k) for k in settings.keys]
    values["database_url"] = settings.database_url
    print_json({"ok": True, "settings": values})
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    prov = sub.add_parser(
        "provision", help="write one configuration folder per counter PC from a CSV (IT)"
    )
    prov.add_argument("--office", required=True, help="office code, 7 digits (기관 코드)")
    prov.add_argument(
        "--counters",
        required=True,
        type=Path,
        help="CSV: counter,clerk,scanners,seal_scanner,document_camera,document_folder,database",
    )
    prov.add_argument(
        "--key",
        action="append",
        required=True,
        type=Path,
        help="office private key; repeat for rotation (newest first)",
    )
    prov.add_argument("--passphrase-file", type=Path)
    prov.add_argument(
        "--database", help="SQLAlchemy URL of the office database (default: SQLite on each PC)"
    )
    prov.add_argument(
        "--sign-key",
        type=Path,
        metavar="DISTRICT.pem",
        help="district Ed25519 key: sign each counter folder (manifest.json)",
    )
    prov.add_argument(
        "--previous-key",
        type=Path,
        metavar="OLD.pem",
        help="the district key being replaced: it endorses --sign-key (key roll-over)",
    )
    prov.add_argument("--sign-passphrase-file", type=Path, help="passphrase of the district keys")
    prov.add_argument("--out", required=True, type=Path, help="empty folder to write into")
    prov.set_defaults(func=_run_provision)

    config = sub.add_parser("config", help="the counter's configuration")
    config_sub = config.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    show = config_sub.add_parser("show", help="print the settings in effect (paths resolved)")
    show.add_argument(
        "--config", type=Path, help="counter.toml (default: the per-user config folder)"
    )
    show.set_defaults(func=_run_config_show)
