"""Projects the event log into the read-model tables, exactly once per event.

The projector follows the notification log in order (``infrastructure.log.follower``): each batch
is applied in one transaction that also moves the recorded position. What each kind of record puts
in the tables is its projection's (``projections``).
"""

import logging
from collections import OrderedDict
from collections.abc import Callable
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import ApplicationRecorder
from sqlalchemy import (
    Connection,
    Engine,
    Table,
    bindparam,
    delete,
    insert,
    inspect,
    select,
    update,
)

from application.ports import AggregateReader, Saved
from domain.commitments.commitment import Commitment
from domain.searched import searched_texts
from infrastructure.log.follower import LogFollower, follow
from infrastructure.persistence.driver import TO_THE_DRIVER, Statements
from infrastructure.read_model import search_index
from infrastructure.read_model.projections import COMMITMENTS, as_json, projection_of
from infrastructure.read_model.rollup_counts import CountChanges
from infrastructure.read_model.tables import (
    READ_MODEL,
    READ_MODEL_VERSION,
    agreement_parties,
    agreements_view,
    commitment_awaiting,
    commitment_escalations,
    commitment_mentions,
    commitment_parties,
    commitment_parties_named,
    commitment_themes,
    commitment_versions,
    commitments_view,
    meeting_participants,
    meetings_view,
    parties_view,
    party_contacts,
    projection_state,
    read_metadata,
)

log = logging.getLogger("commitments.projection")


# Each statement is built once, at import: SQLAlchemy then skips building and keying it for every event.
INSERT = {table: insert(table) for table in read_metadata.sorted_tables}
UPDATE_BY_ID = {
    table: update(table).where(table.c.id == bindparam("key"))
    for table in (parties_view, meetings_view, agreements_view, commitments_view)
}
DELETE_CHILDREN = {
    (table, column): delete(table).where(table.c[column] == bindparam("owner"))
    for table, column in (
        (commitment_parties, "commitment_id"),
        (commitment_parties_named, "commitment_id"),
        (meeting_participants, "meeting_id"),
        (agreement_parties, "agreement_id"),
        (commitment_escalations, "commitment_id"),
        (party_contacts, "party_id"),
        (commitment_themes, "commitment_id"),
        (commitment_mentions, "commitment_id"),
        (commitment_awaiting, "commitment_id"),
    )
}
# The version a new event ends is the one before it, found by its whole key: a plan that does not
# depend on the table's statistics (PostgreSQL, with none yet, chose to scan every current version).
CLOSE_VERSION = (
    update(commitment_versions)
    .where(commitment_versions.c.id == bindparam("key"), commitment_versions.c.version == bindparam("previous"))
    .values(recorded_until=bindparam("until"))
)


def _share(originator_id: UUID | str, shares: int) -> int:
    """Which of ``shares`` shares an aggregate falls in, by its id (the event store's ids are UUIDs)."""
    assert isinstance(originator_id, UUID)
    return originator_id.int % shares


