"""Projects the event log into the read-model tables, exactly once per event.

The projector follows the notification log in order (``infrastructure.log_follower``):
each batch is applied in one transaction that also moves the recorded position.

Rows are written from the aggregate's state after the event, using the same
view the API shows, so a read-model row can never disagree with the aggregate.
"""

import json
import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate
from sqlalchemy import Connection, Engine, Table, bindparam, delete, insert, inspect, select, update

from application.tracker import Tracker
from application.views import AgreementView, CommitmentView, MeetingView, PartyView
from domain.agreement import Agreement
from domain.commitment import Commitment
from domain.lifecycle import CAN_BE_LATE
from domain.meeting import Meeting
from domain.party import Party
from domain.search import index_terms, searched_texts
from infrastructure import log_follower, search_index
from infrastructure.read_tables import (
    OPEN_ENDED_ORDER,
    READ_MODEL_VERSION,
    agreement_parties,
    agreements_view,
    commitment_parties,
    commitment_versions,
    commitments_view,
    matrix_rows_view,
    meeting_participants,
    meetings_view,
    parties_view,
    projection_state,
    read_metadata,
)

NAME = "read_model"
log = logging.getLogger("commitments.projection")


_encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def _json(view: Any) -> str:
    """The view as the API shows it; its fields are plain values already (``application.views.plain``)."""
    return _encode(vars(view))


def child_sources(aggregate: Aggregate) -> tuple[Any, ...]:
    """What an aggregate's child rows (its parties, participants, matrix rows) are made of."""
    if isinstance(aggregate, Commitment):
        return aggregate.lead_party_id, aggregate.supporting_party_ids
    if isinstance(aggregate, Meeting):
        return (aggregate.participants,)
    if isinstance(aggregate, Agreement):
        return aggregate.adopted_by, aggregate.rows
    return ()


@dataclass
class Rows:
    """What one aggregate's state puts in the read model: its row, the rows of its child tables,
    and the texts it is found by."""
    table: Table
    row: dict[str, Any]
    children: list[tuple[Table, str, list[dict[str, Any]]]]  # table, key column, rows
    search_kind: str
    texts: tuple[str, ...]

    @property
    def words(self) -> list[str]:
        return index_terms(*self.texts)


def _commitment_columns(commitment: Commitment, view: CommitmentView) -> dict[str, Any]:
    return {"id": view.id, "version": commitment.version, "kind": view.kind, "status": view.status,
            "lead_party_id": view.lead_party_id, "meeting_id": str(commitment.provenance.meeting_id),
            "agreement_id": view.provenance["agreement_id"], "due_at": commitment.due_at,
            "due_order": commitment.due_at or OPEN_ENDED_ORDER, "overdue": commitment.overdue,
            "due_soon": commitment.due_soon, "review_due": commitment.review_due}


def _version_row(commitment: Commitment, view: CommitmentView, recorded_at: Any) -> dict[str, Any]:
    return {**_commitment_columns(commitment, view), "recorded_from": recorded_at, "recorded_until": None,
            "document": _json(view)}


