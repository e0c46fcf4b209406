"""Agreements: adopting one with its matrix rows, a page of agreements."""

from datetime import date
from typing import Literal, TypedDict
from uuid import UUID

from pydantic import Field

from api.schemas.common import MANY, Answer, Day, DueIn, NameIn, PeriodIn, Schema, TextIn, Words, text_input
from application.inputs import PeriodInput, RowInput, TextInput
from application.views import AgreementKindName, AgreementView
from domain.commitments.confirmation import MOST_SILENCE_DAYS


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


class AgreementInputs(TypedDict):
    """An agreement as ``Agreements.adopt`` takes it."""

    meeting_id: UUID
    title: TextInput
    kind: str
    adopted_by: list[UUID]
    text: TextInput | None
    validity: PeriodInput | None
    rows: list[RowInput]
    adopted_on: date | None
    confirmation: str | None
    silence_days: int | None


class AgreementCreate(Schema):
    meeting_id: UUID
    title: NameIn
    kind: AgreementKindName
    adopted_by: list[UUID] = Field(max_length=MANY)
    text: TextIn | None = None
    validity: PeriodIn | None = None
    rows: list[RowIn] = Field(default_factory=list, max_length=MANY)
    adopted_on: Day | None = Field(
        default=None,
        description="the day it was adopted; defaults to the "
        "meeting's last day (or the day recorded, if the meeting has not ended)",
    )
    confirmation: Literal["none", "required"] | None = Field(
        default=None,
        description="required: every change of its commitments that binds their other parties (delivered, an "
        "assessment, a new due, cancellation, supersession) waits for their word, whoever makes it; none (the "
        "default): only a change one party makes waits for the others",
    )
    silence_days: int | None = Field(
        default=None, ge=1, le=MOST_SILENCE_DAYS, description="days after which silence is consent (default 14)"
    )

    def inputs(self) -> AgreementInputs:
        return {
            "meeting_id": self.meeting_id,
            "title": self.title.input(),
            "kind": self.kind,
            "adopted_by": list(self.adopted_by),
            "text": text_input(self.text),
            "validity": None if self.validity is None else self.validity.input(),
            "rows": [row.input() for row in self.rows],
            "adopted_on": self.adopted_on,
            "confirmation": self.confirmation,
            "silence_days": self.silence_days,
        }


class AgreementPage(Answer):
    items: list[AgreementView]
    next_cursor: str | None
    total: int
    total_exact: bool


class ConfirmationRule(Schema):
    confirmation: Literal["none", "required"]
    silence_days: int | None = Field(default=None, ge=1, le=MOST_SILENCE_DAYS, description="default: as it is")
    reason: Words | None = None
