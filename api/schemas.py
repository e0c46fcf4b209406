"""Request bodies, named by role. Shapes only: the rules are checked in the domain.

Unknown fields are refused (``extra="forbid"``), so a misspelt field name is a
clear 422 rather than a silently ignored value.
"""

import re
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias, TypedDict
from uuid import UUID

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    WithJsonSchema,
)

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
from application.views import (
    AgreementKindName,
    AgreementView,
    AudienceName,
    CommitmentKindName,
    CommitmentView,
    EventView,
    FrequencyName,
    MeetingKindName,
    MeetingView,
    PartyKindName,
    PartyView,
    one_of,
)
from domain.due import Precision, RelativeUnit
from domain.escalation import MOST_DAYS, MOST_STEPS
from domain.meeting import ParticipantRole
from domain.rollup import MOST_WEIGHT
from domain.text import (
    DOCUMENT_TEXT_MAX,
    ISO_639_1,
    LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
    refused_characters,
)
from domain.theme import MOST_PER_COMMITMENT
from domain.webhooks import DeliveryStatus

MANY = 500  # the most items of any list in one request
if TYPE_CHECKING:  # a type made at run time is no type to the checker: to it, each is the value of a member, a str
    PrecisionName: TypeAlias = str
    RelativeUnitName: TypeAlias = str
    RoleName: TypeAlias = str
    DeliveryStatusName: TypeAlias = str
else:
    PrecisionName = one_of(Precision)
    RelativeUnitName = one_of(RelativeUnit)
    RoleName = one_of(ParticipantRole)
    DeliveryStatusName = one_of(DeliveryStatus)


def _text_form(max_length: int) -> dict[str, Any]:
    """A text as the domain accepts it (``domain.text.clean_text``): the document states the rule, the
    domain checks it (with a message that says what to change). A name is one line."""
    refused = refused_characters() + ("\\n\\r\\u2028\\u2029" if max_length <= SHORT_TEXT_MAX else "")
    return {
        "type": "string",
        "minLength": 1,
        "maxLength": max_length,
        "pattern": f"^[^{refused}]*[^{refused}\\s][^{refused}]*$",
    }


# Names and titles; longer texts (which keep the joiners some languages need); whole documents.
Name = Annotated[str, WithJsonSchema(_text_form(SHORT_TEXT_MAX))]
Words = Annotated[str, WithJsonSchema(_text_form(LONG_TEXT_MAX))]
Document = Annotated[str, WithJsonSchema(_text_form(DOCUMENT_TEXT_MAX))]
LANGUAGE_FORM = "^(" + "|".join(sorted(ISO_639_1)) + ")(-[A-Za-z0-9]{2,8})*$"
Language = Annotated[str, WithJsonSchema({"type": "string", "pattern": LANGUAGE_FORM})]


def _written(what: str) -> Callable[[object], object]:
    """A value that JSON must give as a string (a day as "2024-06-30", never the number 0)."""

    def check(value: object) -> object:
        if not isinstance(value, str):
            raise ValueError(f"{what} is written as a string, not as {type(value).__name__}")
        return value

    return check


# A day of the years dues may fall in (domain.due.calendar_day), written as YYYY-MM-DD: the form the
# document states is the form checked, whatever the field (a report's publication day included).
DAY_FORM = "^(19[0-9][0-9]|2[01][0-9][0-9]|2200)-[0-9]{2}-[0-9]{2}$"


def _day(value: object) -> object:
    _written("a day")(value)
    if not re.match(DAY_FORM, str(value)):
        raise ValueError("a day is written as YYYY-MM-DD, in the years 1900 to 2200")
    return value


Day = Annotated[date, BeforeValidator(_day), WithJsonSchema({"type": "string", "format": "date", "pattern": DAY_FORM})]


def _whole(value: object, info: ValidationInfo) -> object:
    """A whole number given as one: not true, 1.0 or "1" (a web form's fields are all text: there,
    "1" is read as the API would read 1)."""
    from_form = isinstance(value, str) and bool(info.context and info.context.get("form"))
    if isinstance(value, bool) or not (isinstance(value, int) or from_form):
        raise ValueError(f"a whole number is written as a number, not as {type(value).__name__}")
    return value


Count = Annotated[int, BeforeValidator(_whole)]


