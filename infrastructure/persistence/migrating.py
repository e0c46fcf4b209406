"""The shape of the tables beside the read model (API keys, subscriptions and deliveries, sessions,
calendar feeds, digests, the audit's tables, idempotency records, positions, …), changed by Alembic
migrations (decision 0059). The read model is never migrated: it is rebuilt when its version changes
(``infrastructure.read_model.projector``); the event store's tables are the library's own.

``upgrade(engine)`` runs at every start and by ``commitments migrate``: a database at the latest
revision costs two small queries; otherwise the revisions run under a lock of their own, so
processes starting together migrate once. A database made before migrations (its tables there, no
``alembic_version``) is completed as the start-up of those days did (missing tables created, missing
nullable columns added) and stamped at the baseline, then upgraded.

Writing a revision (a developer, on a database at the latest revision):
``python -m infrastructure.persistence.migrating revision --autogenerate --rev-id 0002 -m "what changes"``
(any Alembic command: ``upgrade head``, ``history``, ``check``, ``current``; the database is
``$COMMITMENTS_DATABASE_URL``, or ``-x database_url=…``).
"""

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Connection, Engine, MetaData, inspect, text

from infrastructure.audit import tables as _audit_tables  # noqa: F401  (their tables join ``metadata``)
from infrastructure.files import tables as _file_tables  # noqa: F401
from infrastructure.mail import tables as _mail_tables  # noqa: F401
from infrastructure.people import tables as _people_tables  # noqa: F401
from infrastructure.persistence.database import taking_turns
from infrastructure.persistence.migrations import LOCATION
from infrastructure.persistence.migrations.baseline import BASELINE
from infrastructure.persistence.tables import UTCDateTime, metadata
from infrastructure.personal import tables as _personal_tables  # noqa: F401
from infrastructure.webhooks import tables as _webhook_tables  # noqa: F401

if TYPE_CHECKING:  # Alembic is imported when a database is behind, not by every start
    from alembic.config import Config
    from alembic.script import ScriptDirectory

BASELINE_REVISION = "0001"
VERSION_TABLE = "alembic_version"
MIGRATION_LOCK = 7_316_121  # any number, the same in every process (the start-up lock is 7_316_120)


class SchemaNewerThanCode(RuntimeError):
    """The database was migrated by a newer version of the service than this one."""


@dataclass(frozen=True)
class Migrated:
    """What ``upgrade`` found and did."""

    before: str | None  # the revision found; None: a new database, or one made before migrations
    after: str
    applied: tuple[str, ...] = ()  # the revisions run, oldest first
    adopted: bool = False  # made before migrations: completed, then stamped at the baseline
    added: tuple[str, ...] = field(default=())  # what completing it added (tables, table.column)

    def said(self) -> str:
        """One line for people."""
        if not self.applied and not self.adopted:
            return f"the tables are at the latest revision, {self.after}: nothing to do"
        parts = []
        if self.adopted:
            parts.append(
                f"a database made before migrations was stamped at {BASELINE_REVISION}"
                + (f" (added {', '.join(self.added)})" if self.added else "")
            )
        if self.applied:
            parts.append(f"applied {', '.join(self.applied)}")
        return f"migrated the tables to {self.after}: " + "; ".join(parts)


def target_metadata() -> MetaData:
    """Every table the migrations keep: the shared ``metadata``, which the audit's, the mail's and the
    webhooks' rooms add their tables to (imported above)."""
    return metadata