class Projector(LogFollower):
    table, name = projection_state, READ_MODEL

    def __init__(
        self,
        engine: Engine,
        recorder: ApplicationRecorder,
        decode: Callable[[Any], Any],
        reader: AggregateReader,
        batch_size: int = 500,
        cache_size: int = 10_000,
        statements: Statements = TO_THE_DRIVER,
    ) -> None:
        """``reader``: the aggregates as they stood before a batch, when neither the cache nor the
        command that saved the batch has them."""
        super().__init__(engine, recorder, decode, statements)
        self.reader = reader
        self.batch_size = batch_size
        self.cache_size = cache_size
        self._cache: OrderedDict[UUID, Aggregate] = OrderedDict()

    # -- schema -----------------------------------------------------------------------

    def prepare(self) -> bool:
        """Create the tables, or drop and recreate them if their shape changed. True if (re)created."""
        with self.engine.begin() as connection:
            recorded = None
            if inspect(connection).has_table(projection_state.name):
                recorded = connection.execute(
                    select(projection_state.c.schema_version).where(projection_state.c.name == self.name)
                ).scalar()
            if recorded == READ_MODEL_VERSION:
                return False
            if recorded is not None:
                log.warning("read model version %s found, %s expected: rebuilding", recorded, READ_MODEL_VERSION)
            self._recreate(connection)
        self._cache.clear()
        return True

    def _recreate(self, connection: Connection) -> None:
        search_index.drop(connection)
        read_metadata.drop_all(connection)
        read_metadata.create_all(connection)
        search_index.create(connection)
        connection.execute(
            insert(projection_state).values(name=self.name, position=0, schema_version=READ_MODEL_VERSION)
        )

    def forget(self) -> None:
        self._cache.clear()

    def rebuild(self, progress: Callable[[int, int], object] | None = None, step: int = 10_000) -> int:
        """Drop the read model and project the whole event log again, ``step`` events in each
        transaction (bulk writes); ``progress(position, latest)`` is told after each step."""
        latest = self.recreate()
        reached = 0
        while reached < latest:
            reached = follow(self.engine, self.recorder, self, until=min(reached + step, latest), batch_size=step)
            if progress is not None:
                progress(reached, latest)
        return self.catch_up()

    def recreate(self) -> int:
        """Drop the read model and create it empty, at position 0; returns the last event stored."""
        with self.engine.begin() as connection:
            self._recreate(connection)
        self._cache.clear()
        return self.recorder.max_notification_id() or 0

    def fold(
        self, share: int, shares: int, until: int, step: int = 10_000, done: Callable[[int], object] | None = None
    ) -> None:
        """Project the events up to ``until`` of the aggregates in one share of ``shares`` (by id),
        ``step`` events of the log read at a time, each share's rows written in one transaction;
        the position is left as it is (``rebuilding``: the processes that fold the other shares
        write rows of other aggregates). ``done(count)``: told how many events of the log were read."""
        reached = 0
        while reached < until:
            batch = list(self.recorder.select_notifications(reached + 1, step, stop=until))
            if not batch:
                return
            mine = [n for n in batch if _share(n.originator_id, shares) == share]
            if mine:
                with self.engine.begin() as connection:
                    self.handle(connection, mine, Saved())
            reached = batch[-1].id
            if done is not None:
                done(len(batch))

    def move_to(self, reached: int) -> None:
        """Record that the read model holds every event up to ``reached`` (after ``fold``)."""
        with self.engine.begin() as connection:
            connection.execute(
                update(projection_state).where(projection_state.c.name == self.name).values(position=reached)
            )

    # -- following the log --------------------------------------------------------------

    def _states_before(self, events: list[Any], saved: Saved) -> dict[UUID, Aggregate]:
        """Each aggregate that existed before this batch, as it stood just before its first event
        in the batch: from the cache, or as the command read it, else all the others read together."""
        first: dict[UUID, int] = {}
        for event in events:
            first.setdefault(event.originator_id, event.originator_version)
        states: dict[UUID, Aggregate] = {}
        missing: dict[UUID, int] = {}
        for aggregate_id, version in first.items():
            cached = self._cache.get(aggregate_id)
            if cached is None or cached.version != version - 1:
                cached = saved.state_before(aggregate_id, version - 1)
            if cached is not None:
                states[aggregate_id] = cached
            elif version > 1:
                missing[aggregate_id] = version - 1
        if missing:
            states.update(self.reader.read_many(list(missing), missing))
        return states

    def handle(self, connection: Connection, notifications: list[Any], saved: Saved) -> None:
        """Project a batch: each changed aggregate's rows once, as it stands after the batch, and a
        version row per commitment event; the writes of the batch go together, statement by statement.
        An aggregate's search words and child rows are written again only if what they are made of
        changed."""
        changed: dict[UUID, tuple[Aggregate, int | None]] = {}  # the aggregate, and its creation's position
        found_by: dict[UUID, tuple[Any, ...]] = {}  # the texts of those that existed before the batch
        had_children: dict[UUID, tuple[Any, ...]] = {}  # and what their child rows were made of
        versions: list[dict[str, Any]] = []
        current: dict[UUID, tuple[Any, str]] = {}  # each commitment's view (and its JSON) after its last event
        counts = CountChanges()  # what the batch changes in the roll-ups' counts
        events = [self.event(notification, saved) for notification in notifications]
        before = self._states_before(events, saved)
        for notification, event in zip(notifications, events, strict=True):
            aggregate_id = event.originator_id
            if event.originator_version == 1:
                aggregate = event.mutate(None)
                created_at: int | None = notification.id
            else:
                previous = changed.get(aggregate_id)
                if previous:
                    aggregate = previous[0]
                else:
                    aggregate = before[aggregate_id]
                    found_by[aggregate_id] = searched_texts(aggregate)
                    if isinstance(aggregate, Commitment):
                        counts.take_out(aggregate)
                    projection = projection_of(aggregate)
                    had_children[aggregate_id] = projection.child_sources(aggregate) if projection else ()
                event.mutate(aggregate)
                created_at = previous[1] if previous else None
            changed[aggregate_id] = (aggregate, created_at)
            if projection_of(aggregate) is COMMITMENTS:
                view = COMMITMENTS.view(aggregate)
                document = as_json(view)
                versions.append(COMMITMENTS.version_row(aggregate, view, document, event.timestamp))
                current[aggregate_id] = (view, document)
        new: dict[Table, list[dict[str, Any]]] = {}
        existing: dict[Table, list[dict[str, Any]]] = {}
        children_of_existing: dict[tuple[Table, str], list[dict[str, str]]] = {}
        children: dict[Table, list[dict[str, Any]]] = {}
        new_entries: list[tuple[str, str, int, list[str]]] = []
        for aggregate, created_at in changed.values():
            self._remember(aggregate)
            if isinstance(aggregate, Commitment):
                counts.put_in(aggregate)
            projection = projection_of(aggregate)
            if projection is None:
                continue
            rows = projection.rows(aggregate, *current.get(aggregate.id, (None, None)))
            if created_at is not None:
                new.setdefault(rows.table, []).append({"seq": created_at, **rows.row})
            else:
                existing.setdefault(rows.table, []).append({"key": rows.row["id"], **rows.row})
            if created_at is not None or projection.child_sources(aggregate) != had_children[aggregate.id]:
                for table, column, child_rows in rows.children:
                    if created_at is None:
                        children_of_existing.setdefault((table, column), []).append({"owner": rows.row["id"]})
                    children.setdefault(table, []).extend(child_rows)
            if created_at is not None:
                new_entries.append((rows.search_kind, rows.row["id"], created_at, rows.words))
            elif rows.texts != found_by.get(aggregate.id):
                search_index.put(connection, self.statements, rows.search_kind, rows.row["id"], rows.words)
        said = self.statements
        search_index.add(connection, said, new_entries)
        for table, row_list in existing.items():
            said.run(connection, UPDATE_BY_ID[table], row_list)
        for table, row_list in new.items():
            said.run(connection, INSERT[table], row_list)
        for (table, column), owners in children_of_existing.items():
            said.run(connection, DELETE_CHILDREN[table, column], owners)
        for table, row_list in children.items():
            if row_list:
                said.run(connection, INSERT[table], row_list)
        self._write_versions(connection, versions)
        counts.write(connection, said)

    def _write_versions(self, connection: Connection, versions: list[dict[str, Any]]) -> None:
        """Each version is current until the next one was recorded; the first of an existing
        commitment in this batch closes the one stored before."""
        closing: list[dict[str, Any]] = []
        last: dict[str, dict[str, Any]] = {}
        for row in versions:
            before = last.get(row["id"])
            if before is not None:
                before["recorded_until"] = row["recorded_from"]
            elif row["version"] > 1:
                closing.append({"key": row["id"], "previous": row["version"] - 1, "until": row["recorded_from"]})
            last[row["id"]] = row
        if closing:
            self.statements.run(connection, CLOSE_VERSION, closing)
        if versions:
            self.statements.run(connection, INSERT[commitment_versions], versions)

    def _remember(self, aggregate: Aggregate) -> None:
        self._cache[aggregate.id] = aggregate
        self._cache.move_to_end(aggregate.id)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
