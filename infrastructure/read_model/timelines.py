"""The records a timeline shows: those a party or a meeting touched, in the order they were created; and the
changes of status of some commitments, as their versions recorded them."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Select, select

from infrastructure.read_model.tables import (
    agreement_parties,
    agreements_view,
    commitment_mentions,
    commitment_parties,
    commitment_versions,
    commitments_view,
    meeting_participants,
    meetings_view,
    parties_view,
)


def touched_by_party(engine: Engine, party_id: str) -> list[str]:
    return _in_creation_order(
        engine,
        select(parties_view.c.id, parties_view.c.seq).where(parties_view.c.id == party_id),
        select(meetings_view.c.id, meetings_view.c.seq)
        .join(meeting_participants, meeting_participants.c.meeting_id == meetings_view.c.id)
        .where(meeting_participants.c.party_id == party_id),
        select(agreements_view.c.id, agreements_view.c.seq)
        .join(agreement_parties, agreement_parties.c.agreement_id == agreements_view.c.id)
        .where(agreement_parties.c.party_id == party_id),
        select(commitments_view.c.id, commitments_view.c.seq)
        .join(commitment_parties, commitment_parties.c.commitment_id == commitments_view.c.id)
        .where(commitment_parties.c.party_id == party_id),
    )


def touched_by_meeting(engine: Engine, meeting_id: str) -> list[str]:
    return _in_creation_order(
        engine,
        select(meetings_view.c.id, meetings_view.c.seq).where(meetings_view.c.id == meeting_id),
        select(agreements_view.c.id, agreements_view.c.seq).where(agreements_view.c.meeting_id == meeting_id),
        select(commitments_view.c.id, commitments_view.c.seq).where(commitments_view.c.meeting_id == meeting_id),
    )


def _in_creation_order(engine: Engine, *queries: Select[Any]) -> list[str]:
    with engine.connect() as connection:
        found = {row.id: row.seq for query in queries for row in connection.execute(query)}
    return sorted(found, key=found.__getitem__)


def status_changes(engine: Engine, ids: Sequence[str], until: datetime | None) -> list[dict[str, Any]]:
    """Each change of status of these commitments, as recorded (up to ``until``, if given): the commitment,
    the instant, the status before and after, the version that made it; in the order they were recorded.
    Read 500 commitments at a time (each ``IN`` list stays short)."""
    changes: list[dict[str, Any]] = []
    v = commitment_versions.c
    for start in range(0, len(ids), 500):
        query = select(v.id, v.version, v.status, v.recorded_from).where(v.id.in_(ids[start : start + 500]))
        if until is not None:
            query = query.where(v.recorded_from <= until)
        with engine.connect() as connection:
            rows = connection.execute(query.order_by(v.id, v.version)).all()
        before: tuple[str, str] | None = None
        for row in rows:
            if before is not None and before[0] == row.id and before[1] != row.status:
                changes.append(
                    {
                        "commitment_id": row.id,
                        "version": row.version,
                        "at": row.recorded_from,
                        "before": before[1],
                        "after": row.status,
                    }
                )
            before = (row.id, row.status)
    return sorted(changes, key=lambda change: (change["at"], change["commitment_id"]))


def party_status_changes(engine: Engine, party_id: str, since: datetime, through: datetime) -> list[dict[str, Any]]:
    """Each change of status of what the party leads or supports, recorded after ``since`` and up to ``through``;
    a commitment recorded then is a change from nothing (``before`` None) to its first status."""
    v, p = commitment_versions.c, commitment_parties.c
    touched = (
        select(v.id)
        .distinct()
        .join(commitment_parties, p.commitment_id == v.id)
        .where(p.party_id == party_id, v.recorded_from > since, v.recorded_from <= through)
    )
    made = (
        select(v.id, v.version, v.status, v.recorded_from)
        .join(commitment_parties, p.commitment_id == v.id)
        .where(p.party_id == party_id, v.version == 1, v.recorded_from > since, v.recorded_from <= through)
    )
    with engine.connect() as connection:
        ids = [row.id for row in connection.execute(touched)]
        recorded = [
            {"commitment_id": row.id, "version": 1, "at": row.recorded_from, "before": None, "after": row.status}
            for row in connection.execute(made)
        ]
    changed = [change for change in status_changes(engine, ids, through) if change["at"] > since]
    return sorted([*recorded, *changed], key=lambda change: (change["at"], change["commitment_id"]))


def mentions_of_party(engine: Engine, party_id: str, since: datetime | None, through: datetime) -> list[dict[str, Any]]:
    """The comments (not hidden) that mention the party, written after ``since`` (None: ever) and up to
    ``through``: ``commitment_id``, ``number``, ``at``; oldest first."""
    m = commitment_mentions.c
    query = select(m.commitment_id, m.number, m.at).where(m.party_id == party_id, m.at <= through)
    if since is not None:
        query = query.where(m.at > since)
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(query.order_by(m.at, m.commitment_id, m.number))]
