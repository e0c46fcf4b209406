"""Meetings: who met, where, when, and what the record of it says."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from urllib.parse import urlsplit
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.commitments.due import calendar_day, time_zone
from domain.errors import DomainError, InvalidValue
from domain.evidence_files import EvidenceFile
from domain.identifiers import series_slug, time_ordered_id
from domain.text import (
    DOCUMENT_TEXT_MAX,
    SHORT_TEXT_MAX,
    MultilingualText,
    clean_text,
    language_code,
    optional_text,
)

MAX_SESSION_NUMBER = 10_000


class MeetingKind(Enum):
    BILATERAL_TALK = "bilateral_talk"
    GENERAL_MEETING = "general_meeting"
    ASSEMBLY = "assembly"
    WORKING_GROUP = "working_group"
    FORUM = "forum"
    OTHER = "other"


class MeetingStatus(Enum):
    SCHEDULED = "scheduled"
    HELD = "held"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"


class ParticipantRole(Enum):
    HOST = "host"
    CHAIR = "chair"
    CO_CHAIR = "co_chair"
    HEAD_OF_DELEGATION = "head_of_delegation"
    PARTICIPANT = "participant"


def web_address(value: str, field_name: str) -> str:
    text = clean_text(value, field_name, 2_000).strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in text:
        raise InvalidValue("a web address starts with http:// or https:// and names a host", field_name)
    return text


def session_number(value: int | None, field_name: str = "session_number") -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_SESSION_NUMBER:
        raise InvalidValue("a session number is a whole number from 1 to {most}", field_name, most=MAX_SESSION_NUMBER)
    return value


@dataclass(frozen=True)
class DateRange:
    starts_on: date
    ends_on: date

    @classmethod
    def of(cls, starts_on: date, ends_on: date | None, field_name: str) -> "DateRange":
        """Days of the years dues may fall in (a relative due counts from the last day)."""
        calendar_day(starts_on, f"{field_name}.starts_on")
        ends = calendar_day(ends_on or starts_on, f"{field_name}.ends_on")
        if ends < starts_on:
            raise InvalidValue("the end date is before the start date", f"{field_name}.ends_on")
        return cls(starts_on=starts_on, ends_on=ends)

    def outcome_day(self, stated: date | None, today: date, field_name: str) -> date:
        """The day an outcome of the meeting (an agreement, a commitment) was made: the day stated,
        or else the meeting's last day. A report typed in years later keeps the meeting's day; an
        outcome recorded before its meeting ends was made no later than the day it is recorded."""
        if stated is None:
            return min(self.ends_on, today)
        if stated < self.starts_on:
            raise InvalidValue("it cannot have been made before its meeting began", field_name)
        if stated > today + timedelta(days=1):  # a day of slack covers the time zones east of UTC
            raise InvalidValue("it cannot be dated in the future", field_name)
        return stated


@dataclass(frozen=True)
class Venue:
    """Where a meeting is held: a named place, a city, or both (a report often names only the city)."""

    name: str | None
    time_zone: str
    city: str | None = None
    country: str | None = None

    def checked(self, field_name: str = "venue") -> "Venue":
        """This venue as given, held to the rules: named or with its city, its texts clean, its time zone known."""
        name = self.name if self.name and self.name.strip() else None
        if name is None and not (self.city and self.city.strip()):
            raise InvalidValue("a venue is named, or its city is", f"{field_name}.name")
        return Venue(
            name=optional_text(name, f"{field_name}.name", SHORT_TEXT_MAX),
            time_zone=time_zone(self.time_zone, f"{field_name}.time_zone"),
            city=optional_text(self.city, f"{field_name}.city", SHORT_TEXT_MAX),
            country=optional_text(self.country, f"{field_name}.country", SHORT_TEXT_MAX),
        )


@dataclass(frozen=True)
class Participant:
    party_id: UUID
    role: ParticipantRole
    person: str | None = None  # e.g. the head of delegation's name and title


@dataclass(frozen=True)
class SourceDocument:
    """A document of the meeting (its report, a statement): its words, their language, and where it is: a web
    address, a file kept by this deployment (``domain.evidence_files``), or neither."""

    text: str
    language: str
    url: str | None = None
    title: str | None = None
    file: EvidenceFile | None = None

    def checked(self, field_name: str = "document") -> "SourceDocument":
        """This document as given, held to the rules: its text clean and bounded, its language a code."""
        return SourceDocument(
            text=clean_text(self.text, f"{field_name}.text", DOCUMENT_TEXT_MAX),
            language=language_code(self.language, f"{field_name}.language"),
            url=None if self.url is None else web_address(self.url, f"{field_name}.url"),
            title=optional_text(self.title, f"{field_name}.title", SHORT_TEXT_MAX),
            file=None if self.file is None else self.file.checked(f"{field_name}.file"),
        )


def check_participants(participants: tuple[Participant, ...], field_name: str = "participants") -> None:
    seen: set[UUID] = set()
    for index, participant in enumerate(participants):
        if participant.party_id in seen:
            raise InvalidValue("a party is listed twice", f"{field_name}[{index}].party_id")
        seen.add(participant.party_id)


class MeetingNotOpen(DomainError):
    """Only a scheduled or postponed meeting can be held, postponed or cancelled."""

    def __init__(self, status: "MeetingStatus", action: str) -> None:
        super().__init__(
            "cannot {action} a meeting that is {meeting_status}", "status", action=action, meeting_status=status.value
        )


class Meeting(Aggregate):
    create_id = staticmethod(time_ordered_id)  # new ones are time-ordered (UUIDv7)

    @event("Scheduled")
    def __init__(
        self,
        title: MultilingualText,
        kind: MeetingKind,
        series: str | None,
        session_number: int | None,
        dates: DateRange,
        venue: Venue,
        participants: tuple[Participant, ...],
        documents: tuple[SourceDocument, ...],
        actor: str,
        timestamp: datetime,
    ) -> None:
        self.title = title
        self.kind = kind
        self.series = series
        self.session_number = session_number
        self.scheduled = dates
        self.held_dates: DateRange | None = None
        self.venue = venue
        self.participants = tuple(participants)
        self.documents = tuple(documents)
        self.status = MeetingStatus.SCHEDULED
        self.reason: str | None = None

    @staticmethod
    def check_series(series: str | None, number: int | None) -> tuple[str | None, int | None]:
        slug = None if series is None else series_slug(series)
        number = session_number(number)
        if number is not None and slug is None:
            raise InvalidValue("a session number needs a series", "session_number")
        return slug, number

    @property
    def dates(self) -> DateRange:
        """When it was held, or else when it is scheduled."""
        return self.held_dates or self.scheduled

    @property
    def chairs(self) -> tuple[UUID, ...]:
        """The parties that chaired or co-chaired it."""
        return tuple(
            p.party_id for p in self.participants if p.role in (ParticipantRole.CHAIR, ParticipantRole.CO_CHAIR)
        )

    def _ensure_open(self, action: str) -> None:
        if self.status not in (MeetingStatus.SCHEDULED, MeetingStatus.POSTPONED):
            raise MeetingNotOpen(self.status, action)

    def hold(self, dates: DateRange, actor: str, when: datetime) -> None:
        self._ensure_open("record as held")
        # A meeting cannot have been held after the moment it is recorded (a day of
        # slack covers the time zones east of UTC).
        if dates.ends_on > when.date() + timedelta(days=1):
            raise InvalidValue("a meeting cannot be recorded as held before it ends", "ends_on")
        self._held(dates=dates, actor=actor, timestamp=when)

    @event("Held")
    def _held(self, dates: DateRange, actor: str, timestamp: datetime) -> None:
        self.held_dates = dates
        self.status = MeetingStatus.HELD

    def postpone(self, dates: DateRange, reason: str | None, actor: str, when: datetime) -> None:
        self._ensure_open("postpone")
        self._postponed(dates=dates, reason=reason, actor=actor, timestamp=when)

    @event("Postponed")
    def _postponed(self, dates: DateRange, reason: str | None, actor: str, timestamp: datetime) -> None:
        self.scheduled = dates
        self.status = MeetingStatus.POSTPONED
        self.reason = reason

    def cancel(self, reason: str | None, actor: str, when: datetime) -> None:
        self._ensure_open("cancel")
        self._cancelled(reason=reason, actor=actor, timestamp=when)

    @event("Cancelled")
    def _cancelled(self, reason: str | None, actor: str, timestamp: datetime) -> None:
        self.status = MeetingStatus.CANCELLED
        self.reason = reason

    def correct(
        self,
        reason: str | None,
        actor: str,
        when: datetime,
        title: MultilingualText | None = None,
        kind: "MeetingKind | None" = None,
        venue: Venue | None = None,
        participants: tuple[Participant, ...] | None = None,
    ) -> tuple[str, ...]:
        """Correct what the record says of the meeting where it was written wrong (its title, kind,
        venue, who took part), in any state, with a reason; what is not given stays. The fields
        changed; nothing is recorded when none differs."""
        if reason is None:
            raise InvalidValue("a reason is required to correct", "reason")
        if participants is not None:
            check_participants(participants)
        given = {
            "title": title,
            "kind": kind,
            "venue": venue,
            "participants": None if participants is None else tuple(participants),
        }
        changed = tuple(name for name, value in given.items() if value is not None and value != getattr(self, name))
        if changed:
            self._corrected(
                fields=changed,
                title=title or self.title,
                kind=kind or self.kind,
                venue=venue or self.venue,
                participants=self.participants if participants is None else tuple(participants),
                reason=reason,
                actor=actor,
                timestamp=when,
            )
        return changed

    @event("Corrected")
    def _corrected(
        self,
        fields: tuple[str, ...],
        title: MultilingualText,
        kind: "MeetingKind",
        venue: Venue,
        participants: tuple[Participant, ...],
        reason: str,
        actor: str,
        timestamp: datetime,
    ) -> None:
        self.title = title
        self.kind = kind
        self.venue = venue
        self.participants = tuple(participants)

    def add_document(self, document: SourceDocument, actor: str, when: datetime) -> None:
        self._document_added(document=document, actor=actor, timestamp=when)

    @event("DocumentAdded")
    def _document_added(self, document: SourceDocument, actor: str, timestamp: datetime) -> None:
        self.documents = (*self.documents, document)
