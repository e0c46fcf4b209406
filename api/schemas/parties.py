"""Parties: recording one, its aliases, its escalation ladder, its contacts and the digests sent to them,
a page of parties."""

from typing import Literal
from uuid import UUID

from pydantic import Field

from api.schemas.common import Alias, Answer, Count, Name, NameIn, Schema, Words
from application.views import AudienceName, FrequencyName, PartyKindName, PartyView
from domain.commitments.escalation import MOST_DAYS, MOST_STEPS
from domain.parties.party import MOST_ALIASES


class PartyCreate(Schema):
    names: NameIn
    acronym: str | None = Field(
        default=None,
        description="unique, any case; without one, the party is identified by its authentic name as searches fold it",
    )
    kind: PartyKindName
    parent_id: UUID | None = None
    aliases: list[Alias] = Field(
        default_factory=list,
        max_length=MOST_ALIASES,
        examples=[["الإنتربول", "انتربول"]],
        description="its other names and spellings, in any language and script (GET /parties/known-names offers them)",
    )


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


class AliasesChange(Schema):
    """The other names and spellings a party is found by, in any language and script, in place of those
    kept before (``[]``: none). Its own name or acronym, and a spelling given twice as searches fold it
    («الإنتربول», «الانتربول»), are dropped."""

    aliases: list[Alias] = Field(max_length=MOST_ALIASES, examples=[["الإنتربول", "انتربول", "Interpol"]])
    reason: Words | None = None


class ContactIn(Schema):
    """A contact of a party: who its digests are sent to (the same address again changes the contact)."""

    name: Name = Field(examples=["د. أمينة الحسيني"])
    address: str = Field(max_length=254, examples=["focal.point@sesric.org"])
    language: str = Field(max_length=20, examples=["ar"], description="the language the digests are written in")
    frequency: FrequencyName = "daily"


class PartyPage(Answer):
    items: list[PartyView]
    next_cursor: str | None = Field(description="pass as cursor for the next page; null on the last")
    total: int = Field(description="every item matching the filters")
    total_exact: bool = Field(description="false when counting stopped at the bound (total is then that bound)")


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
