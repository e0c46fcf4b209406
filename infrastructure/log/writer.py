"""The application's ``Writer`` on SQLite and PostgreSQL: the changes of the commands that came in
turn saved in one transaction, with the followers of the log writing in that same transaction
(decision 0030).

The events go into the event store's own table, as the library inserts them (on PostgreSQL under
its table lock, so that positions are given in the order of commits), through the connection of
the tables' engine; the read model, the webhook outbox and the audit chain then catch up to them
(``follow_together``) before the one commit, so a command's events and everything derived from
them are stored together or not at all, and each process waits for the disk once per group.

If two commands of a group changed the same aggregate, the group stores nothing and each command
is written alone, so the first keeps its changes and the other gets ``ConcurrentUpdate``. If a
follower fails, only its part is undone (a savepoint): the events are stored, and each follower
then catches up alone, so one failing follower holds back neither the command nor the others; a
failure is logged, and the next command (or a rebuild) catches up.
"""

import logging
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification, Recording, StoredEvent
from eventsourcing.sqlite import SQLiteAggregateRecorder
from psycopg.errors import LockNotAvailable
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import IntegrityError, OperationalError

from application.errors import Busy, ConcurrentUpdate
from application.ports import Changes, Saved
from application.storage.store import EventStore
from infrastructure.log.follower import LogFollower, follow_together
from infrastructure.operations import metrics
from infrastructure.persistence.database import LockNotFree, write_turn
from infrastructure.persistence.driver import TO_THE_DRIVER, on_cursor

log = logging.getLogger("commitments.projection")

# What the followers run under: their writes undone alone if one of them fails (decision 0030).
SAVEPOINT = text("SAVEPOINT followers")
ROLLBACK_TO_SAVEPOINT = text("ROLLBACK TO SAVEPOINT followers")
RELEASE_SAVEPOINT = text("RELEASE SAVEPOINT followers")


class SqlWriter:
    def __init__(
        self,
        engine: Engine,
        store: EventStore,
        followers: Sequence[LogFollower],
        lock_wait: float = 30.0,
        limit: int = 500,
    ) -> None:
        """``engine``: on the event store's database, as durable as the event store (SQLite:
        ``synchronous=FULL``, waiting ``lock_wait`` for the write lock); ``followers``: in the order
        their positions are claimed (the same in every process); ``lock_wait``: seconds to wait for
        the write lock before giving up (``Busy``); ``limit``: how far behind the followers may be
        to catch up in the saving transaction."""
        self.engine = engine
        self.store = store
        self.followers = list(followers)
        self.lock_wait = lock_wait
        self.limit = limit
        self.insert = _SqliteInsert(store) if engine.dialect.name == "sqlite" else _PostgresInsert(store, lock_wait)

    def write(self, group: Sequence[Changes]) -> None:
        events = [
            [event for aggregate in changes.aggregates for event in aggregate.collect_events()] for changes in group
        ]
        try:
            self._write(group, events)
        except OperationalError as error:
            if not _lock_not_free(error):
                raise
            raise Busy(self.lock_wait) from error
        except LockNotFree as error:
            raise Busy(self.lock_wait) from error
        except IntegrityError:
            if len(group) == 1:
                group[0].error = ConcurrentUpdate()
                return
            for changes, its_events in zip(group, events, strict=True):  # which of them came second?
                try:
                    self._write([changes], [its_events])
                except IntegrityError:
                    changes.error = ConcurrentUpdate()

    def _write(self, group: Sequence[Changes], events: list[list[Any]]) -> None:
        stored = [[self.store.mapper.to_stored_event(event) for event in its] for its in events]
        if not any(stored):
            for changes in group:
                changes.stored([])
            return
        followed = False
        try:
            with write_turn(self.engine, self.lock_wait), self.engine.begin() as connection:
                positions = iter(self.insert(connection, [s for its in stored for s in its]))
                saved = [
                    changes.stored(
                        [_recording(event, record, next(positions)) for event, record in zip(e, s, strict=True)]
                    )
                    for changes, e, s in zip(group, events, stored, strict=True)
                ]
                together = Saved()
                for one in saved:
                    together.add(one)
                followed = self._follow(connection, together)
        except BaseException:
            for changes in group:
                changes.saved = None
            for follower in self.followers:
                follower.forget()
            raise
        metrics.events_recorded(events)  # committed: counted by type, once per group
        if not followed:
            self._catch_up_alone(together.until)
        self._take_snapshots(group, events)

    def _follow(self, connection: Connection, saved: Saved) -> bool:
        """The followers catch up in the saving transaction; if one fails, theirs is undone alone (a
        savepoint, said to the driver: the same three statements for every command, compiled once)."""
        TO_THE_DRIVER.run(connection, SAVEPOINT)
        try:
            followed = follow_together(connection, self.store.recorder, self.followers, saved, self.limit)
        except Exception:
            TO_THE_DRIVER.run(connection, ROLLBACK_TO_SAVEPOINT)
            log.exception("could not follow events up to %s together; each follower tries alone", saved.until)
            return False
        TO_THE_DRIVER.run(connection, RELEASE_SAVEPOINT)
        return followed

    def _catch_up_alone(self, until: int) -> None:
        for follower in self.followers:
            try:
                follower.catch_up(until)
            except Exception:
                log.exception("could not catch up to event %s", until)

    def _take_snapshots(self, group: Sequence[Changes], events: list[list[Any]]) -> None:
        """As the library does after saving: a snapshot at every ``interval``-th version."""
        if self.store.snapshots is None:
            return
        for changes, its_events in zip(group, events, strict=True):
            kinds = {aggregate.id: type(aggregate) for aggregate in changes.aggregates}
            for event in its_events:
                interval = self.store.snapshotting_intervals.get(kinds[event.originator_id])
                if interval and event.originator_version % interval == 0:
                    self.store.take_snapshot(event.originator_id, event.originator_version)


