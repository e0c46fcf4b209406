"""Plain inputs of the use cases, as the API (or any other caller) gives them."""

from dataclasses import dataclass, field
from datetime import date
from uuid import UUID


@dataclass(frozen=True)
class TextInput:
    texts: dict[str, str]
    authentic: str | None = None


@dataclass(frozen=True)
class DueInput:
    precision: str | None  # None: ``value`` is read in any written form ("Q3 2025", «سنتين»)
    value: str | None = None
    amount: int | None = None
    unit: str | None = None
    time_zone: str | None = None  # defaults to the meeting venue's


@dataclass(frozen=True)
class ParticipantInput:
    party_id: UUID
    role: str = "participant"
    person: str | None = None


@dataclass(frozen=True)
class RowInput:
    activity: TextInput
    lead_party_id: UUID
    partner_party_ids: list[UUID] = field(default_factory=list)
    timeframe: DueInput | None = None


@dataclass(frozen=True)
class PeriodInput:
    starts_on: date
    ends_on: date | None = None
