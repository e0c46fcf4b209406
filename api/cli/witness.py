"""``witness serve``, ``register`` and ``public-key``: a witness of other deployments' audit heads, with a database
of its own (``--witness-database``, by default ``./var/witness.db``); and ``audit verify --receipts``."""

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from api.cli.common import _say

if TYPE_CHECKING:  # imported when a command runs
    from api.witness import Witness

DEFAULT_WITNESS_DATABASE = "sqlite:///./var/witness.db"


def _store(args: argparse.Namespace) -> "Witness":
    from api.bootstrap import build_witness

    return build_witness(args.witness_database)


def witness_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from api.witness import create_witness_app

    store = _store(args)
    print(f"witness key {store.public_key()}", flush=True)
    uvicorn.run(create_witness_app(store), host=args.host, port=args.port, log_level="warning", access_log=False)
    return 0


def witness_register(args: argparse.Namespace) -> int:
    from api.bootstrap import build_witness

    given = Path(args.public_key)
    try:
        key = build_witness(args.witness_database).register(
            given.read_bytes() if given.exists() else args.public_key.encode(), args.name
        )
    except ValueError as error:
        print(f"not a public key: {error}", file=sys.stderr)
        return 2
    _say(args, f"registered {args.name}: {key['fingerprint']}", {"name": args.name, **key})
    return 0


def witness_public_key(args: argparse.Namespace) -> int:
    key = _store(args).public_key()
    _say(args, key, {"algorithm": "Ed25519", "public_key": key})
    return 0


def add_commands(
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]",
    command: Callable[..., argparse.ArgumentParser],
) -> None:
    """The ``witness`` group (``command``: the parser's helper that adds one command)."""
    witness = commands.add_parser(
        "witness",
        help="hold other deployments' audit heads (a witness)",
        description="A small service another organisation runs: it keeps each signed head a registered deployment "
        "sends it and answers with its own signed receipt, refusing a head that contradicts one it holds.",
    )
    group = witness.add_subparsers(dest="witness_command", metavar="ACTION", required=True)
    for name, handler, what in (
        ("serve", witness_serve, "run the witness service (POST /heads)"),
        ("register", witness_register, "register a deployment by the public key that signs its heads"),
        ("public-key", witness_public_key, "print the key that signs this witness's receipts"),
    ):
        made = command(group, name, handler, what)
        made.add_argument(
            "--witness-database", default=DEFAULT_WITNESS_DATABASE, help="the witness's own database (SQLAlchemy URL)"
        )
        if name == "serve":
            made.add_argument("--host", default="127.0.0.1")
            made.add_argument("--port", type=int, default=8100)
        if name == "register":
            made.add_argument("--public-key", required=True, help="a PEM file, or the key in base64")
            made.add_argument("--name", required=True)
