"""What every command shares: the services on the database a command names, who runs it, how it
reports, and how it refuses."""

import argparse
import json
from typing import TYPE_CHECKING, Any

from domain.access import Principal, Role
from infrastructure import settings as configuration

if TYPE_CHECKING:  # imported when a command runs: the command line starts without the whole service
    from api.bootstrap import Services


def operator() -> Principal:
    """Who runs a command on the server: the account holding the deployment's files acts as an admin (its
    name is the actor recorded on every event the command causes)."""
    import getpass

    user = getpass.getuser()
    return Principal(id=f"cli:{user}", name=user, role=Role.ADMIN)


def _services(args: argparse.Namespace, catch_up: bool = True) -> "Services":
    """Services on the database the command names (use them in a ``with``); ``catch_up=False``
    leaves the followers of the log as they are."""
    from api.bootstrap import build

    return build(configuration.read(database_url=args.database_url), catch_up=catch_up)


def _say(args: argparse.Namespace, text: str, record: Any) -> None:
    """Print a line for people, or (``--json``) the record for programs."""
    print(json.dumps(record, ensure_ascii=False, indent=2, default=str) if args.json else text, flush=True)


def at_least_one(text: str) -> int:
    """A count of processes, as an argument: a whole number, 1 or more."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


class Refused(Exception):
    """A command refused: its message is printed and the exit status is 2."""
