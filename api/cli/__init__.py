"""The ``commitments`` command: serve the API, run the background worker, manage keys, the read
model and the audit record. Every command builds the services once and closes them when done."""

import argparse
import sys
from collections.abc import Callable
from importlib import metadata

from api.cli import witness
from api.cli.audit import (
    audit_export,
    audit_head,
    audit_public_key,
    audit_rotate_key,
    audit_signing_key,
    audit_verify,
)
from api.cli.backups import backup, restore
from api.cli.common import Refused, at_least_one, operator, wait_for_the_database, worker_health
from api.cli.keys import keys_create, keys_list, keys_revoke
from api.cli.migrating import migrate
from api.cli.people import people_create_admin, people_reset_second_factor
from api.cli.projections import projections_rebuild, projections_status
from api.cli.records import draft, import_matrix
from api.cli.serving import serve, worker
from application import doors
from domain.access import Role
from domain.errors import Refusal
from infrastructure.persistence.database import DatabaseUnreachable, UnsupportedDatabase, cause, shown, unreachable
from infrastructure.settings import DEFAULT_DATABASE_URL, BadSetting
from infrastructure.settings import read as read_settings

__all__ = ["main", "operator", "parser"]  # operator: who a command acts as (api.cli.operator, as before)


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
    work.add_argument(
        "--health",
        action="store_true",
        help="run nothing: exit 0 if the jobs this worker runs ticked lately (within three of their intervals "
        "and 30 s, in any process), else 1; one line (a container's HEALTHCHECK; give the same --interval)",
    )
    command(
        commands,
        "migrate",
        migrate,
        "bring the tables beside the read model to this version's shape (every start does it too)",
        "Run the migrations of the tables beside the read model (API keys, webhook subscriptions and "
        "deliveries, sessions, calendar feeds, digests, the audit's tables) on the database, once however "
        "many processes run them. A database made before migrations is recognised and stamped; one migrated "
        "by a newer version is refused. The read model is not migrated: it is rebuilt when its version "
        "changes ('projections rebuild').",
    )

    people = commands.add_parser(
        "people",
        help="people's accounts",
        description="People's accounts: people sign in as themselves, with their e-mail address and a password.",
    )
    people_commands = people.add_subparsers(dest="people_command", metavar="ACTION", required=True)
    first = command(
        people_commands,
        "create-admin",
        people_create_admin,
        "invite an administrator person and print their one-time link (no e-mail is sent)",
    )
    first.add_argument("--name", required=True, help="their name, as the pages will show it")
    first.add_argument("--email", required=True, help="their e-mail address: they sign in with it")
    first.add_argument("--language", default="en", help="the language of their pages (ar, en, fr)")
    reset = command(
        people_commands,
        "reset-second-factor",
        people_reset_second_factor,
        "for a person who lost their authenticator and recovery codes: they set up a new one at their next sign-in",
    )
    reset.add_argument("--email", required=True, help="the person's e-mail address")
    reset.add_argument("--reason", default=None, help="why (kept in the person's history)")

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
        "--held-by",
        default=None,
        metavar="EMAIL",
        help="the person who holds it (their account's address): disabling them revokes it; "
        "without it, the key is a service account's, named by --name",
    )
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
    rotating = command(
        audit_commands,
        "rotate-key",
        audit_rotate_key,
        "turn the signing key: a new key, signed by the old one (the chain of keys goes with every head)",
    )
    rotating.add_argument(
        "--output",
        metavar="FILE",
        help="a file that does not exist yet, for the new key (needed when COMMITMENTS_SIGNING_KEY_FILE names one)",
    )
    verifying = audit_commands.choices["verify"]
    verifying.add_argument(
        "--receipts",
        action="store_true",
        help="also prove the chain still holds every head the witnesses were shown (their signed receipts)",
    )
    witness.add_commands(commands, command)
    export = command(audit_commands, "export", audit_export, "write a bundle that verifies offline")
    export.add_argument("--output", required=True, help="folder to write events.jsonl, head.json and verify.py to")
    export.add_argument("--with-files", action="store_true", help="and every evidence file the events cite (files/)")
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
            made.add_argument(
                "--reapply-erasures-from",
                default=None,
                metavar="DATABASE_URL",
                help="the deployment the backup came from: the people erased there since stay erased",
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
    if getattr(args, "health", False):
        return worker_health(args)  # 0 or 1, one line, whatever happens (a HEALTHCHECK's own statuses)
    try:
        wait_for_the_database(args)  # every command stores or reads the record
        with doors.through("cli"):  # what a command records came through the command line (the server's own
            return int(args.handler(args))  # requests say their door themselves: api.doors.ThroughDoor)
    except DatabaseUnreachable as error:
        print(f"commitments: {error}", file=sys.stderr)
        return 2
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
    except Exception as error:  # the database stopped answering after the command started
        if not unreachable(error):
            raise
        url = read_settings(database_url=args.database_url).database_url
        print(f"commitments: cannot reach the database at {shown(url)}: {cause(error, url)}", file=sys.stderr)
        return 2
