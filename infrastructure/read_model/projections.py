"""What each kind of record puts in the read model: one small object per aggregate type, in one registry.

Each says which table holds its row and what the row holds, which child rows it has (parties,
participants, matrix rows) and what they are made of, and under which kind it is searched. Rows
are written from the same view the API shows, so a row can never disagree with the record.
"""

import json
from dataclasses import dataclass, replace
from typing import Any

from eventsourcing.domain import Aggregate
from sqlalchemy import Table

from application.views import AgreementView, CommitmentView, MeetingView, PartyView
from domain.commitments.commitment import Commitment
from domain.commitments.lifecycle import CAN_BE_LATE
from domain.meetings.agreement import Agreement
from domain.meetings.meeting import Meeting
from domain.parties.party import Party
from domain.search import index_terms
from domain.searched import searched_texts
from infrastructure.read_model.tables import (
    OPEN_ENDED_ORDER,
    agreement_parties,
    agreements_view,
    commitment_awaiting,
    commitment_escalations,
    commitment_mentions,
    commitment_parties,
    commitment_parties_named,
    commitment_themes,
    commitments_view,
    meeting_participants,
    meetings_view,
    parties_view,
    party_contacts,
)

Children = list[tuple[Table, str, list[dict[str, Any]]]]  # table, the column naming the owner, rows
_encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def as_json(view: Any) -> str:
    """A view as the API shows it; its fields are plain values already (``application.views.plain``)."""
    return _encode(vars(view)) if not isinstance(view, dict) else _encode(view)


@dataclass
class Rows:
    """What one record's state puts in the read model: its row, the rows of its child tables, and
    the texts it is found by."""

    table: Table
    row: dict[str, Any]
    children: Children
    search_kind: str
    texts: tuple[str, ...]

    @property
    def words(self) -> list[str]:
        return index_terms(*self.texts)


class Projection:
    """The read model's rows of one aggregate type."""

    table: Table
    search_kind: str

    def view(self, aggregate: Any) -> Any:
        raise NotImplementedError

    def row(self, aggregate: Any, view: Any, document: str) -> dict[str, Any]:
        raise NotImplementedError

    def children(self, aggregate: Any, view: Any) -> Children:
        return []

    def child_sources(self, aggregate: Any) -> tuple[Any, ...]:
        """What the child rows are made of: they are written again only when these change."""
        return ()

    def rows(self, aggregate: Any, view: Any = None, document: str | None = None) -> Rows:
        view = view if view is not None else self.view(aggregate)
        return Rows(
            self.table,
            self.row(aggregate, view, document or as_json(view)),
            self.children(aggregate, view),
            self.search_kind,
            searched_texts(aggregate),
        )


def commitment_columns(commitment: Commitment, view: CommitmentView) -> dict[str, Any]:
    """The columns a commitment's row and each of its versions share."""
    return {
        "id": view.id,
        "version": commitment.version,
        "kind": view.kind,
        "status": view.status,
        "lead_party_id": view.lead_party_id,
        "meeting_id": str(commitment.provenance.meeting_id),
        "agreement_id": view.provenance["agreement_id"],
        "due_at": commitment.due_at,
        "due_order": commitment.due_at or OPEN_ENDED_ORDER,
        "overdue": commitment.overdue,
        "due_soon": commitment.due_soon,
        "review_due": commitment.review_due,
        "escalation_level": commitment.escalation_level,
        "progress": None if commitment.progress is None else commitment.progress.percent,
        "weight": commitment.weight,
        "made_on": commitment.made_on,
        "fulfilled_on": commitment.fulfilled_on,
    }


def awaiting_rows(key: str, commitment: Commitment) -> list[dict[str, Any]]:
    """The parties whose word its pending change still waits for."""
    pending = commitment.pending
    if pending is None:
        return []
    until, declared = pending.silence_until, pending.declared_at
    return [
        {"commitment_id": key, "party_id": str(p), "silence_until": until, "declared_at": declared}
        for p in pending.awaiting
        if p not in commitment.confirmations
    ]


