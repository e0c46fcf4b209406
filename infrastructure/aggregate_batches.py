"""Many aggregates read at once, from the event store's own tables.

The event store's repository reads an aggregate with two queries: its latest snapshot, then the
events after it. The scanner marks hundreds of commitments at a time; here their latest
snapshots are read in one query and the events after them in another, and each aggregate is
rebuilt from them exactly as the repository rebuilds it.
"""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteAggregateRecorder
from psycopg.sql import SQL, Identifier

from application.tracker import Tracker

# One query names at most this many aggregates (SQLite allows 32,766 parameters).
CHUNK = 500


def read_many(tracker: Tracker, aggregate_ids: Sequence[UUID]) -> dict[UUID, Aggregate]:
    """The current state of each aggregate found (those not found are left out)."""
    found: dict[UUID, Aggregate] = {}
    for start in range(0, len(aggregate_ids), CHUNK):
        found.update(_read(tracker, aggregate_ids[start:start + CHUNK]))
    return found


# {ids}: the aggregates' ids; {events}, {snapshots}: the event store's tables.
EVENTS = "SELECT * FROM {events} WHERE originator_id IN ({ids}) ORDER BY originator_id, originator_version"
LATEST_SNAPSHOTS = ("SELECT * FROM {snapshots} s WHERE originator_id IN ({ids}) AND originator_version = "
                    "(SELECT max(originator_version) FROM {snapshots} WHERE originator_id = s.originator_id)")
EVENTS_AFTER_SNAPSHOTS = (
    "SELECT * FROM {events} e WHERE originator_id IN ({ids}) AND originator_version > coalesce("
    "(SELECT max(originator_version) FROM {snapshots} WHERE originator_id = e.originator_id), 0) "
    "ORDER BY originator_id, originator_version")


def _read(tracker: Tracker, aggregate_ids: Sequence[UUID]) -> dict[UUID, Aggregate]:
    events_table = tracker.recorder.events_table_name  # type: ignore[attr-defined]
    if tracker.snapshots is None:
        snapshots: list[StoredEvent] = []
        events = _select(tracker, aggregate_ids, EVENTS, events_table, events_table)
    else:
        snapshots_table = tracker.snapshots.recorder.events_table_name  # type: ignore[attr-defined]
        snapshots = _select(tracker, aggregate_ids, LATEST_SNAPSHOTS, events_table, snapshots_table)
        events = _select(tracker, aggregate_ids, EVENTS_AFTER_SNAPSHOTS, events_table, snapshots_table)
    history: dict[UUID, list[Any]] = {}
    for stored in (*snapshots, *events):  # a snapshot comes before the events after it
        history.setdefault(stored.originator_id, []).append(tracker.mapper.to_domain_event(stored))
    found = {}
    for aggregate_id, domain_events in history.items():
        aggregate = None
        for event in domain_events:  # eventsourcing's project_aggregate, without its check of each event's type
            aggregate = event.mutate(aggregate)
        if aggregate is not None:
            found[aggregate_id] = aggregate
    return found


def _select(tracker: Tracker, aggregate_ids: Sequence[UUID], template: str, events_table: str,
            snapshots_table: str) -> list[StoredEvent]:
    datastore: Any = tracker.recorder.datastore  # type: ignore[attr-defined]
    if isinstance(tracker.recorder, SQLiteAggregateRecorder):
        ids = [i.hex for i in aggregate_ids]
        sql = template.format(events=events_table, snapshots=snapshots_table, ids=",".join("?" * len(ids)))
        with datastore.transaction(commit=False) as cursor:
            cursor.execute(sql, ids)
            rows = cursor.fetchall()
        return [StoredEvent(UUID(row["originator_id"]), row["originator_version"], row["topic"], row["state"])
                for row in rows]
    query = SQL(template.replace("IN ({ids})", "= ANY(%s)")).format(
        events=Identifier(datastore.schema, events_table),
        snapshots=Identifier(datastore.schema, snapshots_table))
    with datastore.get_connection() as connection, connection.cursor() as cursor:
        cursor.execute(query, [list(aggregate_ids)])
        rows = cursor.fetchall()
    return [StoredEvent(row["originator_id"], row["originator_version"], row["topic"], bytes(row["state"]))
            for row in rows]
