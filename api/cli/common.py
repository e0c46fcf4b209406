"""What every command shares: the services on the database a command names, who runs it, how it
reports, and how it refuses; and the worker's own health check (``commitments worker --health``)."""

import argparse
import json
import sys
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


def wait_for_the_database(args: argparse.Namespace) -> None:
    """Before a command builds its services: the database it names answers, or ``DatabaseUnreachable``
    (one line, exit status 2); with ``COMMITMENTS_START_WAIT`` seconds, tried again meanwhile (one line
    says so), as a container started beside its database needs."""
    from infrastructure.persistence.database import DatabaseUnreachable, wait_for_database

    settings = configuration.read(database_url=args.database_url)

    def waiting(error: DatabaseUnreachable) -> None:
        print(
            f"commitments: waiting up to {settings.start_wait:g} s for the database at {error.url}: {error.cause}",
            file=sys.stderr,
            flush=True,
        )

    wait_for_database(settings.database_url, settings.start_wait, waiting)


def worker_health(args: argparse.Namespace) -> int:
    """``commitments worker --health``, for a container's HEALTHCHECK: 0 when each job this worker runs (with
    the same settings and ``--interval``) has ticked within three of its intervals and 30 s, in any process
    of the deployment (the heartbeats in the database); else 1, also when the database does not answer. One
    line either way. Nothing is created: not the services, not a missing SQLite file."""
    from datetime import UTC, datetime
    from pathlib import Path

    from infrastructure.operations.readiness import SLACK, Heartbeats, late_jobs, worker_jobs
    from infrastructure.persistence.database import DATABASE_ERRORS, cause, create_table_engine, parse, shown

    overrides = {} if args.interval is None else {"scan_interval": args.interval, "dispatch_interval": args.interval}
    try:
        settings = configuration.read(database_url=args.database_url, **overrides)
        url = parse(settings.database_url)
    except (configuration.BadSetting, ValueError) as error:
        print(f"unhealthy: {error}", flush=True)
        return 1
    jobs = worker_jobs(settings)
    if not jobs:
        print("healthy: this worker runs no job", flush=True)
        return 0
    where = shown(settings.database_url)
    if url.get_backend_name() == "sqlite" and not Path(url.database or "").is_file():
        print(f"unhealthy: no database at {where}", flush=True)
        return 1
    engine = create_table_engine(settings.database_url, pool_size=1, pool_overflow=0)
    try:
        now = datetime.now(UTC)
        beats = Heartbeats(engine, lambda: now).last()
    except DATABASE_ERRORS as error:
        print(f"unhealthy: cannot reach the database at {where}: {cause(error, settings.database_url)}", flush=True)
        return 1
    finally:
        engine.dispose()
    late = late_jobs(beats, jobs, now)
    if late:
        said = [
            f"{name} never ticked"
            if last is None
            else f"{name} last ticked {(now - last).total_seconds():.0f} s ago "
            f"(at most {3 * jobs[name] + SLACK.total_seconds():g} s)"
            for name, last in late.items()
        ]
        print("unhealthy: " + "; ".join(said), flush=True)
        return 1
    print(
        "healthy: " + ", ".join(f"{name} {(now - beats[name]).total_seconds():.0f} s ago" for name in jobs), flush=True
    )
    return 0
