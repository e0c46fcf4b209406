"""The ``commitments`` command: serve the API, run the background worker, manage keys, the read
model and the audit record. Every command builds the services once and closes them when done."""

import argparse
import json
import os
import sys
from collections.abc import Callable
from importlib import metadata
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.access import Principal, Role
from domain.errors import Refusal
from infrastructure import settings as configuration
from infrastructure.persistence.database import UnsupportedDatabase
from infrastructure.settings import DEFAULT_DATABASE_URL, BadSetting

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


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from api import workers
    from api.app import create_app

    settings = configuration.read(database_url=args.database_url, host=args.host, port=args.port)
    with _services(args) as services:
        first = services.keyring.first_admin()
        if first is not None:
            principal, key = first
            print("No API key existed, so an admin key was created. It is shown only this once:")
            print(f"\n    {key}\n")
            print("Send it as 'Authorization: Bearer <key>'. Make more with 'commitments keys create --role ...'.")
            sys.stdout.flush()
        if args.workers == 1:
            uvicorn.run(
                create_app(settings, services),
                host=settings.host,
                port=settings.port,
                log_level=args.log_level,
                **settings.proxy_settings(),
            )
            return 0
    # Several worker processes, each on its own socket: each builds its own services from the environment.
    os.environ["COMMITMENTS_DATABASE_URL"] = settings.database_url
    try:
        return workers.serve(args.workers, settings.host, settings.port, args.log_level)
    except OSError as error:  # the address is taken, or not this machine's
        raise Refused(f"cannot listen on {settings.host}:{settings.port}: {error.strerror or error}") from None


def worker(args: argparse.Namespace) -> int:
    import signal
    import threading

    from api.bootstrap import build
    from infrastructure.operations import ticks

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    overrides = {} if args.interval is None else {"scan_interval": args.interval, "dispatch_interval": args.interval}
    with build(configuration.read(database_url=args.database_url, **overrides)) as services:
        jobs = services.background_jobs()
        scheduler = ticks.start(jobs)
        print(
            "worker running: " + ", ".join(f"{name} every {interval:g} s" for name, (_, interval) in jobs.items()),
            flush=True,
        )
        stop.wait()
        scheduler.shutdown(wait=True)
    return 0


def keys_create(args: argparse.Namespace) -> int:
    from application.errors import ApplicationError
    from domain.errors import DomainError

    if (args.party or args.party_id) and args.role != Role.COORDINATOR.value:
        raise Refused("only coordinator keys are limited to parties")
    with _services(args) as services:
        try:
            scope = [services.tracker.parties.id_of(acronym) for acronym in args.party]
            scope += [services.tracker.parties.get(identifier).id for identifier in args.party_id]
            principal, key = services.keyring.make(
                operator(), args.role, args.name or f"{args.role} key", [UUID(p) for p in scope]
            )
        except (ApplicationError, DomainError) as error:
            raise Refused(str(error)) from None
    limited = f", limited to {len(scope)} part{'y' if len(scope) == 1 else 'ies'}" if scope else ""
    _say(
        args,
        f"Created {principal.id} ({principal.role.value}{limited}, {principal.name!r}). "
        f"The key, shown only this once:\n{key}",
        {
            "id": principal.id,
            "role": principal.role.value,
            "name": principal.name,
            "party_scope": scope or None,
            "key": key,
        },
    )
    return 0


def keys_list(args: argparse.Namespace) -> int:
    with _services(args) as services:
        keys = services.keyring.listed(operator())
    lines = []
    for info in keys:
        state = f"revoked {info.revoked_at:%Y-%m-%d %H:%M}Z" if info.revoked_at else "active"
        lines.append(f"{info.id}\t{info.role.value}\t{state}\t{info.name}")
    _say(
        args,
        "\n".join(lines) if lines else "no keys",
        [
            {
                "id": info.id,
                "role": info.role.value,
                "name": info.name,
                "created_at": info.created_at,
                "revoked_at": info.revoked_at,
            }
            for info in keys
        ],
    )
    return 0


