"""One database URL, two clients: the event store (eventsourcing) and tables (SQLAlchemy)."""

import fcntl
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, exc, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection


class UnsupportedDatabase(ValueError):
    pass


def parse(database_url: str) -> URL:
    try:
        url = make_url(database_url)
    except Exception as error:  # SQLAlchemy raises ArgumentError with a clear message
        raise UnsupportedDatabase(f"cannot read the database URL {database_url!r}: {error}") from None
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            raise UnsupportedDatabase("SQLite needs a file, e.g. sqlite:///var/commitments.db")
        return url
    if url.get_backend_name() == "postgresql":
        return url.set(drivername="postgresql+psycopg")
    raise UnsupportedDatabase(f"unsupported database {url.get_backend_name()!r}: use sqlite or postgresql")


def event_store_env(database_url: str) -> dict[str, str]:
    """The eventsourcing settings that store events in the database the URL names."""
    url = parse(database_url)
    if url.get_backend_name() == "sqlite":
        path = Path(url.database or "")
        path.parent.mkdir(parents=True, exist_ok=True)
        return {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path), "SQLITE_LOCK_TIMEOUT": "30"}
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": url.database or "postgres",
        "POSTGRES_HOST": url.host or "127.0.0.1",
        "POSTGRES_PORT": str(url.port or 5432),
        "POSTGRES_USER": url.username or "postgres",
        "POSTGRES_PASSWORD": url.password or "",
    }
    return env


IDLE_BEFORE_PING = 1.0  # seconds a PostgreSQL connection may rest in the pool and be used without a ping


def create_table_engine(
    database_url: str, durable: bool = False, lock_wait: float = 30.0, idle_before_ping: float = IDLE_BEFORE_PING
) -> Engine:
    """``durable``: on SQLite, every commit waits for the disk, as the event store's own do; the
    engine the events are written through (decision 0030). Otherwise the tables' engine.
    ``lock_wait``: seconds a statement waits for SQLite's write lock. ``idle_before_ping``: on
    PostgreSQL, a connection that rested longer than this in the pool is tried before use (decision 0039)."""
    url = parse(database_url)
    if url.get_backend_name() == "sqlite":
        Path(url.database or "").parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": lock_wait})

        @event.listens_for(engine, "connect")
        def _wal(connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(f"PRAGMA busy_timeout={int(lock_wait * 1000)}")
            # Decision 0011: these tables are derived from the event log or tolerate the loss of the
            # last transactions in a power cut; the events themselves stay fully synchronous.
            connection.execute("PRAGMA synchronous=FULL" if durable else "PRAGMA synchronous=NORMAL")

        return engine
    engine = create_engine(url)
    _ping_after_rest(engine, idle_before_ping)
    return engine


def create_reading_engine(database_url: str, idle_before_ping: float = IDLE_BEFORE_PING) -> Engine:
    """PostgreSQL: an engine whose connections only read, each statement on its own (autocommit, for
    good): giving one back to the pool needs no ROLLBACK round trip, and none is switched to
    autocommit and back on every use, as one engine's option would (decision 0039). Each statement
    sees its own snapshot, as under READ COMMITTED in a transaction."""
    url = parse(database_url)
    if url.get_backend_name() != "postgresql":
        raise UnsupportedDatabase("SQLite's driver opens no transaction for a read: read through the tables' engine")
    engine = create_engine(url, isolation_level="AUTOCOMMIT", pool_reset_on_return=None)
    _ping_after_rest(engine, idle_before_ping)
    return engine


def _ping_after_rest(engine: Engine, idle_before_ping: float) -> None:
    """Decision 0039: a connection taken from the pool is tried first (one round trip) only if it
    rested there longer than ``idle_before_ping`` seconds, when the server may have closed it; a busy
    service's connections are not tried at all. One found closed is replaced by a new one. A
    connection lost while in use is answered as a lost connection (503, ``api.problems``) and makes
    the pool replace every connection it held then."""

    @event.listens_for(engine, "checkin")
    def _rested_from(_connection: DBAPIConnection, record: ConnectionPoolEntry) -> None:
        record.info["checked_in"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _tried(connection: DBAPIConnection, record: ConnectionPoolEntry, _proxy: PoolProxiedConnection) -> None:
        checked_in = record.info.get("checked_in")
        if checked_in is None or time.monotonic() - checked_in <= idle_before_ping:
            return
        try:
            connection.cursor().execute("SELECT 1")
            connection.rollback()  # the try's own transaction, so that the connection is as it was
        except Exception as error:
            raise exc.DisconnectionError(f"a pooled connection was closed: {error}") from error


STARTUP_LOCK = 7_316_120  # any number, the same in every process


@contextmanager
def one_at_a_time(engine: Engine) -> Iterator[None]:
    """Processes starting together create and check the schema one after another. Otherwise two
    at once fail: on SQLite, both see a table missing and the second to create it fails; on
    PostgreSQL, eventsourcing's ``CREATE OR REPLACE FUNCTION`` fails with "tuple concurrently updated".
    SQLite: an exclusive lock on a file beside the database; PostgreSQL: an advisory lock."""
    if engine.dialect.name == "sqlite":
        with open(f"{engine.url.database}.startup-lock", "a") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock_file, fcntl.LOCK_UN)
        return
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": STARTUP_LOCK})
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": STARTUP_LOCK})
            connection.commit()


class LockNotFree(Exception):
    """The write turn was not free within the time given."""


@contextmanager
def write_turn(engine: Engine, wait: float) -> Iterator[None]:
    """Processes writing to one SQLite file take turns on a lock beside it (``<file>.write-lock``),
    woken as soon as it is free, instead of polling SQLite's write lock, whose busy handler sleeps
    up to 100 ms between tries (decision 0030). PostgreSQL queues its waiters itself: nothing."""
    if engine.dialect.name != "sqlite":
        yield
        return
    with open(f"{engine.url.database}.write-lock", "a") as lock_file:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise LockNotFree() from None
                time.sleep(0.0005)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)
