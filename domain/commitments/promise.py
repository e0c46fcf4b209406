"""What a commitment promises and where it came from: its kind, its provenance (the meeting, the agreement
and its row, the clause, the words of the source), the follow-up session it promises to hold, the evidence
and progress reported on it, and the days before its due when it is due soon. Values only: the aggregate
that carries them is ``domain.commitments.commitment``."""

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from uuid import UUID

from domain.commitments.lifecycle import ASSESSED, Status
from domain.errors import InvalidValue
from domain.evidence_files import EvidenceFile
from domain.identifiers import series_slug
from domain.meetings.meeting import session_number, web_address
from domain.text import LONG_TEXT_MAX, SHORT_TEXT_MAX, MultilingualText, clean_text, optional_text

MAX_EVIDENCE = 50
DEFAULT_REMINDER_DAYS = (30, 7)  # tell subscribers a month and a week before the due
MAX_REMINDERS = 5


class CommitmentKind(Enum):
    ACTION = "action"  # an activity, often a row of an action matrix
    CLAUSE = "clause"  # a clause of an agreement
    FOLLOW_UP_SESSION = "follow_up_session"  # holding the next meeting of a series


@dataclass(frozen=True)
class Provenance:
    """Where the promise was made, and the words of the source."""

    meeting_id: UUID
    agreement_id: UUID | None = None
    row_number: int | None = None
    clause: str | None = None
    quote: MultilingualText | None = None
    recurrence_id: UUID | None = None  # the rule that generated it (``domain.commitments.recurrence``), if one did


@dataclass(frozen=True)
class FollowUp:
    """The session of a series that a follow-up commitment promises to hold."""

    series: str
    session_number: int | None = None
    generated: bool = False  # expected from the series' rhythm, not promised by anyone (``series.Rhythm``)

    @classmethod
    def of(cls, series: str | None, meeting_series: str | None, number: int | None) -> "FollowUp":
        """The session to hold: of the series named, or else of the meeting's own series."""
        if series is None and meeting_series is None:
            raise InvalidValue(
                "the meeting has no series: name the series whose session is to be held",
                "follow_up.series",
            )
        return cls(
            series=series_slug(series or meeting_series or "", "follow_up.series"),
            session_number=session_number(number, "follow_up.session_number"),
        )


@dataclass(frozen=True)
class Evidence:
    """What shows a commitment was acted on: a title, and a web address, a file kept by this deployment
    (``domain.evidence_files``) or neither."""

    title: str
    url: str | None = None
    note: str | None = None
    file: EvidenceFile | None = None

    def checked(self, field_name: str = "evidence") -> "Evidence":
        """This evidence as given, held to the rules: a clean title, a web address if any, a file if any."""
        return Evidence(
            title=clean_text(self.title, f"{field_name}.title", SHORT_TEXT_MAX),
            url=None if self.url is None else web_address(self.url, f"{field_name}.url"),
            note=optional_text(self.note, f"{field_name}.note"),
            file=None if self.file is None else self.file.checked(f"{field_name}.file"),
        )


@dataclass(frozen=True)
class Progress:
    percent: int
    note: str | None
    evidence: tuple[Evidence, ...]
    reported_at: datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "evidence", tuple(self.evidence))


def reason_text(value: str | None, field_name: str = "reason") -> str | None:
    return optional_text(value, field_name, LONG_TEXT_MAX)


def assessment_outcome(value: object) -> Status:
    """How an assessment ends: one of the three assessed states."""
    choices = ", ".join(sorted(status.value for status in ASSESSED))
    if isinstance(value, Status) and value in ASSESSED:
        return value
    outcome = next((status for status in ASSESSED if status.value == value), None)
    if outcome is None:
        raise InvalidValue(
            "unknown outcome {value!r}; an assessment is one of {choices}", "outcome", value=value, choices=choices
        )
    return outcome


def reminder_days(values: tuple[int, ...] | list[int] | None) -> tuple[int, ...]:
    """Lead times, in days before the due, at which the commitment is due soon (longest first)."""
    if values is None:
        return DEFAULT_REMINDER_DAYS
    if len(values) > MAX_REMINDERS:
        raise InvalidValue("at most {most} reminders", "reminder_days", most=MAX_REMINDERS)
    for index, days in enumerate(values):
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 365:
            raise InvalidValue("a reminder is a whole number of days from 1 to 365", f"reminder_days[{index}]")
    if len(set(values)) != len(values):
        raise InvalidValue("a reminder is given twice", "reminder_days")
    return tuple(sorted(values, reverse=True))


def evidence_list(items: tuple[Evidence, ...]) -> tuple[Evidence, ...]:
    if len(items) > MAX_EVIDENCE:
        raise InvalidValue("at most {most} pieces of evidence at once", "evidence", most=MAX_EVIDENCE)
    return tuple(items)
