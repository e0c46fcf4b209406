"""Following the event log exactly once: the loop the read model, the webhook outbox and the
audit chain share.

Each batch of notifications is handled in one transaction that also moves the follower's
recorded position, so after a crash the next run starts right after the last handled event.
Followers of the same name in other threads or processes wait on the position row.

In the transaction that saves a group of commands, ``follow_together`` brings every follower up
to their events, usually without reading the log at all: the group's own notifications are the
next ones (decisions 0011, 0030), and what the commands saved (``Saved``) spares the followers
decoding their events and reading the aggregates they changed.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from eventsourcing.persistence import ApplicationRecorder
from sqlalchemy import Connection, Engine, Table, bindparam, insert, or_, select, update

from application.ports import Saved
from infrastructure.persistence.driver import TO_THE_DRIVER, Statements
from infrastructure.persistence.tables import follower_positions


class LogFollower:
    """One follower of the log: the row holding its position (in ``table`` under ``name``), what it
    does with new notifications (``handle``), and how many it takes at a time on its own. Its
    statements reach the database through ``statements`` (the driver, unless told otherwise)."""

    table: Table = follower_positions
    name: str = ""
    batch_size: int = 500

    def __init__(
        self,
        engine: Engine,
        recorder: ApplicationRecorder,
        decode: Callable[[Any], Any] | None = None,
        statements: Statements = TO_THE_DRIVER,
    ) -> None:
        """``decode``: a notification's domain event (the event store's mapper), for followers that read events."""
        self.engine = engine
        self.recorder = recorder
        self.decode = decode
        self.statements = statements

    def handle(self, connection: Connection, notifications: list[Any], saved: Saved) -> None:
        raise NotImplementedError

    def forget(self) -> None:
        """A transaction it handled events in was undone: forget what it remembers of them."""

    def event(self, notification: Any, saved: Saved) -> Any:
        """The domain event of a notification: the one the command saved, or else decoded."""
        found = saved.event_of(notification.id)
        if found is None and self.decode is not None:
            found = self.decode(notification)
        return found

    def start(self, at_the_end: bool = False) -> None:
        """Give the follower its position row, at the start of the log or (``at_the_end``) after the
        events already stored, if it has none yet."""
        with self.engine.begin() as connection:
            if connection.execute(select(self.table.c.name).where(self.table.c.name == self.name)).first():
                return
            start = (self.recorder.max_notification_id() or 0) if at_the_end else 0
            connection.execute(insert(self.table).values(name=self.name, position=start))

    def position(self) -> int:
        return position(self.engine, self.table, self.name)

    def catch_up(self, until: int | None = None) -> int:
        """Handle new notifications, at least up to ``until`` (all of them if None); returns the position."""
        return follow(self.engine, self.recorder, self, until)


def claim(connection: Connection, follower: LogFollower) -> int:
    """Read the position, holding the lock that keeps other followers out until commit."""
    statements = _statements(follower.table, (follower.name,))
    if connection.dialect.name == "sqlite":
        # A write takes SQLite's write lock now rather than at the first row changed.
        follower.statements.run(connection, statements.hold, statements.names)
        query = statements.read
    else:
        query = statements.lock
    ((_, position),) = follower.statements.rows(connection, query, statements.names)
    return int(position)


def _move(connection: Connection, follower: LogFollower, reached: int) -> None:
    statements = _statements(follower.table, (follower.name,))
    follower.statements.run(connection, statements.move, {**statements.names, "reached": reached})


def position(engine: Engine, table: Table, name: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(table.c.position).where(table.c.name == name)).scalar_one())


def follow(
    engine: Engine,
    recorder: ApplicationRecorder,
    follower: LogFollower,
    until: int | None = None,
    batch_size: int | None = None,
) -> int:
    """Handle new notifications, at least up to ``until`` (all of them if None), ``batch_size`` in each
    transaction (the follower's own if None); returns the position."""
    while True:
        with engine.begin() as connection:
            reached = claim(connection, follower)
            if until is not None and reached >= until:
                return reached
            notifications = list(recorder.select_notifications(reached + 1, batch_size or follower.batch_size))
            if not notifications:
                return reached
            follower.handle(connection, notifications, Saved())
            reached = notifications[-1].id
            _move(connection, follower, reached)
        if until is not None and reached >= until:
            return reached  # what was asked for is done; later events are the next caller's


def follow_together(
    connection: Connection,
    recorder: ApplicationRecorder,
    followers: Sequence[LogFollower],
    saved: Saved,
    limit: int = 500,
) -> bool:
    """Bring every follower up to the last of what a group of commands saved, in the transaction
    that saved it (decision 0030).

    The saved notifications are usually exactly what the followers need; events stored before them
    that a follower has not seen (a process that died before following, a follower that failed)
    are read from the log, where they are committed: the saving transaction holds the write lock,
    so nothing stored before it is still uncommitted. False, with nothing done, when a follower is
    more than ``limit`` events behind: catching up that far is each follower's own work, in batches
    (``follow``), after this transaction. Positions are claimed in the order given, which every
    caller keeps, so two transactions never wait on each other in a cycle.
    """
    until = saved.until
    said = followers[0].statements
    reached = _claim_all(connection, followers, said)
    start = min(reached.values())
    if start >= until:
        return True
    if until - start > limit:
        return False
    ours = sorted((recording.notification for recording in saved.recordings), key=lambda n: n.id)
    earlier = (
        []
        if ours[0].id == start + 1
        else list(recorder.select_notifications(start + 1, ours[0].id - start - 1, stop=ours[0].id - 1))
    )
    notifications = earlier + ours
    moved: dict[Table, list[str]] = {}
    for follower in followers:
        new = [n for n in notifications if n.id > reached[follower.name]]
        if new:
            follower.handle(connection, new, saved)
            moved.setdefault(follower.table, []).append(follower.name)
    for table, names in moved.items():
        statements = _statements(table, tuple(names))
        said.run(connection, statements.move, {**statements.names, "reached": until})
    return True


def _claim_all(connection: Connection, followers: Sequence[LogFollower], said: Statements) -> dict[str, int]:
    """Every follower's position, locked: one statement per table. On SQLite the saving transaction
    holds the write lock (for the whole database) since it inserted the events: a read is enough."""
    tables: dict[Table, list[str]] = {}
    for follower in followers:
        tables.setdefault(follower.table, []).append(follower.name)
    sqlite = connection.dialect.name == "sqlite"
    reached: dict[str, int] = {}
    for table, names in tables.items():
        statements = _statements(table, tuple(names))
        found = said.rows(connection, statements.read if sqlite else statements.lock, statements.names)
        reached.update({name: int(position) for name, position in found})
    return reached


@dataclass(frozen=True)
class _PositionStatements:
    names: dict[str, str]  # the parameters naming the followers
    read: Any
    lock: Any
    move: Any
    hold: Any  # SQLite: a write that takes the write lock at once


@cache
def _statements(table: Table, names: tuple[str, ...]) -> _PositionStatements:
    """Built once per table and followers: a command runs them every time. The followers are named
    by one parameter each (``name = :a OR name = :b``), not an expanding ``IN``, which SQLAlchemy
    renders again at each execution."""
    parameters = {f"follower_{number}": name for number, name in enumerate(names)}
    named = or_(*(table.c.name == bindparam(key) for key in parameters))
    read = select(table.c.name, table.c.position).where(named).order_by(table.c.name)
    return _PositionStatements(
        names=parameters,
        read=read,
        lock=read.with_for_update(),
        move=update(table).where(named).values(position=bindparam("reached")),
        hold=update(table).where(named).values(position=table.c.position),
    )
