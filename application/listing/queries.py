"""Questions asked across many records, answered by the read model.

The filters are plain data; ``application.ports.Catalogue`` is what answers them (implemented
with SQLAlchemy tables in ``infrastructure.read_model.catalogue``).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any
from uuid import UUID

from domain.choices import choice
from domain.commitments.lifecycle import Status
from domain.commitments.promise import CommitmentKind
from domain.commitments.rollup import Counted
from domain.errors import InvalidValue
from domain.meetings.agreement import AgreementKind
from domain.meetings.meeting import MeetingKind, MeetingStatus
from domain.parties.party import PartyKind
from domain.search import MAX_QUERY_TERMS, query_words

MAX_LIMIT = 200


@dataclass(frozen=True)
class Results:
    items: list[dict[str, Any]]
    next_cursor: str | None
    total: int  # every match, or (``total_exact`` false) the bound counting stopped at: "10,000 or more"
    total_exact: bool = True


@dataclass(frozen=True)
class RollupScope:
    """The commitments a roll-up counts: of an agreement (a matrix), made at a meeting, at the
    meetings of a series, or led by a party; what is given narrows it (nothing: every commitment)."""

    agreement: UUID | None = None
    meeting: UUID | None = None
    series: str | None = None
    party: UUID | None = None  # leads


@dataclass(frozen=True, slots=True)
class RollupRow:
    id: str
    counted: Counted
    lead_party_id: str
    series: str | None  # of the meeting it was made at


@dataclass(frozen=True)
class Tally:
    """How many commitments one party leads in one meeting series (``None``: meetings of no series), by state."""

    lead_party_id: str
    series: str | None
    total: int
    overdue: int
    due_soon: int
    open: int
    assessed: int


@dataclass(frozen=True)
class SearchHit:
    kind: str
    id: str
    label: dict[str, Any]


def instant(value: str | None, field_name: str) -> datetime | None:
    """An ISO instant with a time zone, or a date (meaning 00:00 UTC that day)."""
    if value is None:
        return None
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), time(), UTC)
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidValue(
            "write an instant like 2024-07-01T00:00:00Z, or a date like 2024-07-01", field_name
        ) from None
    if parsed.tzinfo is None:
        raise InvalidValue("an instant needs a time zone, e.g. 2024-07-01T00:00:00Z", field_name)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:59:59-14:00 is past the last instant a date can hold
        raise InvalidValue("an instant from the year 1 to the year 9999, in UTC", field_name) from None


def terms(query: str | None) -> list[tuple[str, ...]] | None:
    """The query's words, each as its search keys (``domain.search.query_words``)."""
    if query is None:
        return None
    words = query_words(query)
    if not words:
        raise InvalidValue("the search has no words", "q")
    if len(words) > MAX_QUERY_TERMS:
        raise InvalidValue("search with at most {most} words", "q", most=MAX_QUERY_TERMS)
    return words


def check_axis(axis: str) -> str:
    if axis not in ("recorded", "effective"):
        raise InvalidValue("the axis is recorded or effective", "axis")
    return axis


def check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidValue("limit is from 1 to {most}", "limit", most=MAX_LIMIT)
    return limit


def _choices(enum_class: Any, values: Sequence[str], field_name: str) -> list[str]:
    return [choice(enum_class, value, field_name).value for value in values]


