"""Following the event log exactly once: the loop the read model and the webhook outbox share.

Each batch of notifications is handled in one transaction that also moves the follower's
recorded position, so after a crash the next run starts right after the last handled event.
Followers of the same name in other threads or processes wait on the position row.
"""

from collections.abc import Callable
from typing import Any

from eventsourcing.persistence import ApplicationRecorder
from sqlalchemy import Connection, Engine, Table, select, update


def claim(connection: Connection, table: Table, name: str) -> int:
    """Read the position, holding the lock that keeps other followers out until commit."""
    query = select(table.c.position).where(table.c.name == name)
    if connection.dialect.name == "sqlite":
        # A write takes SQLite's write lock now rather than at the first row changed.
        connection.execute(update(table).where(table.c.name == name).values(position=table.c.position))
    else:
        query = query.with_for_update()
    return int(connection.execute(query).scalar_one())


def position(engine: Engine, table: Table, name: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(table.c.position).where(table.c.name == name)).scalar_one())


def follow(engine: Engine, recorder: ApplicationRecorder, table: Table, name: str, batch_size: int,
           until: int | None, handle: Callable[[Connection, list[Any]], None]) -> int:
    """Handle new notifications, at least up to ``until`` (all of them if None); returns the position."""
    while True:
        with engine.begin() as connection:
            reached = claim(connection, table, name)
            if until is not None and reached >= until:
                return reached
            notifications = list(recorder.select_notifications(reached + 1, batch_size))
            if not notifications:
                return reached
            handle(connection, notifications)
            reached = notifications[-1].id
            connection.execute(update(table).where(table.c.name == name).values(position=reached))
        if until is not None and reached >= until:
            return reached  # what was asked for is done; later events are the next caller's
