"""One database URL, two clients: the event store (eventsourcing) and tables (SQLAlchemy); and what the
service says when that database does not answer (decision 0058)."""

import fcntl
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from eventsourcing.persistence import PersistenceError
from sqlalchemy import Engine, create_engine, event, exc, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection


class UnsupportedDatabase(ValueError):
    pass


class DatabaseUnreachable(ConnectionError):
    """The database does not answer: at start (after waiting as long as told), or a file SQLite keeps beside
    it cannot be opened. Its words name the database without its password, and the cause in one line."""

    def __init__(self, database_url: str, cause: str) -> None:
        self.url = shown(database_url)
        self.cause = cause
        super().__init__(f"cannot reach the database at {self.url}: {cause}")


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


def event_store_env(
    database_url: str, pool_size: int | None = None, pool_overflow: int | None = None
) -> dict[str, str]:
    """The eventsourcing settings that store events in the database the URL names; on PostgreSQL, the
    connections its pool keeps open and may open beyond them (``None``: the library's 5 and 10)."""
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
        # A request waits this long for one of the event store's connections (the library waits 30 s), then
        # is answered 503: while the database is down, sooner rather than after most clients gave up.
        "POSTGRES_CONNECT_TIMEOUT": str(EVENT_STORE_WAIT),
    }
    if pool_size is not None:
        env["POSTGRES_POOL_SIZE"] = str(pool_size)
    if pool_overflow is not None:
        env["POSTGRES_MAX_OVERFLOW"] = str(pool_overflow)
    return env


IDLE_BEFORE_PING = 1.0  # seconds a PostgreSQL connection may rest in the pool and be used without a ping
CONNECT_TIMEOUT = 10  # seconds a new PostgreSQL connection may take (a host that drops packets: not 2 minutes)
EVENT_STORE_WAIT = 5  # seconds a request waits for a connection of the event store's pool
POOL_SIZE = 5  # PostgreSQL connections an engine keeps (Settings.pool_size) ...
POOL_OVERFLOW = 5  # ... and may open beyond them while busy, closed when given back (Settings.pool_overflow)


def create_table_engine(
    database_url: str,
    durable: bool = False,
    lock_wait: float = 30.0,
    idle_before_ping: float = IDLE_BEFORE_PING,
    pool_size: int = POOL_SIZE,
    pool_overflow: int = POOL_OVERFLOW,
) -> Engine:
    """``durable``: on SQLite, every commit waits for the disk, as the event store's own do; the
    engine the events are written through (decision 0030). Otherwise the tables' engine.
    ``lock_wait``: seconds a statement waits for SQLite's write lock. ``idle_before_ping``: on
    PostgreSQL, a connection that rested longer than this in the pool is tried before use (decision 0039).
    ``pool_size``, ``pool_overflow``: on PostgreSQL, the connections the pool keeps, and those it may open
    beyond them while busy (decision 0058; SQLite's connections are files, not the server's)."""
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
            # A row deleted is overwritten, not left in a free page: an erased person's key is gone (decision 0074).
            connection.execute("PRAGMA secure_delete=ON")

        return engine
    engine = create_engine(
        url, pool_size=pool_size, max_overflow=pool_overflow, connect_args={"connect_timeout": CONNECT_TIMEOUT}
    )
    _ping_after_rest(engine, idle_before_ping)
    return engine


def create_reading_engine(
    database_url: str,
    idle_before_ping: float = IDLE_BEFORE_PING,
    pool_size: int = POOL_SIZE,
    pool_overflow: int = POOL_OVERFLOW,
) -> Engine:
    """PostgreSQL: an engine whose connections only read, each statement on its own (autocommit, for
    good): giving one back to the pool needs no ROLLBACK round trip, and none is switched to
    autocommit and back on every use, as one engine's option would (decision 0039). Each statement
    sees its own snapshot, as under READ COMMITTED in a transaction."""
    url = parse(database_url)
    if url.get_backend_name() != "postgresql":
        raise UnsupportedDatabase("SQLite's driver opens no transaction for a read: read through the tables' engine")
    engine = create_engine(
        url,
        isolation_level="AUTOCOMMIT",
        pool_reset_on_return=None,
        pool_size=pool_size,
        max_overflow=pool_overflow,
        connect_args={"connect_timeout": CONNECT_TIMEOUT},
    )
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
    PostgreSQL, eventsourcing's ``CREATE OR REPLACE FUNCTION`` fails with "tuple concurrently updated"."""
    with taking_turns(engine, "startup-lock", STARTUP_LOCK):
        yield


@contextmanager
def taking_turns(engine: Engine, name: str, key: int) -> Iterator[None]:
    """Processes doing the same thing take turns. SQLite: an exclusive lock on a file beside the database
    (``<file>.<name>``); PostgreSQL: the advisory lock ``key``, held by a connection of its own until after."""
    if engine.dialect.name == "sqlite":
        with _lock_file(engine, name) as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock_file, fcntl.LOCK_UN)
        return
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
        connection.commit()
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
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
    with _lock_file(engine, "write-lock") as lock_file:
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


@contextmanager
def _lock_file(engine: Engine, suffix: str) -> Iterator[int]:
    """The lock file beside a SQLite database, open; its folder gone or unwritable is the database gone."""
    path = f"{engine.url.database}.{suffix}"
    try:
        lock_file = open(path, "a")  # noqa: SIM115 - closed below, after the block
    except OSError as error:
        raise DatabaseUnreachable(str(engine.url), f"cannot open {path}: {error.strerror or error}") from error
    with lock_file:
        yield lock_file.fileno()


