"""The records a timeline shows: those a party or a meeting touched, in the order they were created."""

from typing import Any

from sqlalchemy import Engine, Select, select

from infrastructure.read_model.tables import (
    agreement_parties,
    agreements_view,
    commitment_parties,
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
