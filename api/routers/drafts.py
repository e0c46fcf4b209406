"""Drafts: a meeting report read into proposals (nothing stored), then confirmed in one call."""

from dataclasses import asdict
from datetime import date
from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import Field

from api.dependencies import ServicesDep, WriterDep
from api.problems import PROBLEM_JSON
from api.schemas import Count, Day, DueIn, Language, Schema
from domain.parties.party import MOST_ALIASES
from domain.reading.proposals import PROPOSED_MOST
from domain.text import DOCUMENT_TEXT_MAX, SHORT_TEXT_MAX

router = APIRouter(prefix="/drafts", tags=["drafts"])
Texts = dict[str, str]
REFUSED: dict[int | str, dict[str, Any]] = {
    413: {
        "description": f"the report's text is longer than {DOCUMENT_TEXT_MAX:,} characters: nothing is read",
        "content": {PROBLEM_JSON: {}},
    },
    422: {"description": "a value is not valid, or a party named is not registered", "content": {PROBLEM_JSON: {}}},
}
# The text's limit is the application's to say (413, as for a file too large), written in the schema for clients.
REPORT_TEXT: dict[str, Any] = {"maxLength": DOCUMENT_TEXT_MAX}


class Report(Schema):
    text: str = Field(min_length=1, json_schema_extra=REPORT_TEXT, description="the report as published")
    published_on: Day = Field(description="the day it was published: relative dates count from it")


class Proposal(Schema):
    value: dict[str, Any]
    span: dict[str, int] = Field(description="start and end: character offsets in the text")
    quote: str = Field(description="the text of the span")
    confidence: float = Field(ge=0, le=1)


class NewParty(Schema):
    ref: str = Field(max_length=SHORT_TEXT_MAX, description="how the draft names it: new:<acronym or name>")
    acronym: str | None = Field(default=None, max_length=32)
    name: str = Field(min_length=1, max_length=SHORT_TEXT_MAX, description="its name in the report's language")
    kind: str = "other"
    key: str | None = Field(
        default=None, max_length=64, description="a party the gazetteer knows: its key there (a state's ISO code)"
    )
    names: Texts = Field(
        default_factory=dict, description='its names in other languages, registered with it: {"en": "…", "fr": "…"}'
    )
    aliases: list[str] = Field(
        default_factory=list, max_length=MOST_ALIASES, description="its other names and spellings, kept with it"
    )


class MeetingDraft(Schema):
    kind: str | None = "other"
    title: Texts = Field(description='{"ar": "…"}: the title in its languages')
    series: str | None = None
    session_number: Count | None = None
    starts_on: Day | None = None
    ends_on: Day | None = None
    venue: str | None = Field(default=None, max_length=SHORT_TEXT_MAX)
    city: str | None = Field(default=None, max_length=SHORT_TEXT_MAX)
    country: str | None = Field(default=None, max_length=SHORT_TEXT_MAX)
    time_zone: str | None = Field(default=None, max_length=64)


HELD_AT = (
    "the meeting it belongs to: 0 the main one (`meeting`), k the k-th of `other_meetings`; proposed from the "
    "meeting whose part of the report says it"
)


class ParticipantDraft(Schema):
    party: str = Field(description="a party's id, or a new party's ref")
    role: str = "participant"
    person: str | None = Field(default=None, max_length=SHORT_TEXT_MAX)
    meeting: Count = Field(default=0, ge=0, le=PROPOSED_MOST["meeting"] - 1, description=HELD_AT)


class AgreementDraft(Schema):
    kind: str
    title: Texts
    validity: dict[str, Day | None] | None = None
    adopted_by: list[str] = Field(default_factory=list, max_length=100)
    meeting: Count = Field(default=0, ge=0, le=PROPOSED_MOST["meeting"] - 1, description=HELD_AT)


class CommitmentDraft(Schema):
    text: Texts
    quote: str | None = Field(default=None, max_length=DOCUMENT_TEXT_MAX, description="the words of the report")
    lead: str | None = Field(default=None, description="a party's id, or a new party's ref")
    partners: list[str] = Field(default_factory=list, max_length=100)
    due: DueIn | None = None
    agreement: Count | None = Field(default=None, description="its agreement's place in `agreements`")
    series: str | None = Field(default=None, description="a follow-up session: its series")
    session_number: Count | None = None
    meeting: Count = Field(default=0, ge=0, le=PROPOSED_MOST["meeting"] - 1, description=HELD_AT)


