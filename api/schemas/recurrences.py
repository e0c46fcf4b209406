"""Recurring commitments: stating one, changing its schedule."""

from datetime import date
from typing import Literal, TypedDict
from uuid import UUID

from pydantic import Field

from api.schemas.common import MANY, Count, Day, Name, Schema, TextIn, Words
from application.inputs import TextInput


class RecurrenceInputs(TypedDict):
    """A recurring commitment as ``Recurrences.state`` takes it."""

    text: TextInput
    lead_party_id: UUID
    meeting_id: UUID
    every_months: int | None
    every: str | None
    first_due: date | None
    until: date
    kind: str
    supporting_party_ids: list[UUID]
    agreement_id: UUID | None
    row_number: int | None
    status: str
    reminder_days: list[int] | None
    notes: str | None


class RecurrenceCreate(Schema):
    """A promise to do something every so many months until a day ("report every six months until
    2028"): one commitment is generated per occurrence, due on its day, each with its own lifecycle."""

    text: TextIn
    lead_party_id: UUID
    meeting_id: UUID
    every_months: Count | None = Field(default=None, ge=1, le=120)
    every: Name | None = Field(
        default=None,
        examples=["every six months", "كل ستة أشهر"],
        description="how often, as people write it (instead of every_months)",
    )
    first_due: Day | None = Field(
        default=None,
        description="the last day the first occurrence allows; defaults to one period after the meeting's last day",
    )
    until: Day = Field(description="no occurrence is due after this day")
    kind: Literal["action", "clause"] = "action"
    supporting_party_ids: list[UUID] = Field(default_factory=list, max_length=MANY)
    agreement_id: UUID | None = None
    row_number: Count | None = None
    status: Literal["draft", "agreed", "noted"] = Field(default="draft", description="how each occurrence is recorded")
    reminder_days: list[Count] | None = Field(
        default=None, max_length=20, description="days before each due to tell subscribers (default 30 and 7)"
    )
    notes: Words | None = None

    def inputs(self) -> RecurrenceInputs:
        return {
            "text": self.text.input(),
            "lead_party_id": self.lead_party_id,
            "meeting_id": self.meeting_id,
            "every_months": self.every_months,
            "every": self.every,
            "first_due": self.first_due,
            "until": self.until,
            "kind": self.kind,
            "supporting_party_ids": list(self.supporting_party_ids),
            "agreement_id": self.agreement_id,
            "row_number": self.row_number,
            "status": self.status,
            "reminder_days": self.reminder_days,
            "notes": self.notes,
        }


class ScheduleChange(Schema):
    """A new schedule for a recurring commitment (what is not given stays), with the reason."""

    reason: Words | None = None
    every_months: Count | None = Field(default=None, ge=1, le=120)
    every: Name | None = Field(default=None, examples=["annual", "سنوياً"])
    first_due: Day | None = None
    until: Day | None = None
