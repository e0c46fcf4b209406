"""Fresh databases for one piece of work (a test, a benchmark run), removed afterwards: a SQLite
file in a folder of its own, or a PostgreSQL database of its own on a local server.

The tests and the benchmarks both use these, so both create and drop databases the same way.
"""

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

LOCAL_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"  # trust authentication on loopback
ENGINES = ("sqlite", "postgresql")


@contextmanager
def scratch_database(
    engine: str, purpose: str = "scratch", copy_of: str | None = None, server: str = LOCAL_SERVER
) -> Iterator[str]:
    """The URL of a new database on ``engine`` ("sqlite" or "postgresql"), gone when the block ends:
    empty, or a copy of the database at ``copy_of`` (which nobody may be using meanwhile: SQLite's
    file is copied; PostgreSQL copies a template database, much faster than creating its tables).
    ``purpose`` names the PostgreSQL database (``commitments_<purpose>_…``), so that a leftover of
    a killed run says where it came from."""
    if engine == "sqlite":
        with tempfile.TemporaryDirectory(prefix=f"commitments-{purpose}-") as folder:
            path = Path(folder) / "commitments.db"
            if copy_of is not None:
                shutil.copyfile(make_url(copy_of).database or "", path)
            yield f"sqlite:///{path}"
        return
    if engine != "postgresql":
        raise ValueError(f"no such engine {engine!r}: one of {', '.join(ENGINES)}")
    url = new_postgresql_database(purpose, copy_of, server)
    try:
        yield url
    finally:
        drop_postgresql_database(url, server)


def new_postgresql_database(purpose: str, copy_of: str | None = None, server: str = LOCAL_SERVER) -> str:
    """The URL of a new PostgreSQL database on ``server``, empty or a copy of the one at ``copy_of``
    (see ``scratch_database``); whoever asks for it drops it (``drop_postgresql_database``)."""
    name = f"commitments_{purpose}_{uuid.uuid4().hex[:12]}"
    template = "" if copy_of is None else f' TEMPLATE "{make_url(copy_of).database}"'
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"{template}')
    return make_url(server).set(drivername="postgresql+psycopg", database=name).render_as_string(False)


def drop_postgresql_database(url: str, server: str = LOCAL_SERVER) -> None:
    """Drops the database at ``url``, closing whatever connections are still open to it."""
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
