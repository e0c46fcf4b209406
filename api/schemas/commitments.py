"""Commitments: recording one (with its follow-up), a page of commitments."""

from datetime import date
from typing import Literal, TypedDict
from uuid import UUID

from pydantic import Field

from api.schemas.common import MANY, Answer, Count, Day, DueIn, Name, Schema, TextIn, Words, text_input
from application.inputs import DueInput, TextInput
from application.views import CommitmentKindName, CommitmentView
from domain.commitments.rollup import MOST_WEIGHT


class FollowUpIn(Schema):
    series: str | None = Field(default=None, description="defaults to the meeting's series")
    session_number: Count | None = None


class CommitmentInputs(TypedDict):
    """A commitment as ``Commitments.record`` takes it."""

    text: TextInput
    lead_party_id: UUID
    meeting_id: UUID
    kind: str
    supporting_party_ids: list[UUID]
    agreement_id: UUID | None
    row_number: int | None
    clause: str | None
    quote: TextInput | None
    due: DueInput | None
    follow_up_series: str | None
    follow_up_session_number: int | None
    status: str
    reminder_days: list[int] | None
    made_on: date | None
    review_on: date | None
    notes: str | None
    weight: int | None


class CommitmentCreate(Schema):
    text: TextIn
    lead_party_id: UUID
    meeting_id: UUID
    kind: CommitmentKindName = "action"
    supporting_party_ids: list[UUID] = Field(default_factory=list, max_length=MANY)
    agreement_id: UUID | None = None
    row_number: Count | None = None
    clause: Name | None = None
    quote: TextIn | None = Field(default=None, description="the verbatim words of the source")
    due: DueIn | None = Field(
        default=None,
        description="defaults to the matrix row's timeframe; without either, "
        "the commitment is open-ended: never due soon or overdue",
    )
    follow_up: FollowUpIn | None = None
    status: Literal["draft", "agreed", "noted"] = Field(default="draft", description="how it was recorded")
    reminder_days: list[Count] | None = Field(
        default=None, max_length=20, description="days before the due to tell subscribers (default 30 and 7)"
    )
    made_on: Day | None = Field(
        default=None,
        description="the day the promise was made; defaults to the "
        "meeting's last day (or the day recorded, if the meeting has not ended)",
    )
    review_on: Day | None = Field(
        default=None,
        description="the day the lead party wants to look at it again: a commitment.review_due fact and webhook then",
    )
    notes: Words | None = Field(default=None, description="the coordinator's remarks")
    weight: Count | None = Field(
        default=None, ge=1, le=MOST_WEIGHT, description="its weight in roll-ups (default: 1, as every other)"
    )

    def inputs(self) -> CommitmentInputs:
        return {
            "text": self.text.input(),
            "lead_party_id": self.lead_party_id,
            "meeting_id": self.meeting_id,
            "kind": self.kind,
            "supporting_party_ids": list(self.supporting_party_ids),
            "agreement_id": self.agreement_id,
            "row_number": self.row_number,
            "clause": self.clause,
            "quote": text_input(self.quote),
            "due": None if self.due is None else self.due.input(),
            "follow_up_series": None if self.follow_up is None else self.follow_up.series,
            "follow_up_session_number": None if self.follow_up is None else self.follow_up.session_number,
            "status": self.status,
            "reminder_days": self.reminder_days,
            "made_on": self.made_on,
            "review_on": self.review_on,
            "notes": self.notes,
            "weight": self.weight,
        }


class CommitmentPage(Answer):
    items: list[CommitmentView]
    next_cursor: str | None
    total: int
    total_exact: bool