def rows_of(aggregate: Aggregate, known: tuple[CommitmentView, str] | None = None) -> Rows | None:
    """The read-model rows of an aggregate as it stands (``known``: a commitment's view and its JSON)."""
    key = str(aggregate.id)
    if isinstance(aggregate, Commitment):
        view, document = known or (CommitmentView.of(aggregate), None)
        return Rows(commitments_view, {
            **_commitment_columns(aggregate, view), "row_number": aggregate.provenance.row_number,
            "can_be_late": aggregate.status in CAN_BE_LATE, "next_reminder_at": aggregate.next_reminder_at,
            "next_review_at": aggregate.next_review_at,
            "document": document or _json(view),
        }, [(commitment_parties, "commitment_id", [
            {"commitment_id": key, "party_id": str(aggregate.lead_party_id), "role": "lead"},
            *({"commitment_id": key, "party_id": str(p), "role": "supporting"} for p in aggregate.supporting_party_ids),
        ])], "commitment", searched_texts(aggregate))
    if isinstance(aggregate, Meeting):
        meeting = MeetingView.of(aggregate)
        return Rows(meetings_view, {
            "id": key, "version": aggregate.version, "kind": meeting.kind, "status": meeting.status,
            "series": aggregate.series, "session_number": aggregate.session_number,
            "starts_on": aggregate.dates.starts_on, "ends_on": aggregate.dates.ends_on, "document": _json(meeting),
        }, [(meeting_participants, "meeting_id", [
            {"meeting_id": key, "party_id": str(p.party_id), "role": p.role.value} for p in aggregate.participants
        ])], "meeting", searched_texts(aggregate))
    if isinstance(aggregate, Agreement):
        agreement = AgreementView.of(aggregate)
        return Rows(agreements_view, {
            "id": key, "version": aggregate.version, "meeting_id": str(aggregate.meeting_id),
            "kind": agreement.kind, "document": _json(agreement),
        }, [
            (agreement_parties, "agreement_id", [{"agreement_id": key, "party_id": str(p)} for p in aggregate.adopted_by]),
            (matrix_rows_view, "agreement_id", [
                {"agreement_id": key, "number": row.number, "lead_party_id": str(row.lead_party_id),
                 "document": json.dumps(document, ensure_ascii=False, sort_keys=True)}
                for row, document in zip(aggregate.rows, agreement.rows)
            ]),
        ], "agreement", searched_texts(aggregate))
    if isinstance(aggregate, Party):
        party = PartyView.of(aggregate)
        return Rows(parties_view, {
            "id": key, "version": aggregate.version, "acronym": aggregate.acronym, "kind": party.kind,
            "parent_id": party.parent_id, "document": _json(party),
        }, [], "party", searched_texts(aggregate))
    return None  # a meeting series: bookkeeping for follow-up sessions, nothing to show


# Each statement is built once, at import: SQLAlchemy then skips building and keying it for every event.
INSERT = {table: insert(table) for table in read_metadata.sorted_tables}
UPDATE_BY_ID = {table: update(table).where(table.c.id == bindparam("key"))
                for table in (parties_view, meetings_view, agreements_view, commitments_view)}
DELETE_CHILDREN = {(table, column): delete(table).where(table.c[column] == bindparam("owner")) for table, column in (
    (commitment_parties, "commitment_id"), (meeting_participants, "meeting_id"), (agreement_parties, "agreement_id"),
    (matrix_rows_view, "agreement_id"))}
# The version a new event ends is the one before it, found by its whole key: a plan that does not
# depend on the table's statistics (PostgreSQL, with none yet, chose to scan every current version).
CLOSE_VERSION = update(commitment_versions).where(
    commitment_versions.c.id == bindparam("key"), commitment_versions.c.version == bindparam("previous")
).values(recorded_until=bindparam("until"))