def keys_revoke(args: argparse.Namespace) -> int:
    from application.errors import NotFound

    with _services(args) as services:
        try:
            services.keyring.revoke(operator(), args.key_id)
        except NotFound:
            print(f"commitments: no active key {args.key_id}", file=sys.stderr)
            return 1
    _say(args, f"revoked {args.key_id}", {"id": args.key_id, "revoked": True})
    return 0


def projections_rebuild(args: argparse.Namespace) -> int:
    """A progress bar on the terminal (standard error): events projected, events/s, time left."""
    from tqdm import tqdm

    from infrastructure.read_model import rebuilding

    with (
        _services(args, catch_up=False) as services,
        tqdm(
            total=services.store.recorder.max_notification_id() or 0,
            unit="event",
            desc="rebuilding",
            file=sys.stderr,
            disable=args.json,
        ) as bar,
    ):
        position = rebuilding.rebuild(
            services.settings.database_url,
            services.projector,
            args.workers,
            lambda reached, latest: bar.update(reached - bar.n),
        )
    _say(args, f"rebuilt the read model from {position} events", {"position": position})
    return 0


def projections_status(args: argparse.Namespace) -> int:
    with _services(args, catch_up=False) as services:
        position = services.projector.position()
        latest = services.store.recorder.max_notification_id() or 0
    _say(args, f"read model at event {position} of {latest}", {"position": position, "latest": latest})
    return 0


def audit_verify(args: argparse.Namespace) -> int:
    with _services(args) as services:
        result = services.audit_watch.verify()
    if result.intact:
        _say(
            args,
            f"intact: {result.checked} events, chain ends at position {result.position}, link {result.link}",
            {"intact": True, "checked": result.checked, "position": result.position, "link": result.link},
        )
        return 0
    _say(
        args,
        f"NOT INTACT at position {result.first_broken}: {result.problem}",
        {"intact": False, "first_broken": result.first_broken, "problem": result.problem},
    )
    return 1


def audit_head(args: argparse.Namespace) -> int:
    with _services(args) as services:
        head = services.audit.head()
    print(json.dumps(head, indent=2))  # a record in any case: save it as it is
    return 0


def audit_public_key(args: argparse.Namespace) -> int:
    """The public key that signs this deployment's audit heads, as PEM: save it beside each backup
    (and apart from it), and give it to ``restore --trust-key``."""
    from infrastructure.audit.head_signing import fingerprint, public_key_pem

    with _services(args) as services:
        key = services.audit.head()["public_key"]
    _say(
        args,
        public_key_pem(key).rstrip("\n"),
        {"public_key": key, "fingerprint": fingerprint(key), "pem": public_key_pem(key)},
    )
    if not args.json:
        print(f"fingerprint {fingerprint(key)}", file=sys.stderr)
    return 0