def ours(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's ``include_name``: compare and generate only the tables of ``target_metadata``; the read
    model's, the full-text index's and the event store's are not migrated."""
    if type_ == "table":
        return name in target_metadata().tables
    return True


def rendered(type_: str, item: Any, context: Any) -> str | Literal[False]:
    """Alembic's ``render_item``: a new revision says ``UTCDateTime`` as the type it stores as, so that
    it never imports the running code's tables (which change after it)."""
    if type_ == "type" and isinstance(item, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def config(database_url: str | None = None, connection: Connection | None = None) -> "Config":
    """Alembic's configuration, without an ``alembic.ini``: the scripts in this package; the database
    given as a ``connection`` (run in its transaction) or a URL (Alembic's own command line)."""
    from alembic.config import Config

    made = Config()
    made.set_main_option("script_location", str(LOCATION))
    made.set_main_option("file_template", "%%(rev)s_%%(slug)s")  # 0002_what_changes.py, with --rev-id 0002
    made.attributes["database_url"] = database_url
    made.attributes["connection"] = connection
    return made


@cache
def scripts() -> "ScriptDirectory":
    """The revisions, read once per process."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(config())


def head() -> str:
    """The latest revision this code knows."""
    latest = scripts().get_current_head()
    assert latest is not None  # there is a baseline
    return latest


def current(connection: Connection) -> str | None:
    """The revision the database is at (None: no ``alembic_version`` yet)."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    found = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    if len(found) > 1:
        raise SchemaNewerThanCode(f"the tables are at several revisions at once ({', '.join(found)})")
    return found[0] if found else None


def upgrade(engine: Engine) -> Migrated:
    """Bring the tables to the latest revision, once however many processes start together."""
    latest = head()
    with engine.connect() as connection:
        found = current(connection)
    if found == latest:
        return Migrated(found, latest)
    with one_migration_at_a_time(engine), engine.begin() as connection:
        found = current(connection)  # another process may have migrated while this one waited
        if found == latest:
            return Migrated(found, latest)
        known = {script.revision for script in scripts().walk_revisions()}
        if found is not None and found not in known:
            raise SchemaNewerThanCode(
                f"the tables are at revision {found}, which this version of the service does not know "
                f"(its latest is {latest}): a newer version migrated them; run that version, or restore a backup"
            )
        adopted, added, start = False, tuple[str, ...](), found
        if found is None and _made_before_migrations(connection):
            added = tuple(_complete_baseline(connection))
            _stamp(connection, BASELINE_REVISION)
            adopted, start = True, BASELINE_REVISION
        applied = _between(start, latest)
        from alembic import command

        command.upgrade(config(connection=connection), "head")
    return Migrated(found, latest, applied, adopted, added)


def _between(start: str | None, latest: str) -> tuple[str, ...]:
    """The revisions after ``start`` up to ``latest``, oldest first."""
    found = [script.revision for script in scripts().iterate_revisions(latest, start or "base")]
    return tuple(revision for revision in reversed(found) if revision != start)


def _made_before_migrations(connection: Connection) -> bool:
    return bool(set(inspect(connection).get_table_names()) & set(BASELINE.tables))


def _complete_baseline(connection: Connection) -> list[str]:
    """What the start-up before migrations did (``create_all`` and nullable columns added), against the
    baseline: a database last started by an older version gets the baseline's shape before it is
    stamped at it. Returns what was added."""
    inspector = inspect(connection)
    existing = set(inspector.get_table_names())
    missing = [table for table in BASELINE.sorted_tables if table.name not in existing]
    BASELINE.create_all(connection, tables=missing, checkfirst=False)
    added = [table.name for table in missing]
    kept = [table for table in BASELINE.sorted_tables if table.name in existing]
    columns = inspector.get_multi_columns(filter_names=[table.name for table in kept]) if kept else {}
    for table in kept:
        present = {column["name"] for column in columns[(None, table.name)]}
        for column in table.columns:
            if column.name in present:
                continue
            if not column.nullable:
                raise RuntimeError(f"cannot add the required column {table.name}.{column.name} by itself")
            kind = column.type.compile(dialect=connection.dialect)
            connection.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}'))
            added.append(f"{table.name}.{column.name}")
    return added


def _stamp(connection: Connection, revision: str) -> None:
    from alembic.runtime.migration import MigrationContext

    MigrationContext.configure(connection).stamp(scripts(), revision)


@contextmanager
def one_migration_at_a_time(engine: Engine) -> Iterator[None]:
    """Processes migrating together take turns (``<file>.migrate-lock`` on SQLite, an advisory lock on
    PostgreSQL). A lock of its own, not the start-up's, so that it may be taken under it."""
    with taking_turns(engine, "migrate-lock", MIGRATION_LOCK):
        yield


def main(argv: list[str] | None = None) -> None:
    """Alembic's command line on these migrations, configured here (no ``alembic.ini``)."""
    from alembic.config import CommandLine

    from infrastructure import settings as configuration

    command_line = CommandLine(prog="python -m infrastructure.persistence.migrating")
    options = command_line.parser.parse_args(argv)
    if not hasattr(options, "cmd"):
        command_line.parser.error("too few arguments")
    made = config(configuration.read().database_url)
    made.cmd_opts = options
    command_line.run_cmd(made, options)


if __name__ == "__main__":
    main(sys.argv[1:])
