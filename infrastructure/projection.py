"""Projects the event log into the read-model tables, exactly once per event.

The projector follows the notification log in order (``infrastructure.log_follower``):
each batch is applied in one transaction that also moves the recorded position.

Rows are written from the aggregate's state after the event, using the same
view the API shows, so a read-model row can never disagree with the aggregate.
"""

import dataclasses
import json
import logging
from collections import OrderedDict
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate
from sqlalchemy import Connection, Engine, Table, delete, insert, inspect, select, update

from application.tracker import Tracker
from application.views import AgreementView, CommitmentView, MeetingView, PartyView
from domain.agreement import Agreement
from domain.commitment import Commitment
from domain.lifecycle import CAN_BE_LATE
from domain.meeting import Meeting
from domain.party import Party
from domain.search import index_terms
from domain.text import MultilingualText
from infrastructure import log_follower, search_index
from infrastructure.read_tables import (
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


def _json(view: Any) -> str:
    return json.dumps(dataclasses.asdict(view), ensure_ascii=False, sort_keys=True)


def _words(*texts: MultilingualText | str | None) -> list[str]:
    words: list[str] = []
    for value in texts:
        if isinstance(value, MultilingualText):
            for language_text in value.texts.values():
                words += index_terms(language_text)
        elif value:
            words += index_terms(value)
    return words


def _store(connection: Connection, table: Table, row: dict[str, Any], created_at: int | None) -> None:
    """Insert a new row (its ``seq`` is the position of its creation), or update an existing one."""
    if created_at is not None:
        connection.execute(insert(table).values(seq=created_at, **row))
    else:
        connection.execute(update(table).where(table.c.id == row["id"]).values(**row))


def _version_row(commitment: Commitment, recorded_at: Any) -> dict[str, Any]:
    view = CommitmentView.of(commitment)
    return {
        "id": view.id, "version": commitment.version, "recorded_from": recorded_at, "recorded_until": None,
        "kind": view.kind, "status": view.status, "lead_party_id": view.lead_party_id,
        "meeting_id": str(commitment.provenance.meeting_id), "agreement_id": view.provenance["agreement_id"],
        "due_at": commitment.due_at, "overdue": commitment.overdue, "due_soon": commitment.due_soon,
        "document": _json(view),
    }


def _replace_children(connection: Connection, table: Table, key: str, owner: str, rows: list[dict[str, Any]]) -> None:
    connection.execute(delete(table).where(table.c[key] == owner))
    if rows:
        connection.execute(insert(table), rows)


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

    def catch_up(self, until: int | None = None) -> int:
        """Apply new events, at least up to notification ``until`` (all of them if None)."""
        return log_follower.follow(self.engine, self.tracker.recorder, projection_state, NAME, self.batch_size,
                                   until, self._apply)

    def _aggregate_before(self, aggregate_id: UUID, version: int) -> Aggregate:
        cached = self._cache.get(aggregate_id)
        if cached is not None and cached.version == version:
            return cached
        return self.tracker.repository.get(aggregate_id, version=version)

    def _apply(self, connection: Connection, notifications: list[Any]) -> None:
        changed: dict[UUID, tuple[Aggregate, int | None]] = {}
        versions: list[dict[str, Any]] = []
        for notification in notifications:
            event = self.tracker.mapper.to_domain_event(notification)
            aggregate_id = event.originator_id
            if event.originator_version == 1:
                aggregate = event.mutate(None)
                created_at: int | None = notification.id
            else:
                previous = changed.get(aggregate_id)
                aggregate = previous[0] if previous else self._aggregate_before(aggregate_id, event.originator_version - 1)
                event.mutate(aggregate)
                created_at = previous[1] if previous else None
            changed[aggregate_id] = (aggregate, created_at)
            if isinstance(aggregate, Commitment):
                versions.append(_version_row(aggregate, event.timestamp))
        for aggregate, created_at in changed.values():
            self._write(connection, aggregate, created_at)
            self._remember(aggregate)
        for row in versions:
            connection.execute(update(commitment_versions).where(
                commitment_versions.c.id == row["id"], commitment_versions.c.recorded_until.is_(None)
            ).values(recorded_until=row["recorded_from"]))
            connection.execute(insert(commitment_versions).values(**row))

    def _remember(self, aggregate: Aggregate) -> None:
        self._cache[aggregate.id] = aggregate
        self._cache.move_to_end(aggregate.id)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)

    # -- rows ---------------------------------------------------------------------------

    def _write(self, connection: Connection, aggregate: Aggregate, created_at: int | None) -> None:
        key = str(aggregate.id)
        if isinstance(aggregate, Commitment):
            view = CommitmentView.of(aggregate)
            _store(connection, commitments_view, {
                "id": key, "version": aggregate.version, "kind": view.kind, "status": view.status,
                "lead_party_id": view.lead_party_id, "meeting_id": str(aggregate.provenance.meeting_id),
                "agreement_id": view.provenance["agreement_id"], "row_number": aggregate.provenance.row_number,
                "due_at": aggregate.due_at, "overdue": aggregate.overdue, "due_soon": aggregate.due_soon,
                "can_be_late": aggregate.status in CAN_BE_LATE, "next_reminder_at": aggregate.next_reminder_at,
                "document": _json(view),
            }, created_at)
            _replace_children(connection, commitment_parties, "commitment_id", key, [
                {"commitment_id": key, "party_id": str(aggregate.lead_party_id), "role": "lead"},
                *({"commitment_id": key, "party_id": str(p), "role": "supporting"}
                  for p in aggregate.supporting_party_ids),
            ])
            quote = aggregate.provenance.quote
            search_index.put(connection, "commitment", key,
                             _words(aggregate.text, quote, aggregate.provenance.clause))
        elif isinstance(aggregate, Meeting):
            view = MeetingView.of(aggregate)
            _store(connection, meetings_view, {
                "id": key, "version": aggregate.version, "kind": view.kind, "status": view.status,
                "series": aggregate.series, "session_number": aggregate.session_number,
                "starts_on": aggregate.dates.starts_on, "ends_on": aggregate.dates.ends_on, "document": _json(view),
            }, created_at)
            _replace_children(connection, meeting_participants, "meeting_id", key, [
                {"meeting_id": key, "party_id": str(p.party_id), "role": p.role.value}
                for p in aggregate.participants
            ])
            search_index.put(connection, "meeting", key,
                             _words(aggregate.title, aggregate.series, aggregate.venue.name, aggregate.venue.city))
        elif isinstance(aggregate, Agreement):
            view = AgreementView.of(aggregate)
            _store(connection, agreements_view, {
                "id": key, "version": aggregate.version, "meeting_id": str(aggregate.meeting_id),
                "kind": view.kind, "document": _json(view),
            }, created_at)
            _replace_children(connection, agreement_parties, "agreement_id", key, [
                {"agreement_id": key, "party_id": str(p)} for p in aggregate.adopted_by
            ])
            _replace_children(connection, matrix_rows_view, "agreement_id", key, [
                {"agreement_id": key, "number": row.number, "lead_party_id": str(row.lead_party_id),
                 "document": json.dumps(document, ensure_ascii=False, sort_keys=True)}
                for row, document in zip(aggregate.rows, view.rows)
            ])
            search_index.put(connection, "agreement", key,
                             _words(aggregate.title, aggregate.text, *(row.activity for row in aggregate.rows)))
        elif isinstance(aggregate, Party):
            view = PartyView.of(aggregate)
            _store(connection, parties_view, {
                "id": key, "version": aggregate.version, "acronym": aggregate.acronym, "kind": view.kind,
                "parent_id": view.parent_id, "document": _json(view),
            }, created_at)
            search_index.put(connection, "party", key, _words(aggregate.names, aggregate.acronym))