def _recording(event: Any, stored: StoredEvent, position: int) -> Recording[UUID]:
    return Recording(
        event,
        Notification(
            id=position,
            originator_id=stored.originator_id,
            originator_version=stored.originator_version,
            topic=stored.topic,
            state=stored.state,
        ),
    )


class _SqliteInsert:
    """The library's insert, one statement per event: the row id is the event's position."""

    def __init__(self, store: EventStore) -> None:
        assert isinstance(store.recorder, SQLiteAggregateRecorder)  # this insert is for SQLite only
        self.statement = store.recorder.insert_events_statement

    def __call__(self, connection: Connection, stored: list[StoredEvent]) -> list[int]:
        def insert(cursor: Any) -> list[int]:
            positions = []
            for s in stored:
                cursor.execute(self.statement, (_id(s.originator_id), s.originator_version, s.topic, s.state))
                positions.append(cursor.lastrowid)
            return positions

        inserted: list[int] = on_cursor(connection, self.statement, insert)  # said to the driver (decision 0055)
        return inserted


class _PostgresInsert:
    """The library's insert: the table locked for writes until commit (positions in the order of
    commits, so no reader passes over a position filled in later), its channel notified, the rows
    inserted together, their positions returned in order."""

    def __init__(self, store: EventStore, lock_wait: float) -> None:
        recorder: Any = store.recorder
        table = f'"{recorder.datastore.schema}"."{recorder.events_table_name}"'
        self.lock = [
            f"SET LOCAL lock_timeout = '{int(lock_wait * 1000)}ms'",
            f"LOCK TABLE {table} IN EXCLUSIVE MODE",
            f'NOTIFY "{recorder.channel_name}"',
        ]
        self.statement = text(
            f"INSERT INTO {table} (originator_id, originator_version, topic, state) "
            "SELECT * FROM unnest(CAST(:ids AS uuid[]), CAST(:versions AS bigint[]), CAST(:topics AS text[]), "
            "CAST(:states AS bytea[])) RETURNING notification_id"
        )

    def __call__(self, connection: Connection, stored: list[StoredEvent]) -> list[int]:
        for statement in self.lock:
            connection.exec_driver_sql(statement)
        if not stored:
            return []
        return list(
            connection.execute(
                self.statement,
                {
                    "ids": [s.originator_id for s in stored],
                    "versions": [s.originator_version for s in stored],
                    "topics": [s.topic for s in stored],
                    "states": [s.state for s in stored],
                },
            ).scalars()
        )


def _lock_not_free(error: OperationalError) -> bool:
    """SQLite's busy timeout ran out, or PostgreSQL's lock timeout."""
    return isinstance(error.orig, LockNotAvailable) or "database is locked" in str(error.orig)


def _id(originator_id: UUID | str) -> str:
    return originator_id.hex if isinstance(originator_id, UUID) else originator_id
