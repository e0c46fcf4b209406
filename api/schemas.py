"""Request bodies, named by role. Shapes only: the rules are checked in the domain.

Unknown fields are refused (``extra="forbid"``), so a misspelt field name is a
clear 422 rather than a silently ignored value.
"""

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from application.inputs import (
    DocumentInput,
    DueInput,
    EvidenceInput,
    ParticipantInput,
    PeriodInput,
    RowInput,
    TextInput,
    VenueInput,
)

MANY = 500  # the most items of any list in one request


class Schema(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TextIn(Schema):
    """The same text in one or more languages, e.g. {"texts": {"ar": "...", "en": "..."}, "authentic": "ar"}."""

    texts: dict[str, str] = Field(max_length=50)
    authentic: str | None = None

    def input(self) -> TextInput:
        return TextInput(texts=dict(self.texts), authentic=self.authentic)


def text_input(value: TextIn | None) -> TextInput | None:
    return None if value is None else value.input()


class DueIn(Schema):
    """precision: day|month|quarter|year with value (2024-06-10, 2024-06, 2024-Q2, 2024),
    or relative with amount and unit (days|weeks|months|years) after the meeting's last day."""

    precision: str
    value: str | None = None
    amount: int | None = None
    unit: str | None = None
    time_zone: str | None = Field(default=None, description="IANA zone; defaults to the meeting venue's")

    def input(self) -> DueInput:
        return DueInput(**self.model_dump())


class PeriodIn(Schema):
    starts_on: date
    ends_on: date | None = None

    def input(self) -> PeriodInput:
        return PeriodInput(**self.model_dump())


class VenueIn(Schema):
    name: str
    time_zone: str
    city: str | None = None
    country: str | None = None


class ParticipantIn(Schema):
    party_id: UUID
    role: str = "participant"
    person: str | None = None


class DocumentIn(Schema):
    text: str
    language: str
    url: str | None = None
    title: str | None = None

    def input(self) -> DocumentInput:
        return DocumentInput(**self.model_dump())


class EvidenceIn(Schema):
    title: str
    url: str | None = None
    note: str | None = None


def evidence_inputs(items: list[EvidenceIn]) -> list[EvidenceInput]:
    return [EvidenceInput(**item.model_dump()) for item in items]


class RowIn(Schema):
    activity: TextIn
    lead_party_id: UUID
    partner_party_ids: list[UUID] = Field(default_factory=list, max_length=MANY)
    timeframe: DueIn | None = None

    def input(self) -> RowInput:
        return RowInput(
            activity=self.activity.input(),
            lead_party_id=self.lead_party_id,
            partner_party_ids=list(self.partner_party_ids),
            timeframe=None if self.timeframe is None else self.timeframe.input(),
        )


class PartyCreate(Schema):
    names: TextIn
    acronym: str
    kind: str
    parent_id: UUID | None = None


class MeetingCreate(Schema):
    title: TextIn
    kind: str
    scheduled: PeriodIn
    venue: VenueIn
    series: str | None = None
    session_number: int | None = None
    participants: list[ParticipantIn] = Field(default_factory=list, max_length=MANY)
    documents: list[DocumentIn] = Field(default_factory=list, max_length=50)

    def inputs(self) -> dict[str, object]:
        return {
            "title": self.title.input(),
            "kind": self.kind,
            "scheduled": self.scheduled.input(),
            "venue": VenueInput(**self.venue.model_dump()),
            "series": self.series,
            "session_number": self.session_number,
            "participants": [ParticipantInput(**p.model_dump()) for p in self.participants],
            "documents": [d.input() for d in self.documents],
        }


class MeetingPostponement(Schema):
    scheduled: PeriodIn
    reason: str | None = None


class AgreementCreate(Schema):
    meeting_id: UUID
    title: TextIn
    kind: str
    adopted_by: list[UUID] = Field(max_length=MANY)
    text: TextIn | None = None
    validity: PeriodIn | None = None
    rows: list[RowIn] = Field(default_factory=list, max_length=MANY)
    adopted_on: date | None = Field(default=None, description="the day it was adopted; defaults to the "
                                    "meeting's last day (or the day recorded, if the meeting has not ended)")

    def inputs(self) -> dict[str, object]:
        return {
            "meeting_id": self.meeting_id,
            "title": self.title.input(),
            "kind": self.kind,
            "adopted_by": list(self.adopted_by),
            "text": text_input(self.text),
            "validity": None if self.validity is None else self.validity.input(),
            "rows": [row.input() for row in self.rows],
            "adopted_on": self.adopted_on,
        }


class FollowUpIn(Schema):
    series: str | None = Field(default=None, description="defaults to the meeting's series")
    session_number: int | None = None


class CommitmentCreate(Schema):
    text: TextIn
    lead_party_id: UUID
    meeting_id: UUID
    kind: str = "action"
    supporting_party_ids: list[UUID] = Field(default_factory=list, max_length=MANY)
    agreement_id: UUID | None = None
    row_number: int | None = None
    clause: str | None = None
    quote: TextIn | None = Field(default=None, description="the verbatim words of the source")
    due: DueIn | None = Field(default=None, description="defaults to the matrix row's timeframe; without either, "
                              "the commitment is open-ended: never due soon or overdue")
    follow_up: FollowUpIn | None = None
    status: str = Field(default="draft", description="draft, agreed or noted")
    reminder_days: list[int] | None = Field(default=None, max_length=20,
                                            description="days before the due to tell subscribers (default 30 and 7)")
    made_on: date | None = Field(default=None, description="the day the promise was made; defaults to the "
                                 "meeting's last day (or the day recorded, if the meeting has not ended)")
    review_on: date | None = Field(default=None, description="the day the lead party wants to look at it again: "
                                   "a commitment.review_due fact and webhook then")

    def inputs(self) -> dict[str, object]:
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
        }


class Reasoned(Schema):
    reason: str | None = None


class Suspension(Schema):
    decision_reference: str | None = None
    reason: str | None = None


class Delivery(Schema):
    evidence: list[EvidenceIn] = Field(default_factory=list, max_length=MANY)
    delivered_on: date | None = None
    note: str | None = None


class Assessment(Schema):
    outcome: str = Field(description="fulfilled, partially_fulfilled or not_fulfilled")
    reason: str | None = None


class Supersession(Schema):
    new_commitment_id: UUID
    meeting_id: UUID
    reason: str | None = None


class ProgressReport(Schema):
    percent: int
    note: str | None = None
    evidence: list[EvidenceIn] = Field(default_factory=list, max_length=MANY)


class DueRevision(Schema):
    due: DueIn | None = Field(description="the new due; null leaves the commitment open-ended")
    reason: str | None = Field(default=None, description="needed, except to give an open-ended commitment its "
                               "first due")


class ReviewSchedule(Schema):
    review_on: date | None = Field(description="the day to look at the commitment again; null: no review")
    reason: str | None = None