class Schema(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TextIn(Schema):
    """The same text in one or more languages, e.g. {"texts": {"ar": "...", "en": "..."}, "authentic": "ar"}."""

    texts: dict[Language, Words] = Field(min_length=1, max_length=50)
    authentic: Language | None = Field(default=None, description="needed when there are several languages")

    def input(self) -> TextInput:
        return TextInput(texts=dict(self.texts), authentic=self.authentic)


class NameIn(TextIn):
    """A name or title in one or more languages (at most 500 characters, nothing invisible)."""

    texts: dict[Language, Name] = Field(min_length=1, max_length=50)


def text_input(value: TextIn | None) -> TextInput | None:
    return None if value is None else value.input()


class DueIn(Schema):
    """precision: day|month|quarter|year with value (2024-06-10, 2024-06, 2024-Q2, 2024, or written as
    the spreadsheet import reads it: 30/06/2024, June 2024, Q3 2025, «الربع الثالث 2025»), or relative
    with amount and unit (days|weeks|months|years) after the meeting's last day; or no precision and
    value in any written form ("Q3 2025", "18 months", «سنتين»; "ongoing": no due)."""

    precision: PrecisionName | None = None
    value: str | None = Field(default=None, max_length=100)
    amount: Count | None = None
    unit: RelativeUnitName | None = None
    time_zone: str | None = Field(default=None, description="IANA zone; defaults to the meeting venue's")

    def input(self) -> DueInput:
        return DueInput(**self.model_dump())


class PeriodIn(Schema):
    starts_on: Day
    ends_on: Day | None = None

    def input(self) -> PeriodInput:
        return PeriodInput(**self.model_dump())


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

    def input(self) -> DocumentInput:
        return DocumentInput(**self.model_dump())


class EvidenceIn(Schema):
    title: Name
    url: str | None = None
    note: Words | None = None


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
    names: NameIn
    acronym: str | None = Field(
        default=None,
        description="unique, any case; without one, the party is identified by its authentic name as searches fold it",
    )
    kind: PartyKindName
    parent_id: UUID | None = None


class StepIn(Schema):
    days: Count = Field(ge=0, le=MOST_DAYS, description="days overdue")
    to: AudienceName


class LadderChange(Schema):
    """A party's own escalation ladder for the commitments it leads (``steps: null``: the deployment's)."""

    steps: list[StepIn] | None = Field(
        max_length=MOST_STEPS,
        examples=[
            [
                {"days": 0, "to": "lead_party"},
                {"days": 30, "to": "parent_organisation"},
                {"days": 90, "to": "meeting_chairs"},
            ]
        ],
    )
    reason: Words | None = None


class ContactIn(Schema):
    """A contact of a party: who its digests are sent to (the same address again changes the contact)."""

    name: Name = Field(examples=["د. أمينة الحسيني"])
    address: str = Field(max_length=254, examples=["focal.point@sesric.org"])
    language: str = Field(max_length=20, examples=["ar"], description="the language the digests are written in")
    frequency: FrequencyName = "daily"


class MeetingInputs(TypedDict):
    """A meeting as ``Meetings.record`` takes it."""

    title: TextInput
    kind: str
    scheduled: PeriodInput
    venue: VenueInput
    series: str | None
    session_number: int | None
    participants: list[ParticipantInput]
    documents: list[DocumentInput]


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
            "venue": VenueInput(**self.venue.model_dump()),
            "series": self.series,
            "session_number": self.session_number,
            "participants": [ParticipantInput(**p.model_dump()) for p in self.participants],
            "documents": [d.input() for d in self.documents],
        }


class MeetingPostponement(Schema):
    scheduled: PeriodIn
    reason: Words | None = None


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
        }


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


class RhythmIn(Schema):
    """How often a series meets: ``every_months``, or ``every`` as people write it
    ("every two years", "annual", «مرة كل سنتين»); the organiser leads the follow-up expected next."""

    organiser_party_id: UUID
    every_months: Count | None = Field(default=None, ge=1, le=120)
    every: Name | None = Field(default=None, examples=["every two years", "مرة كل سنتين"])


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


class Reasoned(Schema):
    reason: Words | None = None


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


# -- what the API answers: the documented shapes of its responses ------------------------------------


class Answer(BaseModel):
    """A response body (documentation only: the routes answer with the views themselves)."""


class PartyPage(Answer):
    items: list[PartyView]
    next_cursor: str | None = Field(description="pass as cursor for the next page; null on the last")
    total: int = Field(description="every item matching the filters")
    total_exact: bool = Field(description="false when counting stopped at the bound (total is then that bound)")


class MeetingPage(Answer):
    items: list[MeetingView]
    next_cursor: str | None
    total: int
    total_exact: bool


class AgreementPage(Answer):
    items: list[AgreementView]
    next_cursor: str | None
    total: int
    total_exact: bool


class CommitmentPage(Answer):
    items: list[CommitmentView]
    next_cursor: str | None
    total: int
    total_exact: bool


class Figures(Answer):
    commitments: int
    by_status: dict[str, int]
    overdue: int
    due_soon: int
    escalated: int
    counted: int = Field(description="those that count towards progress: not draft, noted, cancelled or superseded")
    weight: int = Field(description="their weights added (a commitment without a weight counts 1)")
    progress: float | None = Field(
        description="their weighted completion in percent: fulfilled or delivered 100, "
        "partially fulfilled its progress (else 50), not fulfilled 0, open ones their "
        "progress; null: none counts"
    )
    assessed: int
    fulfilled: int
    completion_rate: float | None = Field(description="fulfilled among the assessed, in percent")
    median_days_to_fulfil: float | None = Field(description="days from when it was made to when it was fulfilled")
    timed: int = Field(description="the fulfilled ones whose both days are known")


