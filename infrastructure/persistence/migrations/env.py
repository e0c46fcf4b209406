"""Alembic's environment for the tables beside the read model (configured by
``infrastructure.persistence.migrating``: run there, never with an ``alembic.ini``).

The database is the connection ``migrating.upgrade`` hands over (its transaction is the migration's),
else the URL of ``-x database_url=…`` or of the settings (Alembic's own command line, for developers).
Only the tables of ``migrating.target_metadata`` are compared and generated; SQLite's limited ``ALTER
TABLE`` is met by batch operations (``render_as_batch``), which PostgreSQL runs as plain ``ALTER``.
"""

from typing import Any

from alembic import context
from sqlalchemy import Connection

from infrastructure.persistence import migrating
from infrastructure.persistence.database import create_table_engine, parse


def shared() -> dict[str, Any]:
    """What every run is configured with: the tables compared, which are ours, how they are written."""
    return {
        "target_metadata": migrating.target_metadata(),
        "include_name": migrating.ours,
        "render_item": migrating.rendered,
        "render_as_batch": True,
    }


def run(connection: Connection) -> None:
    context.configure(connection=connection, compare_type=True, **shared())
    with context.begin_transaction():
        context.run_migrations()


def database_url() -> str:
    given = context.get_x_argument(as_dictionary=True).get("database_url") or context.config.attributes.get(
        "database_url"
    )
    if not given:
        raise SystemExit("no database: set COMMITMENTS_DATABASE_URL or pass -x database_url=…")
    return str(given)


def main() -> None:
    if context.is_offline_mode():  # --sql: the statements written out, nothing run
        context.configure(url=parse(database_url()), literal_binds=True, **shared())
        with context.begin_transaction():
            context.run_migrations()
        return
    given = context.config.attributes.get("connection")
    if given is not None:
        run(given)
        return
    engine = create_table_engine(database_url())
    try:
        with engine.connect() as connection:
            run(connection)
    finally:
        engine.dispose()


main()