class Confirmation(Schema):
    """A draft's ``confirmation``, edited: what to record."""

    text: str = Field(min_length=1, json_schema_extra=REPORT_TEXT)
    published_on: Day
    language: Language = "en"
    status: Literal["draft", "agreed"] = Field(default="draft", description="how the commitments are recorded")
    document_title: str | None = Field(default=None, max_length=SHORT_TEXT_MAX)
    parties: list[NewParty] = Field(
        default_factory=list, max_length=PROPOSED_MOST["party"], description="the parties to register"
    )
    meeting: MeetingDraft = Field(description="the report's main meeting")
    other_meetings: list[MeetingDraft] = Field(
        default_factory=list,
        max_length=PROPOSED_MOST["meeting"] - 1,
        description="the other meetings the report tells of, each recorded as a meeting of its own",
    )
    participants: list[ParticipantDraft] = Field(default_factory=list, max_length=PROPOSED_MOST["participant"])
    agreements: list[AgreementDraft] = Field(default_factory=list, max_length=PROPOSED_MOST["agreement"])
    commitments: list[CommitmentDraft] = Field(default_factory=list, max_length=PROPOSED_MOST["commitment"])
    follow_ups: list[CommitmentDraft] = Field(default_factory=list, max_length=PROPOSED_MOST["follow_up"])

    def plain(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class SharedAlias(Schema):
    """Words of the report that are an alias several registered parties share: they name none of them."""

    name: str = Field(description="as the report writes it")
    span: dict[str, int]
    parties: list[dict[str, str]] = Field(description="each party that has the alias: its id and label")
    note: str


class Draft(Schema):
    language: str
    published_on: date
    meeting: Proposal = Field(description="the report's main meeting (the first of `meetings`)")
    meetings: list[Proposal] = Field(
        default_factory=list,
        description=(
            "every meeting the report tells of, the main one first, each with the part of the report it is told "
            "in (`value.part`, for all but the first); the promises say which one they belong to (`value.meeting`)"
        ),
    )
    parties: list[Proposal]
    participants: list[Proposal]
    agreements: list[Proposal]
    commitments: list[Proposal]
    follow_ups: list[Proposal]
    recurrences: list[Proposal]
    sentences: list[dict[str, int]] = Field(
        default_factory=list,
        description="the report's sentences, each as its span (start, end): what a passage is chosen from",
    )
    left_out: dict[str, int] = Field(
        default_factory=dict,
        description=(
            "how many more of a kind (parties, participants, agreements, commitments, follow_ups, recurrences) the "
            "report supports than one draft proposes: a confirmation records at most as many as its lists allow"
        ),
    )
    ambiguous: list[SharedAlias] = Field(
        default_factory=list,
        description="aliases the report names that two or more registered parties share: choose the party meant",
    )
    confirmation: Confirmation = Field(
        description="the proposals as a confirmation: edit it, then POST it to /drafts/confirm"
    )
    recorded_meeting_id: str | None = Field(
        default=None,
        description=(
            "the meeting a confirmation of this very report (text and publication day) recorded already: "
            "confirming it again corrects what was recorded to what the confirmation says"
        ),
    )


class Recorded(Schema):
    meeting_id: str
    other_meeting_ids: list[str] = Field(
        default_factory=list, description="the other meetings' ids, in the order of the confirmation's other_meetings"
    )
    parties: dict[str, str]
    agreements: list[str]
    commitments: list[str]
    follow_ups: list[str]
    already_recorded: list[str] = Field(description="what an earlier confirmation of the same report recorded")
    corrected: list[str] = Field(
        description="what an earlier confirmation recorded and this one corrected, by "
        "correction events (meeting, other_meetings[i], agreements[i], commitments[i], "
        "follow_ups[i])"
    )


@router.post("", response_model=Draft, responses=REFUSED)
def read_report(body: Report, services: ServicesDep, _: WriterDep) -> JSONResponse:
    """Read a report: the meetings it tells of, the parties (known ones by name in any language or acronym, new
    ones as written), participants and roles, agreements, commitments with their dues and follow-up
    sessions, each with its span of the text and a confidence. Nothing is stored."""
    return JSONResponse(services.drafts.read(body.text, body.published_on))


@router.post("/confirm", status_code=201, response_model=Recorded, responses=REFUSED)
def confirm_draft(body: Confirmation, services: ServicesDep, principal: WriterDep) -> JSONResponse:
    """Record a confirmed draft in one call: new parties, the meeting and the other meetings the report
    tells of, each with the report as its source document (held, if it ended before the report was
    published), agreements, commitments and follow-up sessions with their quotes, each at its meeting.
    A report is recorded once: confirming it again records only what is missing."""
    return JSONResponse(asdict(services.drafts.confirm(principal, body.plain())), status_code=201)
