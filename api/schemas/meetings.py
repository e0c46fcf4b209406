"""Meetings: recording one (its venue, participants and documents), postponing it, a series' rhythm, a
page of meetings."""

from typing import TypedDict
from uuid import UUID

from pydantic import Field

from api.schemas.common import (
    MANY,
    Answer,
    Count,
    Document,
    FileCited,
    Language,
    Name,
    NameIn,
    PeriodIn,
    RoleName,
    Schema,
    Words,
)
from application.inputs import ParticipantInput, PeriodInput, TextInput
from application.views import MeetingKindName, MeetingView
from domain.evidence_files import EvidenceFile
from domain.meetings.meeting import SourceDocument, Venue


class VenueIn(Schema):
    name: Name | None = Field(default=None, description="the place; may be left out when the city is given")
    time_zone: str = Field(description="an IANA time zone, e.g. Asia/Riyadh")
    city: Name | None = None
    country: Name | None = None


class ParticipantIn(Schema):
    party_id: UUID
    role: RoleName = "participant"
    person: Name | None = None


class DocumentIn(Schema):
    text: Document
    language: Language
    url: str | None = None
    title: Name | None = None
    file: FileCited | None = Field(default=None, description="the document as a file, sent first with `POST /files`")

    def input(self) -> SourceDocument:
        cited = self.file
        name = None if cited is None else cited.name or self.title or f"document-{cited.sha256[:12]}"
        return SourceDocument(
            self.text,
            self.language,
            self.url,
            self.title,
            None if cited is None or name is None else EvidenceFile(cited.sha256, 0, "", name),
        )


class MeetingInputs(TypedDict):
    """A meeting as ``Meetings.record`` takes it."""

    title: TextInput
    kind: str
    scheduled: PeriodInput
    venue: Venue
    series: str | None
    session_number: int | None
    participants: list[ParticipantInput]
    documents: list[SourceDocument]


class MeetingCreate(Schema):
    title: NameIn
    kind: MeetingKindName
    scheduled: PeriodIn
    venue: VenueIn
    series: str | None = None
    session_number: Count | None = None
    participants: list[ParticipantIn] = Field(default_factory=list, max_length=MANY)
    documents: list[DocumentIn] = Field(default_factory=list, max_length=50)

    def inputs(self) -> MeetingInputs:
        return {
            "title": self.title.input(),
            "kind": self.kind,
            "scheduled": self.scheduled.input(),
            "venue": Venue(**self.venue.model_dump()),
            "series": self.series,
            "session_number": self.session_number,
            "participants": [ParticipantInput(**p.model_dump()) for p in self.participants],
            "documents": [d.input() for d in self.documents],
        }


class MeetingPostponement(Schema):
    scheduled: PeriodIn
    reason: Words | None = None


class RhythmIn(Schema):
    """How often a series meets: ``every_months``, or ``every`` as people write it
    ("every two years", "annual", «مرة كل سنتين»); the organiser leads the follow-up expected next."""

    organiser_party_id: UUID
    every_months: Count | None = Field(default=None, ge=1, le=120)
    every: Name | None = Field(default=None, examples=["every two years", "مرة كل سنتين"])


class MeetingPage(Answer):
    items: list[MeetingView]
    next_cursor: str | None
    total: int
    total_exact: bool
