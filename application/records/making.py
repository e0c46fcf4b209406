"""How a new commitment is made: from its origin (the meeting, the agreement and its row) and what it
promises, checked and translated, into the aggregate's first event. Every door that makes commitments
makes them here: recording one, a matrix row imported, a recurring rule's occurrences, a series' next
session."""

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from application.storage.saving import new
from domain.commitments.commitment import Commitment
from domain.commitments.due import Due, start_of_day
from domain.commitments.lifecycle import Status
from domain.commitments.promise import DEFAULT_REMINDER_DAYS, CommitmentKind, FollowUp, Provenance
from domain.commitments.rollup import weight as weight_of
from domain.meetings.agreement import Agreement
from domain.meetings.meeting import Meeting
from domain.text import MultilingualText


def review_at(day: date | None, due: Due | None, meeting: Meeting) -> datetime | None:
    """A review falls due at the start of its day where the commitment's due is kept (or its meeting was held)."""
    return None if day is None else start_of_day(day, due.time_zone if due else meeting.venue.time_zone)


@dataclass(frozen=True)
class Promised:
    """What a new commitment promises, its inputs already checked and translated (``made`` records it)."""

    kind: CommitmentKind
    text: MultilingualText
    lead_party_id: UUID
    supporting: tuple[UUID, ...] = ()
    due: Due | None = None
    follow_up: FollowUp | None = None
    status: Status = Status.DRAFT
    reminders: tuple[int, ...] = DEFAULT_REMINDER_DAYS
    made_on: date | None = None
    review_on: date | None = None
    clause: str | None = None
    quote: MultilingualText | None = None
    notes: str | None = None
    weight: int | None = None


@dataclass(frozen=True)
class Origin:
    """Where a promise was made: the meeting, and the agreement and its matrix row, if any."""

    meeting: Meeting
    agreement: Agreement | None = None
    row_number: int | None = None


def made(
    origin: Origin,
    promised: Promised,
    actor: str,
    when: datetime,
    commitment_id: UUID | None = None,
    recurrence_id: UUID | None = None,
) -> Commitment:
    """A new commitment promised at ``origin``, its inputs checked and translated (``recurrence_id``: the
    rule that generated it)."""
    meeting, p = origin.meeting, promised
    Commitment.check_new(p.kind, p.lead_party_id, p.supporting, p.follow_up, p.status)
    return new(
        Commitment,
        Commitment.Recorded,
        commitment_id,
        kind=p.kind,
        text=p.text,
        lead_party_id=p.lead_party_id,
        supporting_party_ids=p.supporting,
        provenance=Provenance(
            meeting_id=meeting.id,
            agreement_id=None if origin.agreement is None else origin.agreement.id,
            row_number=origin.row_number,
            clause=p.clause,
            quote=p.quote,
            recurrence_id=recurrence_id,
        ),
        due=p.due,
        due_at=None if p.due is None else p.due.resolve(meeting.dates.ends_on),
        follow_up=p.follow_up,
        status=p.status,
        reminder_days=p.reminders,
        made_on=meeting.dates.outcome_day(p.made_on, when.date(), "made_on"),
        review_on=p.review_on,
        review_at=review_at(p.review_on, p.due, meeting),
        notes=p.notes,
        weight=weight_of(p.weight),
        actor=actor,
        timestamp=when,
    )