class CommitmentProjection(Projection):
    table, search_kind = commitments_view, "commitment"

    def view(self, aggregate: Commitment) -> CommitmentView:
        return CommitmentView.of(aggregate)

    def row(self, aggregate: Commitment, view: CommitmentView, document: str) -> dict[str, Any]:
        return {
            **commitment_columns(aggregate, view),
            "row_number": aggregate.provenance.row_number,
            "can_be_late": aggregate.status in CAN_BE_LATE,
            "next_reminder_at": aggregate.next_reminder_at,
            "next_review_at": aggregate.next_review_at,
            "document": document,
        }

    def children(self, aggregate: Commitment, view: CommitmentView) -> Children:
        key = view.id
        return [
            (
                commitment_parties,
                "commitment_id",
                [
                    {"commitment_id": key, "party_id": str(aggregate.lead_party_id), "role": "lead"},
                    *(
                        {"commitment_id": key, "party_id": str(p), "role": "supporting"}
                        for p in aggregate.supporting_party_ids
                    ),
                ],
            ),
            (
                commitment_parties_named,
                "commitment_id",
                [
                    {"commitment_id": key, "party_id": str(party), "role": role}
                    for party, role in aggregate.named_parties
                ],
            ),
            (
                commitment_escalations,
                "commitment_id",
                [{"commitment_id": key, "party_id": str(p)} for p in aggregate.escalated_to],
            ),
            (commitment_themes, "commitment_id", [{"commitment_id": key, "theme": t} for t in aggregate.themes]),
            (
                commitment_awaiting,
                "commitment_id",
                awaiting_rows(key, aggregate),
            ),
            (
                commitment_mentions,
                "commitment_id",
                [
                    {"commitment_id": key, "number": c.number, "party_id": str(p), "at": c.at}
                    for c in aggregate.comments
                    if not c.hidden
                    for p in c.mentions
                ],
            ),
        ]

    def child_sources(self, aggregate: Commitment) -> tuple[Any, ...]:
        return (
            aggregate.lead_party_id,
            aggregate.supporting_party_ids,
            aggregate.named_parties,
            aggregate.escalated_to,
            aggregate.themes,
            aggregate.comments,
            aggregate.pending,
            aggregate.confirmations,
        )

    def version_row(
        self, aggregate: Commitment, view: CommitmentView, document: str, recorded_at: Any
    ) -> dict[str, Any]:
        """The commitment as it stood from one event to the next (``commitment_versions``). Its comments are kept
        without their words: a comment hidden later stays hidden in every answer "as of" a past instant."""
        if view.comments:
            document = as_json(replace(view, comments=[{**c, "text": None} for c in view.comments]))
        return {
            **commitment_columns(aggregate, view),
            "recorded_from": recorded_at,
            "recorded_until": None,
            "document": document,
        }


class MeetingProjection(Projection):
    table, search_kind = meetings_view, "meeting"

    def view(self, aggregate: Meeting) -> MeetingView:
        return MeetingView.of(aggregate)

    def row(self, aggregate: Meeting, view: MeetingView, document: str) -> dict[str, Any]:
        return {
            "id": view.id,
            "version": aggregate.version,
            "kind": view.kind,
            "status": view.status,
            "series": aggregate.series,
            "session_number": aggregate.session_number,
            "starts_on": aggregate.dates.starts_on,
            "ends_on": aggregate.dates.ends_on,
            "document": document,
        }

    def children(self, aggregate: Meeting, view: MeetingView) -> Children:
        return [
            (
                meeting_participants,
                "meeting_id",
                [
                    {"meeting_id": view.id, "party_id": str(p.party_id), "role": p.role.value}
                    for p in aggregate.participants
                ],
            )
        ]

    def child_sources(self, aggregate: Meeting) -> tuple[Any, ...]:
        return (aggregate.participants,)


class AgreementProjection(Projection):
    table, search_kind = agreements_view, "agreement"

    def view(self, aggregate: Agreement) -> AgreementView:
        return AgreementView.of(aggregate)

    def row(self, aggregate: Agreement, view: AgreementView, document: str) -> dict[str, Any]:
        return {
            "id": view.id,
            "version": aggregate.version,
            "meeting_id": view.meeting_id,
            "kind": view.kind,
            "document": document,
        }

    def children(self, aggregate: Agreement, view: AgreementView) -> Children:
        key = view.id
        return [
            (
                agreement_parties,
                "agreement_id",
                [{"agreement_id": key, "party_id": str(p)} for p in aggregate.adopted_by],
            ),
        ]

    def child_sources(self, aggregate: Agreement) -> tuple[Any, ...]:
        return (aggregate.adopted_by,)


class PartyProjection(Projection):
    table, search_kind = parties_view, "party"

    def view(self, aggregate: Party) -> PartyView:
        return PartyView.of(aggregate)

    def row(self, aggregate: Party, view: PartyView, document: str) -> dict[str, Any]:
        return {
            "id": view.id,
            "version": aggregate.version,
            "acronym": aggregate.acronym,
            "kind": view.kind,
            "parent_id": view.parent_id,
            "ladder": None if aggregate.ladder is None else aggregate.ladder.text(),
            "document": document,
        }

    def children(self, aggregate: Party, view: PartyView) -> Children:
        return [
            (
                party_contacts,
                "party_id",
                [
                    {
                        "contact_id": str(c.id),
                        "party_id": view.id,
                        "name": c.name,
                        "address": c.address,
                        "language": c.language,
                        "frequency": c.frequency.value,
                    }
                    for c in aggregate.contacts
                ],
            )
        ]

    def child_sources(self, aggregate: Party) -> tuple[Any, ...]:
        return aggregate.contacts


COMMITMENTS = CommitmentProjection()
PROJECTIONS: dict[type, Projection] = {
    Commitment: COMMITMENTS,
    Meeting: MeetingProjection(),
    Agreement: AgreementProjection(),
    Party: PartyProjection(),
}


def projection_of(aggregate: Aggregate) -> Projection | None:
    """None for a meeting series: bookkeeping for follow-up sessions, nothing to show."""
    return PROJECTIONS.get(type(aggregate))