def audit_signing_key(args: argparse.Namespace) -> int:
    """The private key that signs the audit heads, written to a new file readable by its owner only:
    kept there and named by COMMITMENTS_SIGNING_KEY_FILE, the same key signs after a restore."""
    from infrastructure.audit.head_signing import fingerprint

    with _services(args) as services:
        pem, key = services.audit.signer.private_pem(), services.audit.head()["public_key"]
    descriptor = os.open(args.output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # never over another key
    with os.fdopen(descriptor, "w") as out:
        out.write(pem)
    _say(
        args,
        f"wrote {args.output}: the private key {fingerprint(key)}; keep it apart from the data and the "
        "backups, and name it by COMMITMENTS_SIGNING_KEY_FILE",
        {"output": args.output, "fingerprint": fingerprint(key)},
    )
    return 0


def audit_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from infrastructure.audit import export as bundle

    with _services(args) as services:
        head = bundle.write_directory(services.audit, Path(args.output))
    _say(
        args,
        f"wrote {args.output}: events up to position {head['position']}; check it with "
        f"'python3 {Path(args.output) / 'verify.py'} {args.output}'",
        {"output": args.output, "head": head},
    )
    return 0


def _secret(args: argparse.Namespace) -> tuple[bytes, bool]:
    """The key file's 32 bytes, or the passphrase (``COMMITMENTS_BACKUP_PASSPHRASE``, else asked for),
    checked before any file is written or read."""
    import getpass
    from pathlib import Path

    from infrastructure.backup import sealing

    if args.key_file:
        secret, from_key_file = Path(args.key_file).read_bytes(), True
    else:
        phrase = os.environ.get("COMMITMENTS_BACKUP_PASSPHRASE") or getpass.getpass("backup passphrase: ")
        secret, from_key_file = phrase.encode("utf-8"), False
    try:
        if from_key_file:
            sealing.key_of(secret, b"", from_key_file)
        else:
            sealing.check_passphrase(secret)
    except sealing.BadBackup as error:
        raise Refused(str(error)) from None
    return secret, from_key_file


def backup(args: argparse.Namespace) -> int:
    from infrastructure.audit.head_signing import fingerprint
    from infrastructure.backup import archive, sealing

    secret, from_key_file = _secret(args)
    with _services(args) as services, open(args.output, "wb") as out:
        head = services.audit.head()
        sealing.seal(archive.lines(services), out, secret, from_key_file)
    _say(
        args,
        f"wrote {args.output}: the event log up to position {head['position']} (link {head['link'][:16]}…), "
        "keys, subscriptions and calendar feeds, encrypted; its head is signed by "
        f"{fingerprint(head['public_key'])} (restore it with --trust-key, the file 'commitments audit "
        "public-key' writes)",
        {"output": args.output, "head": head, "fingerprint": fingerprint(head["public_key"])},
    )
    return 0


def restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from infrastructure.audit.head_signing import read_public_key
    from infrastructure.backup import archive, sealing

    if args.trust_key is None and not args.accept_unverified_origin:
        raise Refused(
            "say whose backup this is: --trust-key FILE (the public key 'commitments audit public-key' "
            "printed where it was made), or --accept-unverified-origin"
        )
    try:
        trusted = None if args.trust_key is None else read_public_key(Path(args.trust_key).read_bytes())
    except ValueError as error:
        raise Refused(f"{args.trust_key}: {error}") from None
    secret, from_key_file = _secret(args)
    with _services(args) as services, open(args.input, "rb") as source:
        try:
            restored = archive.restore(services, sealing.opened(source, secret, from_key_file), trusted)
        except (archive.NotRestorable, sealing.BadBackup) as error:
            raise Refused(str(error)) from None
    origin = "signed by the trusted key" if trusted else "UNVERIFIED: its head names the key"
    origin += f" {restored.signed_by}"
    _say(
        args,
        f"restored {restored.events} events, {origin}; the audit chain ends at position {restored.position} "
        f"(link {restored.link[:16]}…), as the backup's did; this deployment signs with {restored.signs_with}; "
        "the read model is rebuilt",
        {
            "events": restored.events,
            "position": restored.position,
            "link": restored.link,
            "rows": restored.rows,
            "origin_verified": trusted is not None,
            "signed_by": restored.signed_by,
            "signs_with": restored.signs_with,
        },
    )
    return 0


def import_matrix(args: argparse.Namespace) -> int:
    """A dry run unless ``--apply``; a progress bar on the terminal (standard error) as rows are
    checked and stored."""
    from pathlib import Path

    from tqdm import tqdm

    from application.errors import ApplicationError
    from domain.errors import DomainError

    path = Path(args.file)
    if not path.is_file():
        raise Refused(f"no file {args.file}")
    bars: dict[str, Any] = {}

    def progress(phase: str, done: int, total: int) -> None:
        bar = bars.get(phase)
        if bar is None:
            bar = bars[phase] = tqdm(total=total, desc=phase, unit="row", file=sys.stderr, disable=args.json)
        bar.update(done - bar.n)

    with _services(args) as services:
        try:
            report = services.imports.run(
                operator(),
                args.agreement_id,
                services.spreadsheets.read(path.read_bytes(), path.name),
                dry_run=not args.apply,
                language=args.language,
                status=args.status,
                expected_plan=args.plan,
                progress=progress,
            )
        except (ApplicationError, DomainError) as error:
            raise Refused(str(error)) from None
        finally:
            for bar in bars.values():
                bar.close()
    from dataclasses import asdict

    lines = [
        f"{c['column']}\t{c['header']}\t-> {c['field']}" + (f" ({c['language']})" if c["language"] else "")
        for c in report.columns
    ]
    lines += [f"ignored column: {name}" for name in report.ignored_columns]
    lines += [
        f"line {o.line}\t{o.key}\t{o.outcome}"
        + (f": {', '.join(o.changed)}" if o.changed else "")
        + "".join(f"; {r['field']}: {r['reason']}" for r in o.refused)
        for o in report.rows
        if o.outcome != "unchanged"
    ]
    lines += [f"no party named {u['name']!r} (lines {', '.join(map(str, u['lines']))})" for u in report.unknown_parties]
    counts = ", ".join(f"{n} {name}" for name, n in report.counts.items())
    if report.dry_run:
        lines.append(f"dry run: {counts}; nothing stored. Store it with --apply --plan {report.plan}")
    else:
        lines.append(f"stored {report.batches_stored} of {report.batches} batches: {counts}")
    if report.stopped:
        lines.append(
            f"stopped at batch {report.stopped['batch']} (lines {report.stopped['first_line']}-"
            f"{report.stopped['last_line']}): {report.stopped['detail']}; {report.stopped['resume']}"
        )
    _say(args, "\n".join(lines), asdict(report))
    return 0 if report.stopped is None else 1


def draft(args: argparse.Namespace) -> int:
    """Read a report into a draft (nothing stored); with ``--confirm FILE``, record a confirmation
    (the draft's ``confirmation``, edited) instead."""
    from datetime import date
    from pathlib import Path

    from application.errors import ApplicationError
    from domain.errors import DomainError

    with _services(args) as services:
        try:
            if args.confirm:
                body = json.loads(Path(args.confirm).read_text(encoding="utf-8"))
                recorded = services.drafts.confirm(operator(), body)
                _say(
                    args,
                    f"recorded meeting {recorded.meeting_id}: {len(recorded.commitments)} commitments, "
                    f"{len(recorded.follow_ups)} follow-up sessions, {len(recorded.agreements)} agreements"
                    + (
                        f"; already recorded: {', '.join(recorded.already_recorded)}"
                        if recorded.already_recorded
                        else ""
                    ),
                    vars(recorded),
                )
                return 0
            if not args.file or not args.published_on:
                raise Refused("give the report's file and --published-on (or --confirm FILE)")
            text = Path(args.file).read_text(encoding="utf-8")
            found = services.drafts.read(text, date.fromisoformat(args.published_on))
        except (ApplicationError, DomainError, ValueError, OSError) as error:
            raise Refused(str(error)) from None
    if args.json:
        print(json.dumps(found, ensure_ascii=False, indent=2))
        return 0
    meeting = found["meeting"]["value"]
    lines = [
        f"meeting: {meeting.get('kind')} {meeting.get('session_number') or ''} "
        f"{meeting.get('starts_on') or '?'}–{meeting.get('ends_on') or '?'} {meeting.get('city') or ''} "
        f"{meeting.get('time_zone') or ''}".rstrip()
    ]
    for name in ("parties", "participants", "agreements", "commitments", "follow_ups", "recurrences"):
        for proposal in found[name]:
            span = proposal["span"]
            lines.append(
                f"{name[:-1] if name != 'parties' else 'party'} [{span['start']}-{span['end']}] "
                f"({proposal['confidence']:.2f}): {proposal['quote'][:100]}"
            )
    lines.append("nothing is stored: edit the confirmation (--json shows it) and record it with --confirm FILE")
    print("\n".join(lines))
    return 0


def _version() -> str:
    try:
        return metadata.version("commitments")
    except metadata.PackageNotFoundError:  # run from a checkout that was not installed
        return "unknown (not installed)"


def parser() -> argparse.ArgumentParser:
    # The options every command takes, before or after its name (said once, here).
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--database-url",
        default=argparse.SUPPRESS,
        help=f"where everything is stored (default: $COMMITMENTS_DATABASE_URL or {DEFAULT_DATABASE_URL})",
    )
    common.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS,
        help="print what the command reports as JSON, for programs",
    )
    main = argparse.ArgumentParser(
        prog="commitments",
        parents=[common],
        description="Record meetings, agreements and the commitments made in them; follow them up; audit them.",
    )
    main.add_argument("--version", action="version", version=f"commitments {_version()}")
    commands = main.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(
        group: "argparse._SubParsersAction[argparse.ArgumentParser]",
        name: str,
        handler: Callable[[argparse.Namespace], int],
        help: str,
        description: str | None = None,
    ) -> argparse.ArgumentParser:
        made = group.add_parser(name, help=help, description=description or help, parents=[common])
        made.set_defaults(handler=handler)
        return made

    run = command(
        commands,
        "serve",
        serve,
        "run the REST API",
        "Run the REST API (uvicorn). With no API key yet, an admin key is created and printed once.",
    )
    run.add_argument("--host", default=None, help="address to listen on (default 127.0.0.1; 0.0.0.0 in Docker)")
    run.add_argument("--port", type=int, default=None, help="port to listen on (default 8000)")
    run.add_argument(
        "--workers",
        type=at_least_one,
        default=1,
        help="worker processes (default 1); use PostgreSQL when running more than one",
    )
    run.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])

    work = command(
        commands,
        "worker",
        worker,
        "find overdue and due-soon commitments and send webhooks, without the API",
        "Run the scanner (and the webhook dispatcher, and the e-mail digests when "
        "COMMITMENTS_SMTP_HOST is set) at an interval, without serving the API. "
        "Run it beside 'commitments serve --workers N' or on another machine; several may run at once.",
    )
    work.add_argument(
        "--interval",
        type=float,
        default=None,
        help="seconds between ticks of the scanner and the dispatcher "
        "(default: $COMMITMENTS_SCAN_INTERVAL or 60, $COMMITMENTS_DISPATCH_INTERVAL or 2)",
    )

    keys = commands.add_parser(
        "keys",
        help="manage API keys",
        description="Manage API keys. Keys are stored hashed: a key is printed once, when created.",
    )
    key_commands = keys.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    create = command(key_commands, "create", keys_create, "create a key and print it once")
    create.add_argument(
        "--role",
        required=True,
        choices=[role.value for role in Role],
        help="admin: everything; coordinator: records and changes; auditor: reads only",
    )
    create.add_argument("--name", default=None, help="who or what the key is for")
    create.add_argument(
        "--party",
        action="append",
        default=[],
        metavar="ACRONYM",
        help="limit a coordinator key to the commitments the party with this acronym leads or supports (repeatable)",
    )
    create.add_argument(
        "--party-id",
        action="append",
        default=[],
        metavar="ID",
        help="the same, naming the party by its id (repeatable)",
    )
    command(key_commands, "list", keys_list, "list keys (never the keys themselves)")
    revoke = command(key_commands, "revoke", keys_revoke, "revoke a key by its id")
    revoke.add_argument("key_id", help="the key's id, as listed (key_...)")

    projections = commands.add_parser(
        "projections",
        help="manage the read model",
        description="The read model (the tables behind lists, filters and search) is projected from the events. "
        "It is created and kept up to date automatically; rebuild it after restoring events from a backup.",
    )
    projection_commands = projections.add_subparsers(dest="projections_command", metavar="ACTION", required=True)
    rebuild = command(
        projection_commands, "rebuild", projections_rebuild, "drop the read model and replay every event into it"
    )
    rebuild.add_argument(
        "--workers",
        type=at_least_one,
        default=1,
        metavar="N",
        help="fold disjoint shares of the records in N processes (default 1)",
    )
    command(projection_commands, "status", projections_status, "show how far the read model has caught up")

    audit = commands.add_parser(
        "audit",
        help="verify and export the tamper-evident record",
        description="Every stored event is chained by SHA-256 links; the head is signed.",
    )
    audit_commands = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    command(audit_commands, "verify", audit_verify, "recompute the chain from the stored events")
    command(audit_commands, "head", audit_head, "print the signed head of the chain (save it)")
    command(
        audit_commands,
        "public-key",
        audit_public_key,
        "print the public key that signs the heads (PEM; save it apart, for restore --trust-key)",
    )
    signing = command(
        audit_commands,
        "signing-key",
        audit_signing_key,
        "write the private signing key to a new file (for COMMITMENTS_SIGNING_KEY_FILE)",
    )
    signing.add_argument("--output", required=True, metavar="FILE", help="a file that does not exist yet")
    export = command(audit_commands, "export", audit_export, "write a bundle that verifies offline")
    export.add_argument("--output", required=True, help="folder to write events.jsonl, head.json and verify.py to")
    for name, handler, what in (
        ("backup", backup, "write the whole record to one encrypted file"),
        ("restore", restore, "load a backup into an empty database (either engine)"),
    ):
        made = command(
            commands,
            name,
            handler,
            what,
            "A backup holds the event log (its chain is checked again on restore), the API keys, "
            "webhook subscriptions with their secrets and calendar feeds (not the key that signs the "
            "audit heads), encrypted with a passphrase (COMMITMENTS_BACKUP_PASSPHRASE, else asked for) "
            "or a key file of 32 bytes.",
        )
        made.add_argument("--output" if name == "backup" else "--input", required=True, metavar="FILE")
        made.add_argument("--key-file", default=None, help="32 random bytes instead of a passphrase")
        if name == "restore":
            made.add_argument(
                "--trust-key",
                default=None,
                metavar="FILE",
                help="the public key of the deployment the backup comes from (commitments audit "
                "public-key): a backup whose head it did not sign is refused",
            )
            made.add_argument(
                "--accept-unverified-origin",
                action="store_true",
                help="restore without --trust-key; the key the backup names is printed",
            )
    drafted = command(
        commands,
        "draft",
        draft,
        "read a meeting report into a draft record (nothing stored)",
        "Read a meeting report's text (Arabic or English) into proposals: the meeting, parties, "
        "participants, agreements, commitments and follow-up sessions, each with its span of the "
        "text. --json prints the draft, whose 'confirmation' can be edited and recorded with "
        "--confirm FILE.",
    )
    drafted.add_argument("file", nargs="?", help="the report, as UTF-8 text")
    drafted.add_argument(
        "--published-on",
        default=None,
        metavar="YYYY-MM-DD",
        help="the day it was published: relative dates count from it",
    )
    drafted.add_argument("--confirm", default=None, metavar="FILE", help="record this confirmation (JSON)")
    imported = command(
        commands,
        "import",
        import_matrix,
        "import an action matrix from a CSV or XLSX file",
        "Import an action matrix into an agreement: one commitment per row, found again by the "
        "row's key. Without --apply it is a dry run: each row's outcome, nothing stored.",
    )
    imported.add_argument("agreement_id", help="the agreement the rows belong to")
    imported.add_argument("file", help="a CSV (UTF-8, comma or semicolon) or XLSX file")
    imported.add_argument("--apply", action="store_true", help="store the accepted rows (default: a dry run)")
    imported.add_argument("--plan", default=None, help="the dry run's plan: refuse if the outcomes differ now")
    imported.add_argument(
        "--language",
        default="en",
        help="the language of texts in columns that name none (Arabic script is read as Arabic; default en)",
    )
    imported.add_argument(
        "--status",
        default="draft",
        choices=["draft", "agreed", "noted"],
        help="how new rows are recorded (default draft)",
    )
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    for option, unset in (("database_url", None), ("json", False)):  # given neither before nor after the command
        if not hasattr(args, option):
            setattr(args, option, unset)
    try:
        return int(args.handler(args))
    except (UnsupportedDatabase, BadSetting, Refused, Refusal) as error:
        print(f"commitments: {error}", file=sys.stderr)
        return 2
    except OSError as error:  # a file that cannot be read or written, a server that cannot be reached
        print(
            f"commitments: {error.strerror or error}{f': {error.filename}' if error.filename else ''}", file=sys.stderr
        )
        return 2
    except KeyboardInterrupt:
        print("commitments: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
