"""Many aggregates read at once, from the event store's own tables.

The event store's repository reads an aggregate with two queries: its latest snapshot, then the
events after it. The scanner marks hundreds of commitments at a time, and the read model needs
each changed aggregate as it stood before a batch of events (decision 0015); here their latest
snapshots are read in one query and the events after them in another, and each aggregate is
rebuilt from them exactly as the repository rebuilds it (at an earlier version, the events after
it are left out; the rare aggregate whose latest snapshot is later is read by the repository).
"""

from collections.abc import Mapping, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import AggregateRecorder, StoredEvent
from eventsourcing.postgres import PostgresAggregateRecorder
from eventsourcing.sqlite import SQLiteAggregateRecorder
from psycopg.sql import SQL, Identifier

from application.storage.store import EventStore

# One query names at most this many aggregates (SQLite allows 32,766 parameters).
CHUNK = 500


class BatchReader:
    """The application's ``AggregateReader``, on the event store's own tables."""

    def __init__(self, store: EventStore, chunk: int = CHUNK) -> None:
        self.store = store
        self.chunk = chunk

    def read_many(
        self, aggregate_ids: Sequence[UUID], until: Mapping[UUID, int] | None = None
    ) -> dict[UUID, Aggregate]:
        """The state of each aggregate found (those not found are left out): as it stands now, or as
        it stood at the version ``until`` gives for it."""
        found: dict[UUID, Aggregate] = {}
        for start in range(0, len(aggregate_ids), self.chunk):
            found.update(_read(self.store, aggregate_ids[start : start + self.chunk], until or {}))
        return found


# {ids}: the aggregates' ids; {events}, {snapshots}: the event store's tables.
EVENTS = "SELECT * FROM {events} WHERE originator_id IN ({ids}) ORDER BY originator_id, originator_version"
LATEST_SNAPSHOTS = (
    "SELECT * FROM {snapshots} s WHERE originator_id IN ({ids}) AND originator_version = "
    "(SELECT max(originator_version) FROM {snapshots} WHERE originator_id = s.originator_id)"
)
EVENTS_AFTER_SNAPSHOTS = (
    "SELECT * FROM {events} e WHERE originator_id IN ({ids}) AND originator_version > coalesce("
    "(SELECT max(originator_version) FROM {snapshots} WHERE originator_id = e.originator_id), 0) "
    "ORDER BY originator_id, originator_version"
)


def _read(store: EventStore, aggregate_ids: Sequence[UUID], until: Mapping[UUID, int]) -> dict[UUID, Aggregate]:
    events_table = table_recorder(store.recorder).events_table_name
    if store.snapshots is None:
        snapshots: list[StoredEvent] = []
        events = _select(store, aggregate_ids, EVENTS, events_table, events_table)
    else:
        snapshots_table = table_recorder(store.snapshots.recorder).events_table_name
        snapshots = _select(store, aggregate_ids, LATEST_SNAPSHOTS, events_table, snapshots_table)
        events = _select(store, aggregate_ids, EVENTS_AFTER_SNAPSHOTS, events_table, snapshots_table)

    def wanted(stored: StoredEvent) -> bool:
        """Not later than the version asked for (if one was)."""
        return stored.originator_version <= until.get(_aggregate_id(stored), stored.originator_version)

    history: dict[UUID, list[Any]] = {}
    too_new: set[UUID] = set()  # its latest snapshot is later than the version asked for
    for stored in snapshots:  # a snapshot comes before the events after it
        if wanted(stored):
            history[_aggregate_id(stored)] = [store.mapper.to_domain_event(stored)]
        else:
            too_new.add(_aggregate_id(stored))
    for stored in events:
        if stored.originator_id not in too_new and wanted(stored):
            history.setdefault(_aggregate_id(stored), []).append(store.mapper.to_domain_event(stored))
    found = {}
    for aggregate_id, domain_events in history.items():
        aggregate = None
        for event in domain_events:  # eventsourcing's project_aggregate, without its check of each event's type
            aggregate = event.mutate(aggregate)
        if aggregate is not None:
            found[aggregate_id] = aggregate
    if too_new:  # the repository finds an earlier snapshot, or replays from the first event
        found.update({i: store.repository.get(i, version=until[i]) for i in too_new})
    return found


def table_recorder(recorder: AggregateRecorder) -> SQLiteAggregateRecorder | PostgresAggregateRecorder:
    """The recorder, one of the two that keep the events in tables of their own (SQLite's, PostgreSQL's)."""
    assert isinstance(recorder, SQLiteAggregateRecorder | PostgresAggregateRecorder)
    return recorder


def _aggregate_id(stored: StoredEvent) -> UUID:
    """The aggregate's id: ``_select`` reads every id as a UUID."""
    assert isinstance(stored.originator_id, UUID)
    return stored.originator_id


def _select(
    store: EventStore, aggregate_ids: Sequence[UUID], template: str, events_table: str, snapshots_table: str
) -> list[StoredEvent]:
    datastore: Any = table_recorder(store.recorder).datastore
    if isinstance(store.recorder, SQLiteAggregateRecorder):
        ids = [i.hex for i in aggregate_ids]
        sql = template.format(events=events_table, snapshots=snapshots_table, ids=",".join("?" * len(ids)))
        with datastore.transaction(commit=False) as cursor:
            cursor.execute(sql, ids)
            rows = cursor.fetchall()
        return [
            StoredEvent(UUID(row["originator_id"]), row["originator_version"], row["topic"], row["state"])
            for row in rows
        ]
    query = SQL(template.replace("IN ({ids})", "= ANY(%s)")).format(
        events=Identifier(datastore.schema, events_table), snapshots=Identifier(datastore.schema, snapshots_table)
    )
    with datastore.get_connection() as connection, connection.transaction(), connection.cursor() as cursor:
        # Planned on a batch of ids, the query's estimated cost can pass PostgreSQL's threshold for
        # compiling it (JIT), which took 5 to 70 ms each time for a query that runs in 5 ms.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(query, [list(aggregate_ids)], binary=True)
        rows = cursor.fetchall()
    return [
        StoredEvent(row["originator_id"], row["originator_version"], row["topic"], bytes(row["state"])) for row in rows
    ]
