"""The ``commitments`` command."""

import argparse
import os
import sys

from domain.access import Role
from infrastructure.database import UnsupportedDatabase
from infrastructure import settings as configuration
from infrastructure.settings import DEFAULT_DATABASE_URL, BadSetting

DATABASE_HELP = f"where to store everything (default: $COMMITMENTS_DATABASE_URL or {DEFAULT_DATABASE_URL})"


def _services(args: argparse.Namespace, catch_up: bool = True):  # type: ignore[no-untyped-def]
    """Services on the database the command names; ``catch_up=False`` leaves the followers of the log as they are."""
    from infrastructure.bootstrap import build

    return build(configuration.read(database_url=args.database_url), catch_up=catch_up)


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from api.app import create_app

    settings = configuration.read(database_url=args.database_url, host=args.host, port=args.port)
    services = _services(args)
    if services.keys.count_active() == 0:
        principal, key = services.keys.create(Role.ADMIN, "first admin")
        print("No API key existed, so an admin key was created. It is shown only this once:")
        print(f"\n    {key}\n")
        print("Send it as 'Authorization: Bearer <key>'. Make more with 'commitments keys create --role ...'.")
        sys.stdout.flush()
    if args.workers == 1:
        uvicorn.run(create_app(settings, services), host=settings.host, port=settings.port, log_level=args.log_level)
        services.close()
        return 0
    # Several worker processes: each builds its own services from the environment.
    services.close()
    os.environ["COMMITMENTS_DATABASE_URL"] = settings.database_url
    uvicorn.run("api.app:create_app", factory=True, workers=args.workers, host=settings.host, port=settings.port,
                log_level=args.log_level)
    return 0


def worker(args: argparse.Namespace) -> int:
    import signal
    import threading

    from infrastructure import ticks
    from infrastructure.bootstrap import build as build_services

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    overrides = {} if args.interval is None else {"scan_interval": args.interval, "dispatch_interval": args.interval}
    services = build_services(configuration.read(database_url=args.database_url, **overrides))
    jobs = services.background_jobs()
    scheduler = ticks.start(jobs)
    print("worker running: " + ", ".join(f"{name} every {interval:g} s" for name, (_, interval) in jobs.items()),
          flush=True)
    stop.wait()
    scheduler.shutdown(wait=True)
    services.close()
    return 0


def keys_create(args: argparse.Namespace) -> int:
    from application.errors import ApplicationError
    from domain.party import party_id

    services = _services(args)
    scope = None
    if args.party:
        if args.role != Role.COORDINATOR.value:
            print("commitments: only coordinator keys are limited to parties", file=sys.stderr)
            return 2
        try:  # each --party is an acronym or an id
            scope = [services.tracker.get_party(party_id(p) if len(p) != 36 else p).id for p in args.party]
        except ApplicationError as error:
            print(f"commitments: {error.detail}", file=sys.stderr)
            return 2
    principal, key = services.keys.create(Role(args.role), args.name or f"{args.role} key", scope)
    limited = f", limited to {len(scope)} part{'y' if len(scope) == 1 else 'ies'}" if scope else ""
    print(f"Created {principal.id} ({principal.role.value}{limited}, {principal.name!r}). "
          "The key, shown only this once:")
    print(key)
    services.close()
    return 0


def keys_list(args: argparse.Namespace) -> int:
    services = _services(args)
    for info in services.keys.list():
        state = f"revoked {info.revoked_at:%Y-%m-%d %H:%M}Z" if info.revoked_at else "active"
        print(f"{info.id}\t{info.role.value}\t{state}\t{info.name}")
    services.close()
    return 0


def keys_revoke(args: argparse.Namespace) -> int:
    services = _services(args)
    revoked = services.keys.revoke(args.key_id)
    services.close()
    if not revoked:
        print(f"no active key {args.key_id}", file=sys.stderr)
        return 1
    print(f"revoked {args.key_id}")
    return 0


def projections_rebuild(args: argparse.Namespace) -> int:
    services = _services(args, catch_up=False)
    position = services.projector.rebuild()
    print(f"rebuilt the read model from {position} events")
    services.close()
    return 0


def projections_status(args: argparse.Namespace) -> int:
    services = _services(args, catch_up=False)
    position = services.projector.position()
    latest = services.tracker.recorder.max_notification_id() or 0
    print(f"read model at event {position} of {latest}")
    services.close()
    return 0


def audit_verify(args: argparse.Namespace) -> int:
    services = _services(args)
    result = services.audit_watch.verify()
    services.close()
    if result.intact:
        print(f"intact: {result.checked} events, chain ends at position {result.position}, link {result.link}")
        return 0
    print(f"NOT INTACT at position {result.first_broken}: {result.problem}")
    return 1


def audit_head(args: argparse.Namespace) -> int:
    import json

    services = _services(args)
    print(json.dumps(services.audit.head(), indent=2))
    services.close()
    return 0


