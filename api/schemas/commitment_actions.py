"""What is done to a recorded commitment: suspending, delivering, assessing, superseding, reporting
progress, revising its due, correcting the record, scheduling a review, choosing its themes, weighing it."""

from typing import Literal, TypedDict
from uuid import UUID

from pydantic import Field

from api.schemas.common import (
    MANY,
    Count,
    Day,
    DueIn,
    EvidenceIn,
    FileCited,
    Name,
    Schema,
    TextIn,
    Words,
    text_input,
)
from application.inputs import TextInput
from domain.commitments.comments import COMMENT_MAX, MOST_FILES, MOST_MENTIONS
from domain.commitments.rollup import MOST_WEIGHT
from domain.evidence_files import EvidenceFile
from domain.text import LONG_TEXT_MAX
from domain.theme import MOST_PER_COMMITMENT


class Suspension(Schema):
    decision_reference: Name | None = None
    reason: Words | None = None


class Delivery(Schema):
    evidence: list[EvidenceIn] = Field(default_factory=list, max_length=MANY)
    delivered_on: Day | None = None
    note: Words | None = None


class Assessment(Schema):
    outcome: Literal["fulfilled", "partially_fulfilled", "not_fulfilled"]
    reason: Words | None = None


class Supersession(Schema):
    new_commitment_id: UUID
    meeting_id: UUID
    reason: Words | None = None


class ProgressReport(Schema):
    percent: Count = Field(ge=0, le=100)
    note: Words | None = None
    evidence: list[EvidenceIn] = Field(default_factory=list, max_length=MANY)


class DueRevision(Schema):
    due: DueIn | None = Field(description="the new due; null leaves the commitment open-ended")
    reason: Words | None = Field(
        default=None, description="needed, except to give an open-ended commitment its first due"
    )


class CorrectionInputs(TypedDict):
    """A correction as ``Commitments.correct`` takes it."""

    text: TextInput | None
    lead_party_id: UUID | None
    supporting_party_ids: list[UUID] | None
    notes: str | None
    reason: str


class Correction(Schema):
    text: TextIn | None = Field(default=None, description="the text as it should have been written")
    lead_party_id: UUID | None = None
    supporting_party_ids: list[UUID] | None = Field(default=None, max_length=MANY)
    notes: str | None = Field(default=None, max_length=LONG_TEXT_MAX, description='"" removes the notes')
    reason: Words = Field(description="why the record was wrong")

    def inputs(self) -> CorrectionInputs:
        return {
            "text": text_input(self.text),
            "lead_party_id": self.lead_party_id,
            "supporting_party_ids": self.supporting_party_ids,
            "notes": self.notes,
            "reason": self.reason,
        }


class ReviewSchedule(Schema):
    review_on: Day | None = Field(description="the day to look at the commitment again; null: no review")
    reason: Words | None = None


class ThemesChoice(Schema):
    themes: list[str] = Field(max_length=MOST_PER_COMMITMENT, examples=[["sdg-2", "food-security"]])
    reason: Words | None = None


class EvidenceVisibility(Schema):
    public: bool = Field(description="true: the public pages of a published record show it; false: internal again")
    reason: Words | None = None


class WeightChange(Schema):
    weight: Count | None = Field(ge=1, le=MOST_WEIGHT, description="its weight in roll-ups; null: 1, as every other")
    reason: Words | None = None


class CommentIn(Schema):
    text: str = Field(min_length=1, max_length=COMMENT_MAX, description="the message, in any language")
    language: str | None = Field(default=None, max_length=35, description="the language it is written in (BCP 47)")
    mentions: list[UUID] = Field(
        default_factory=list,
        max_length=MOST_MENTIONS,
        description="parties to tell: their contacts hear of it in their next e-mail (at once if they chose so)",
    )
    files: list[FileCited] = Field(
        default_factory=list, max_length=MOST_FILES, description="files sent first with `POST /files`"
    )

    def cited(self) -> list[EvidenceFile]:
        """The files as the use case takes them: by hash and name (their size and type are read from the bytes)."""
        return [EvidenceFile(f.sha256, 0, "", f.name or f"file-{f.sha256[:12]}") for f in self.files]


class CommentHiding(Schema):
    reason: Words = Field(description="why it is hidden (its words stay in the history)")


class PartyWord(Schema):
    party_id: UUID | None = Field(
        default=None, description="the awaited party you answer for (needed only by a key limited to several)"
    )


class Objecting(Schema):
    reason: Words = Field(description="why the party objects")
    party_id: UUID | None = Field(
        default=None, description="the awaited party you answer for (needed only by a key limited to several)"
    )