class Projector:
    def __init__(self, engine: Engine, tracker: Tracker, batch_size: int = 500, cache_size: int = 10_000) -> None:
        self.engine = engine
        self.tracker = tracker
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
                    select(projection_state.c.schema_version).where(projection_state.c.name == NAME)
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
        connection.execute(insert(projection_state).values(name=NAME, position=0, schema_version=READ_MODEL_VERSION))

    def rebuild(self) -> int:
        """Drop the read model and project the whole event log again."""
        with self.engine.begin() as connection:
            self._recreate(connection)
        self._cache.clear()
        return self.catch_up()

    def position(self) -> int:
        return log_follower.position(self.engine, projection_state, NAME)

    # -- following the log --------------------------------------------------------------

    @property
    def follower(self) -> log_follower.Follower:
        return log_follower.Follower(projection_state, NAME, self._apply, self.batch_size)

    def catch_up(self, until: int | None = None) -> int:
        """Apply new events, at least up to notification ``until`` (all of them if None)."""
        return log_follower.follow(self.engine, self.tracker.recorder, self.follower, until)

    def _states_before(self, events: list[Any]) -> dict[UUID, Aggregate]:
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
                cached = self.tracker.state_before(aggregate_id, version - 1)
            if cached is not None:
                states[aggregate_id] = cached
            elif version > 1:
                missing[aggregate_id] = version - 1
        if missing:
            states.update(self.tracker.read_many(list(missing), missing))
        return states

    def _apply(self, connection: Connection, notifications: list[Any]) -> None:
        """Project a batch: each changed aggregate's rows once, as it stands after the batch, and a
        version row per commitment event; the writes of the batch go together, statement by statement.
        An aggregate's search words and child rows are written again only if what they are made of
        changed."""
        changed: dict[UUID, tuple[Aggregate, int | None]] = {}  # the aggregate, and its creation's position
        found_by: dict[UUID, tuple[Any, ...]] = {}  # the texts of those that existed before the batch
        had_children: dict[UUID, tuple[Any, ...]] = {}  # and what their child rows were made of
        versions: list[dict[str, Any]] = []
        current: dict[UUID, tuple[CommitmentView, str]] = {}  # each commitment's view after its last event
        events = [self.tracker.event_of(notification) for notification in notifications]
        before = self._states_before(events)
        for notification, event in zip(notifications, events):
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
                    had_children[aggregate_id] = child_sources(aggregate)
                event.mutate(aggregate)
                created_at = previous[1] if previous else None
            changed[aggregate_id] = (aggregate, created_at)
            if isinstance(aggregate, Commitment):
                view = CommitmentView.of(aggregate)
                versions.append(_version_row(aggregate, view, event.timestamp))
                current[aggregate_id] = (view, versions[-1]["document"])
        new: dict[Table, list[dict[str, Any]]] = {}
        existing: dict[Table, list[dict[str, Any]]] = {}
        children_of_existing: dict[tuple[Table, str], list[dict[str, str]]] = {}
        children: dict[Table, list[dict[str, Any]]] = {}
        new_entries: list[tuple[str, str, int, list[str]]] = []
        for aggregate, created_at in changed.values():
            self._remember(aggregate)
            rows = rows_of(aggregate, current.get(aggregate.id))
            if rows is None:
                continue
            if created_at is not None:
                new.setdefault(rows.table, []).append({"seq": created_at, **rows.row})
            else:
                existing.setdefault(rows.table, []).append({"key": rows.row["id"], **rows.row})
            if created_at is not None or child_sources(aggregate) != had_children[aggregate.id]:
                for table, column, child_rows in rows.children:
                    if created_at is None:
                        children_of_existing.setdefault((table, column), []).append({"owner": rows.row["id"]})
                    children.setdefault(table, []).extend(child_rows)
            if created_at is not None:
                new_entries.append((rows.search_kind, rows.row["id"], created_at, rows.words))
            elif rows.texts != found_by.get(aggregate.id):
                search_index.put(connection, rows.search_kind, rows.row["id"], rows.words)
        search_index.add(connection, new_entries)
        for table, row_list in existing.items():
            connection.execute(UPDATE_BY_ID[table], row_list)
        for table, row_list in new.items():
            connection.execute(INSERT[table], row_list)
        for (table, column), owners in children_of_existing.items():
            connection.execute(DELETE_CHILDREN[table, column], owners)
        for table, row_list in children.items():
            if row_list:
                connection.execute(INSERT[table], row_list)
        self._write_versions(connection, versions)

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
            connection.execute(CLOSE_VERSION, closing)
        if versions:
            connection.execute(INSERT[commitment_versions], versions)

    def _remember(self, aggregate: Aggregate) -> None:
        self._cache[aggregate.id] = aggregate
        self._cache.move_to_end(aggregate.id)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