# -- when the database does not answer (decision 0058) -------------------------------------------------------

# Errors of SQLite that say its file cannot be reached, not that a statement is wrong.
SQLITE_UNREACHABLE = ("unable to open database file", "disk i/o error", "attempt to write a readonly database")
# PostgreSQL's error classes that say the server cannot serve this connection: connection exceptions (08),
# an administrator's or a crash's shutdown, a server starting up (57P0x), too many connections (53300), no
# such database (3D000). A connection that failed before the server said anything has no code at all.
POSTGRESQL_UNREACHABLE = ("08", "57P01", "57P02", "57P03", "53300", "3D000")


def _causes(error: BaseException) -> Iterator[BaseException]:
    """The error and those it was raised from or wraps (SQLAlchemy's ``orig``, eventsourcing's ``__cause__``)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        wrapped = getattr(current, "orig", None)
        current = wrapped if isinstance(wrapped, BaseException) else current.__cause__


def unreachable(error: BaseException) -> bool:
    """Whether the error says the database does not answer (refused, closed, shut down, gone, its file not
    there), rather than that a statement failed: a request is then answered 503 and a job waits longer."""
    for cause in _causes(error):
        if isinstance(cause, DatabaseUnreachable | exc.DisconnectionError):
            return True
        if isinstance(cause, exc.DBAPIError) and cause.connection_invalidated:
            return True
        if isinstance(cause, psycopg.OperationalError | psycopg.InterfaceError):
            code = cause.sqlstate
            return code is None or code.startswith(POSTGRESQL_UNREACHABLE)
        if isinstance(cause, sqlite3.OperationalError):
            return str(cause).lower().startswith(SQLITE_UNREACHABLE)
    return False


DATABASE_ERRORS: tuple[type[Exception], ...] = (
    DatabaseUnreachable,
    exc.DBAPIError,
    exc.DisconnectionError,
    PersistenceError,
    psycopg.Error,
    sqlite3.Error,
)  # what a database that does not answer may raise, through either client or the drivers themselves

_PASSWORDS = re.compile(r"(?i)(://[^:/@\s]*:)[^@\s]*@|(password\s*=\s*)('[^']*'|\S+)")


def cause(error: BaseException, database_url: str | None = None) -> str:
    """What went wrong, in one line, in the driver's own words (not SQLAlchemy's statement and parameters),
    without a password."""
    root = error
    for candidate in _causes(error):
        root = candidate
        if isinstance(candidate, psycopg.Error | sqlite3.Error | DatabaseUnreachable):
            break
    if isinstance(root, DatabaseUnreachable):
        words = root.cause
    else:
        lines = [line.strip() for line in str(root).splitlines() if line.strip()]
        words = " ".join(lines[0].split()) if lines else type(root).__name__
    try:
        password = make_url(database_url).password if database_url else None
    except Exception:  # not a URL SQLAlchemy reads: the patterns below still hide what looks like a password
        password = None
    if password:
        words = words.replace(str(password), "***")
    return _PASSWORDS.sub(lambda found: f"{found[1]}***@" if found[1] else f"{found[2]}***", words)


def shown(database_url: str) -> str:
    """The database URL as it may be shown: its password (if any) as ``***``."""
    try:
        return make_url(database_url).render_as_string(hide_password=True)
    except Exception:  # not a URL SQLAlchemy reads: hide whatever stands between ':' and '@'
        return _PASSWORDS.sub(lambda found: f"{found[1]}***@" if found[1] else f"{found[2]}***", database_url)


def try_database(database_url: str, connect_timeout: float = CONNECT_TIMEOUT) -> None:
    """Connect to the database once, and ask it something; ``DatabaseUnreachable`` if it does not answer.
    A SQLite file's folder is created, and the file with it, as the service would at start."""
    url = parse(database_url)
    try:
        if url.get_backend_name() == "sqlite":
            path = Path(url.database or "")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise DatabaseUnreachable(
                    database_url, f"cannot create the folder {path.parent}: {error.strerror or error}"
                ) from None
            file = sqlite3.connect(path, timeout=connect_timeout)
            try:
                file.execute("PRAGMA schema_version").fetchone()  # reads the file's header
            finally:
                file.close()
            return
        conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(conninfo, connect_timeout=max(1, round(connect_timeout))) as server:
            server.execute("SELECT 1")
    except DatabaseUnreachable:
        raise
    except (psycopg.Error, sqlite3.Error, OSError) as error:
        raise DatabaseUnreachable(database_url, cause(error, database_url)) from None


def wait_for_database(
    database_url: str,
    wait: float,
    waiting: Callable[[DatabaseUnreachable], object] = lambda _: None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], object] = time.sleep,
) -> None:
    """Return once the database answers; try again, half a second later, then twice as long each time (5 s
    at most), for ``wait`` seconds (0: tried once). ``waiting`` is told the first failure, when it waits.
    Raises the last ``DatabaseUnreachable`` when the time is up."""
    deadline = clock() + wait
    pause = 0.5
    told = False
    while True:
        try:
            try_database(database_url, connect_timeout=min(CONNECT_TIMEOUT, max(1.0, deadline - clock())))
            return
        except DatabaseUnreachable as error:
            left = deadline - clock()
            if left <= 0:
                raise
            if not told:
                waiting(error)
                told = True
            sleep(min(pause, left))
            pause = min(pause * 2, 5.0)