@dataclass(frozen=True)
class CommitmentFilter:
    statuses: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    party: UUID | None = None  # leads or supports
    lead_party: UUID | None = None
    supporting_party: UUID | None = None
    any_party: frozenset[str] | None = None  # leads or supports one of these (the parties of a key's scope)
    meeting: UUID | None = None
    agreement: UUID | None = None
    due_before: datetime | None = None
    due_after: datetime | None = None
    overdue: bool | None = None
    due_soon: bool | None = None
    has_due: bool | None = None  # False: the open-ended ones
    review_due: bool | None = None
    escalated: bool | None = None  # a step of its escalation ladder reached
    escalated_to: UUID | None = None  # its escalation has told this party
    themes: list[str] = field(default_factory=list)  # carries one of these themes
    words: list[tuple[str, ...]] | None = None
    as_of: datetime | None = None  # answer as the record stood at this instant
    axis: str = "recorded"  # with as_of: recorded (as the record stood) or effective (facts that had happened)
    sort: str = "recorded"  # recorded | due | -due (open-ended ones after every due, or before with -due)
    exact_total: bool = False  # count every match, past the bound at which lists stop counting
    cursor: str | None = None
    limit: int = 50

    @classmethod
    def of(
        cls,
        statuses: Sequence[str] = (),
        kinds: Sequence[str] = (),
        due_before: str | None = None,
        due_after: str | None = None,
        q: str | None = None,
        sort: str = "recorded",
        limit: int = 50,
        as_of: str | None = None,
        axis: str = "recorded",
        **others: Any,
    ) -> "CommitmentFilter":
        if sort not in ("recorded", "due", "-due"):
            raise InvalidValue("sort by recorded, due or -due", "sort")
        return cls(
            statuses=_choices(Status, statuses, "status"),
            kinds=_choices(CommitmentKind, kinds, "kind"),
            due_before=instant(due_before, "due_before"),
            due_after=instant(due_after, "due_after"),
            words=terms(q),
            as_of=instant(as_of, "as_of"),
            axis=check_axis(axis),
            sort=sort,
            limit=check_limit(limit),
            **others,
        )


def _as_of(as_of: str | None, axis: str) -> dict[str, Any]:
    return {"as_of": instant(as_of, "as_of"), "axis": check_axis(axis)}


@dataclass(frozen=True)
class MeetingFilter:
    statuses: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    series: str | None = None
    party: UUID | None = None
    starts_after: date | None = None
    starts_before: date | None = None
    words: list[tuple[str, ...]] | None = None
    as_of: datetime | None = None
    axis: str = "recorded"
    cursor: str | None = None
    limit: int = 50

    @classmethod
    def of(
        cls,
        statuses: Sequence[str] = (),
        kinds: Sequence[str] = (),
        q: str | None = None,
        limit: int = 50,
        as_of: str | None = None,
        axis: str = "recorded",
        **others: Any,
    ) -> "MeetingFilter":
        return cls(
            statuses=_choices(MeetingStatus, statuses, "status"),
            kinds=_choices(MeetingKind, kinds, "kind"),
            words=terms(q),
            limit=check_limit(limit),
            **_as_of(as_of, axis),
            **others,
        )


@dataclass(frozen=True)
class AgreementFilter:
    kinds: list[str] = field(default_factory=list)
    meeting: UUID | None = None
    party: UUID | None = None
    words: list[tuple[str, ...]] | None = None
    as_of: datetime | None = None
    axis: str = "recorded"
    cursor: str | None = None
    limit: int = 50

    @classmethod
    def of(
        cls,
        kinds: Sequence[str] = (),
        q: str | None = None,
        limit: int = 50,
        as_of: str | None = None,
        axis: str = "recorded",
        **others: Any,
    ) -> "AgreementFilter":
        return cls(
            kinds=_choices(AgreementKind, kinds, "kind"),
            words=terms(q),
            limit=check_limit(limit),
            **_as_of(as_of, axis),
            **others,
        )


@dataclass(frozen=True)
class PartyFilter:
    kinds: list[str] = field(default_factory=list)
    parent: UUID | None = None
    words: list[tuple[str, ...]] | None = None
    as_of: datetime | None = None
    axis: str = "recorded"
    cursor: str | None = None
    limit: int = 50

    @classmethod
    def of(
        cls,
        kinds: Sequence[str] = (),
        q: str | None = None,
        limit: int = 50,
        as_of: str | None = None,
        axis: str = "recorded",
        **others: Any,
    ) -> "PartyFilter":
        return cls(
            kinds=_choices(PartyKind, kinds, "kind"),
            words=terms(q),
            limit=check_limit(limit),
            **_as_of(as_of, axis),
            **others,
        )


Filter = CommitmentFilter | MeetingFilter | AgreementFilter | PartyFilter