def audit_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from infrastructure import audit_export as bundle

    services = _services(args)
    head = bundle.write_directory(services.audit, Path(args.output))
    services.close()
    print(f"wrote {args.output}: events up to position {head['position']}; check it with "
          f"'python3 {Path(args.output) / 'verify.py'} {args.output}'")
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="commitments",
        description="Record meetings, agreements and the commitments made in them; follow them up; audit them.",
    )
    commands = main.add_subparsers(dest="command", metavar="COMMAND", required=True)

    run = commands.add_parser("serve", help="run the REST API", description="Run the REST API (uvicorn). "
                              "With no API key yet, an admin key is created and printed once.")
    run.add_argument("--host", default=None, help="address to listen on (default 127.0.0.1; 0.0.0.0 in Docker)")
    run.add_argument("--port", type=int, default=None, help="port to listen on (default 8000)")
    run.add_argument("--database-url", default=None, help=DATABASE_HELP)
    run.add_argument("--workers", type=int, default=1,
                     help="worker processes (default 1); use PostgreSQL when running more than one")
    run.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    run.set_defaults(handler=serve)

    work = commands.add_parser(
        "worker", help="find overdue and due-soon commitments and send webhooks, without the API",
        description="Run the scanner (and the webhook dispatcher) at an interval, without serving the API. "
                    "Run it beside 'commitments serve --workers N' or on another machine; several may run at once.",
    )
    work.add_argument("--interval", type=float, default=None,
                      help="seconds between ticks of the scanner and the dispatcher "
                           "(default: $COMMITMENTS_SCAN_INTERVAL or 60, $COMMITMENTS_DISPATCH_INTERVAL or 2)")
    work.add_argument("--database-url", default=None, help=DATABASE_HELP)
    work.set_defaults(handler=worker)

    keys = commands.add_parser("keys", help="manage API keys", description="Manage API keys. Keys are stored "
                               "hashed: a key is printed once, when created.")
    key_commands = keys.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    create = key_commands.add_parser("create", help="create a key and print it once")
    create.add_argument("--role", required=True, choices=[role.value for role in Role],
                        help="admin: everything; coordinator: records and changes; auditor: reads only")
    create.add_argument("--name", default=None, help="who or what the key is for")
    create.add_argument("--party", action="append", default=[], metavar="ACRONYM_OR_ID",
                        help="limit a coordinator key to the commitments this party leads or supports (repeatable)")
    create.add_argument("--database-url", default=None, help=DATABASE_HELP)
    create.set_defaults(handler=keys_create)
    listing = key_commands.add_parser("list", help="list keys (never the keys themselves)")
    listing.add_argument("--database-url", default=None, help=DATABASE_HELP)
    listing.set_defaults(handler=keys_list)
    revoke = key_commands.add_parser("revoke", help="revoke a key by its id")
    revoke.add_argument("key_id", help="the key's id, as listed (key_...)")
    revoke.add_argument("--database-url", default=None, help=DATABASE_HELP)
    revoke.set_defaults(handler=keys_revoke)

    projections = commands.add_parser(
        "projections", help="manage the read model",
        description="The read model (the tables behind lists, filters and search) is projected from the events. "
                    "It is created and kept up to date automatically; rebuild it after restoring events from a backup.",
    )
    projection_commands = projections.add_subparsers(dest="projections_command", metavar="ACTION", required=True)
    rebuild = projection_commands.add_parser("rebuild", help="drop the read model and replay every event into it")
    rebuild.add_argument("--database-url", default=None, help=DATABASE_HELP)
    rebuild.set_defaults(handler=projections_rebuild)
    status = projection_commands.add_parser("status", help="show how far the read model has caught up")
    status.add_argument("--database-url", default=None, help=DATABASE_HELP)
    status.set_defaults(handler=projections_status)

    audit = commands.add_parser("audit", help="verify and export the tamper-evident record",
                                description="Every stored event is chained by SHA-256 links; the head is signed.")
    audit_commands = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    check = audit_commands.add_parser("verify", help="recompute the chain from the stored events")
    check.add_argument("--database-url", default=None, help=DATABASE_HELP)
    check.set_defaults(handler=audit_verify)
    show = audit_commands.add_parser("head", help="print the signed head of the chain (save it)")
    show.add_argument("--database-url", default=None, help=DATABASE_HELP)
    show.set_defaults(handler=audit_head)
    export = audit_commands.add_parser("export", help="write a bundle that verifies offline")
    export.add_argument("--output", required=True, help="folder to write events.jsonl, head.json and verify.py to")
    export.add_argument("--database-url", default=None, help=DATABASE_HELP)
    export.set_defaults(handler=audit_export)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except (UnsupportedDatabase, BadSetting) as error:
        print(f"commitments: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