class RollupAnswer(Figures):
    scope: dict[str, str | None]
    as_of: str | None
    axis: str


class PartyFigures(Figures):
    party_id: str


class SeriesFigures(Figures):
    series: str | None


class Statistics(Answer):
    as_of: str | None
    axis: str
    overall: Figures
    parties: list[PartyFigures]
    series: list[SeriesFigures]


class ThemesChoice(Schema):
    themes: list[str] = Field(max_length=MOST_PER_COMMITMENT, examples=[["sdg-2", "food-security"]])
    reason: Words | None = None


class ThemeIn(Schema):
    code: str = Field(max_length=40, examples=["sdg-2"])
    names: NameIn


class ThemeRename(Schema):
    names: NameIn


class WeightChange(Schema):
    weight: Count | None = Field(ge=1, le=MOST_WEIGHT, description="its weight in roll-ups; null: 1, as every other")
    reason: Words | None = None


class DigestSent(Answer):
    contact_id: str
    period: str = Field(examples=["daily:2026-12-02", "weekly:2026-11-30"])
    party_id: str
    address: str
    status: Literal["sending", "sent", "empty", "failed"]
    attempts: int
    lease_until: str
    updated_at: str
    message_id: str | None
    error: str | None


class History(Answer):
    id: str
    events: list[EventView]
    next_cursor: str | None
    integrity: dict[str, Any] | None = Field(
        default=None,
        description=(
            "null, or what the audit chain's watcher found: an altered or inserted event of this record "
            "(intact: false, first_broken_position, problem, detected_at)"
        ),
    )


class Timeline(Answer):
    id: str
    events: list[EventView]
    total: int
    next_cursor: str | None


class Hit(Answer):
    kind: Literal["party", "meeting", "agreement", "commitment"]
    id: str
    label: dict[str, Any] = Field(description="the record's name or title, in every language")


class Hits(Answer):
    items: list[Hit]


class DeliveryRecord(Answer):
    id: str = Field(description="the webhook-id, the same on every attempt")
    subscription_id: str
    event_type: str
    commitment_id: str | None
    status: DeliveryStatusName
    attempts: int
    next_attempt_at: str | None
    created_at: str
    updated_at: str


class DeliveryPage(Answer):
    items: list[DeliveryRecord]
    next_cursor: str | None


class Attempt(Answer):
    number: int
    started_at: str
    duration_ms: int
    status_code: int | None
    error: str | None
    response_body: str | None = Field(description="the first 20 kB of the answer")


class DeliveryDetail(DeliveryRecord):
    payload: dict[str, Any]
    attempt_log: list[Attempt]


class Resent(Answer):
    resent: int


class ChainState(Answer):
    intact: bool
    verified_up_to: int
    last_check_at: str | None
    last_full_check_at: str | None
    first_broken_position: int | None
    problem: str | None
    broken_since: str | None


class Head(Answer):
    position: int
    link: str
    signed_at: str
    algorithm: Literal["Ed25519"]
    public_key: str
    signature: str
    chain: ChainState


class Verification(Answer):
    intact: bool
    checked: int
    position: int
    link: str
    first_broken_position: int | None
    problem: str | None
    saved_head_matches: bool | None = None


class Denial(Answer):
    at: str
    principal: str | None = Field(description="the key's id; null: no valid key was given")
    method: str
    path: str
    status: int
    reason: str
    client: str | None = Field(description="the client's address, for refusals without a valid key")
    repeats: int = Field(description="refusals of the same client in the same minute counted here, not kept as rows")


class DenialPage(Answer):
    items: list[Denial]
    next_cursor: str | None


class Health(Answer):
    status: Literal["ok"]


class Caller(Answer):
    id: str = Field(description="the key's id, the actor named on every event it causes")
    name: str
    role: Literal["admin", "coordinator", "auditor"]
    party_scope: list[str] | None = Field(description="the parties whose commitments it may change; null: all")


class Readiness(Answer):
    status: Literal["up", "down"]
    parts: dict[str, Literal["up", "down"]]


class FieldError(Answer):
    field: str
    message: str


class Problem(Answer):
    """An RFC 9457 problem document (``application/problem+json``)."""

    type: str = Field(description="/problems/<slug>: what went wrong, e.g. /problems/invalid-value")
    title: str
    status: int
    detail: str = Field(description="what to change, in words")
    instance: str = Field(description="the path of the request")
    field: str | None = Field(default=None, description="the input concerned, e.g. due.value")
    errors: list[FieldError] | None = None
    current_version: int | None = Field(default=None, description="with 412: the version now stored")
