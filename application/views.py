"""What queries return: plain objects of strings, numbers, lists and dicts."""

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any, Literal, TypeAlias
from uuid import UUID

from domain.commitments.commitment import STATUS_MOVES, Commitment
from domain.commitments.escalation import Audience, Ladder
from domain.commitments.lifecycle import Action, Status, allowed_actions
from domain.commitments.promise import CommitmentKind
from domain.commitments.recurrence import Recurrence
from domain.meetings.agreement import Agreement, AgreementKind
from domain.meetings.meeting import Meeting, MeetingKind, MeetingStatus
from domain.meetings.series import MeetingSeries
from domain.parties.contact import Frequency
from domain.parties.party import Party, PartyKind
from domain.reading.names import NameAt
from domain.text import MultilingualText
from domain.theme import Theme


def one_of(enum_class: type[Enum]) -> Any:
    """The values of an enum as a type: the API document lists them."""
    return Literal[tuple(member.value for member in enum_class)]


if TYPE_CHECKING:  # a type made at run time is no type to the checker: to it, each is the value of a member, a str
    PartyKindName: TypeAlias = str
    AudienceName: TypeAlias = str
    FrequencyName: TypeAlias = str
    MeetingKindName: TypeAlias = str
    MeetingStatusName: TypeAlias = str
    AgreementKindName: TypeAlias = str
    CommitmentKindName: TypeAlias = str
    StatusName: TypeAlias = str
    ActionName: TypeAlias = str
else:
    PartyKindName = one_of(PartyKind)
    AudienceName = one_of(Audience)
    FrequencyName = one_of(Frequency)
    MeetingKindName = one_of(MeetingKind)
    MeetingStatusName = one_of(MeetingStatus)
    AgreementKindName = one_of(AgreementKind)
    CommitmentKindName = one_of(CommitmentKind)
    StatusName = one_of(Status)
    ActionName = one_of(Action)


def _instant(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _conversion(cls: type) -> Callable[[Any], Any]:
    """How ``plain`` turns a value of this type into a JSON-ready value (decided once per type)."""
    if cls in (str, int, float, bool, type(None)):  # exactly these: an Enum may subclass str
        return _same
    if issubclass(cls, Enum):
        return lambda value: value.value
    if issubclass(cls, UUID):
        return str
    if issubclass(cls, datetime):
        return _instant
    if issubclass(cls, date):
        return date.isoformat
    if issubclass(cls, MultilingualText):
        return lambda value: {"texts": dict(value.texts), "authentic": value.authentic}
    if dataclasses.is_dataclass(cls):
        names = tuple(f.name for f in dataclasses.fields(cls))
        return lambda value: {name: plain(getattr(value, name)) for name in names}
    if issubclass(cls, dict):
        return lambda value: {str(plain(k)): plain(v) for k, v in value.items()}
    if issubclass(cls, (list, tuple)):
        return lambda value: [plain(item) for item in value]
    return _same


def _same(value: Any) -> Any:
    return value


_CONVERSIONS: dict[type, Callable[[Any], Any]] = {}


def plain(value: Any) -> Any:
    """Turn domain values into JSON-ready values (instants in UTC, ISO strings)."""
    cls = type(value)
    convert = _CONVERSIONS.get(cls)
    if convert is None:
        convert = _CONVERSIONS[cls] = _conversion(cls)
    return convert(value)


@dataclass
class KnownName:
    """A state, city or organisation the gazetteer knows by a name: offered when a party is registered."""

    kind: str  # state, city, organisation
    key: str  # ISO 3166 alpha-2, GeoNames id, or the organisations table's key
    names: dict[str, str]  # "ar", "en", "fr": those known
    acronym: str | None
    aliases: list[str]  # the other names and spellings reports use: what the party can keep as aliases

    @classmethod
    def of(cls, found: NameAt) -> "KnownName":
        return cls(found.kind, found.key, dict(found.names), found.acronym, list(found.aliases))


@dataclass
class PartyView:
    id: str
    version: int
    names: dict[str, Any]
    acronym: str | None  # None: the party goes by its name
    label: str  # what lists call it: its acronym, or else its authentic name
    kind: PartyKindName
    parent_id: str | None
    escalation_ladder: list[dict[str, Any]] | None  # its own steps (days, to) for what it leads; None: the deployment's
    contacts: list[dict[str, Any]]  # id, name, address, language, frequency (daily, weekly, none)
    aliases: list[str]  # other names and spellings it is found by (searches, imports, reports), any script
    created_at: str
    modified_at: str
    integrity: dict[str, Any] | None = None  # set at read time: an open break of the audit chain touches it

    @classmethod
    def of(cls, party: Party) -> "PartyView":
        return cls(
            id=plain(party.id),
            version=party.version,
            names=plain(party.names),
            acronym=party.acronym,
            label=party.label,
            kind=plain(party.kind),
            parent_id=plain(party.parent_id),
            escalation_ladder=None if party.ladder is None else plain(party.ladder.steps),
            contacts=plain(party.contacts),
            aliases=list(party.aliases),
            created_at=plain(party.created_on),
            modified_at=plain(party.modified_on),
        )


@dataclass
class ThemeView:
    code: str
    names: dict[str, Any]
    retired: bool  # kept on the commitments that carry it, no longer offered

    @classmethod
    def of(cls, theme: Theme) -> "ThemeView":
        return cls(code=theme.code, names=plain(theme.names), retired=theme.retired)


@dataclass
class LadderView:
    steps: list[dict[str, Any]]  # days overdue, and who is told (lead_party, parent_organisation, meeting_chairs)
    own: bool  # the party's own ladder; False: the deployment's

    @classmethod
    def of(cls, ladder: Ladder, own: bool) -> "LadderView":
        return cls(steps=plain(ladder.steps), own=own)


@dataclass
class SeriesView:
    id: str
    slug: str
    version: int
    rhythm: dict[str, Any] | None  # every_months, organiser_party_id; None: no session is expected by itself
    sessions_held: list[dict[str, Any]]
    awaiting: list[str]  # the open follow-ups waiting for a session of the series
    modified_at: str

    @classmethod
    def of(cls, series: MeetingSeries) -> "SeriesView":
        rhythm = series.rhythm
        return cls(
            id=plain(series.id),
            slug=series.slug,
            version=series.version,
            rhythm=None
            if rhythm is None
            else {"every_months": rhythm.months, "organiser_party_id": plain(rhythm.organiser_id)},
            sessions_held=[plain(session) for session in series.held],
            awaiting=[plain(commitment_id) for commitment_id in series.awaiting],
            modified_at=plain(series.modified_on),
        )


@dataclass
class MeetingView:
    id: str
    version: int
    title: dict[str, Any]
    kind: MeetingKindName
    series: str | None
    session_number: int | None
    status: MeetingStatusName
    scheduled: dict[str, str]
    held: dict[str, str] | None
    venue: dict[str, Any]
    participants: list[dict[str, Any]]
    documents: list[dict[str, Any]]
    reason: str | None
    created_at: str
    modified_at: str
    integrity: dict[str, Any] | None = None  # set at read time: an open break of the audit chain touches it

    @classmethod
    def of(cls, meeting: Meeting) -> "MeetingView":
        return cls(
            id=plain(meeting.id),
            version=meeting.version,
            title=plain(meeting.title),
            kind=plain(meeting.kind),
            series=meeting.series,
            session_number=meeting.session_number,
            status=plain(meeting.status),
            scheduled=plain(meeting.scheduled),
            held=plain(meeting.held_dates),
            venue=plain(meeting.venue),
            participants=plain(meeting.participants),
            documents=plain(meeting.documents),
            reason=meeting.reason,
            created_at=plain(meeting.created_on),
            modified_at=plain(meeting.modified_on),
        )


@dataclass
class AgreementView:
    id: str
    version: int
    meeting_id: str
    title: dict[str, Any]
    kind: AgreementKindName
    adopted_by: list[str]
    text: dict[str, Any] | None
    validity: dict[str, str] | None
    adopted_on: str | None  # the day it was adopted (None in records older than the field)
    rows: list[dict[str, Any]]
    confirmation: str  # none | required: whether its commitments' binding changes wait for their parties' word
    silence_days: int  # after which silence is consent
    created_at: str
    modified_at: str
    integrity: dict[str, Any] | None = None  # set at read time: an open break of the audit chain touches it

    @classmethod
    def of(cls, agreement: Agreement) -> "AgreementView":
        return cls(
            id=plain(agreement.id),
            version=agreement.version,
            meeting_id=plain(agreement.meeting_id),
            title=plain(agreement.title),
            kind=plain(agreement.kind),
            adopted_by=plain(agreement.adopted_by),
            text=plain(agreement.text),
            validity=plain(agreement.validity),
            adopted_on=plain(agreement.adopted_on),
            rows=plain(agreement.ordered_rows()),
            confirmation=agreement.confirmation.value,
            silence_days=agreement.silence_days,
            created_at=plain(agreement.created_on),
            modified_at=plain(agreement.modified_on),
        )


@dataclass
class CommitmentView:
    id: str
    version: int
    kind: CommitmentKindName
    status: StatusName
    text: dict[str, Any]
    lead_party_id: str
    supporting_party_ids: list[str]
    provenance: dict[str, Any]
    made_on: str | None  # the day the promise was made (None in records older than the field)
    due: dict[str, Any] | None  # None: open-ended, never due soon or overdue
    due_at: str | None
    follow_up: dict[str, Any] | None
    reminder_days: list[int]
    overdue: bool
    due_soon: bool
    reminders_sent: list[int]
    review_on: str | None  # the day the lead party wants to look at it again
    review_at: str | None
    review_due: bool
    escalation: dict[str, Any] | None  # the highest step of the ladder reached (level, days, to, party_ids, at)
    escalations: list[dict[str, Any]]  # every step reached for the current due, lowest first
    notes: str | None  # the coordinator's remarks, as a matrix's notes column gives them
    weight: int | None  # its weight in roll-ups (None: 1, as every other)
    themes: list[str]  # codes of the list of themes (GET /themes)
    fulfilled_on: str | None  # the day it was fulfilled: its delivery's, or its session's
    progress: dict[str, Any] | None
    evidence: list[dict[str, Any]]
    public_evidence: list[int]  # the numbers (from 1, in the order reported) of the evidence the public may see
    # Its thread: number, text (None once hidden), language, mentions, actor, at, hidden_by, hidden_reason.
    comments: list[dict[str, Any]]
    # A binding change waiting for its parties' word: action, arguments, proposed_by, proposing, awaiting,
    # unreachable, declared_at, silence_until, confirmed (parties), objections, disputed. None: nothing waits.
    pending: dict[str, Any] | None
    decision_reference: str | None
    superseded_by: str | None
    fulfilled_by_meeting: str | None
    allowed_actions: list[ActionName]
    created_at: str
    modified_at: str
    # The actors (as the history names them) who recorded it and who made its latest change.
    recorded_by: str | None
    changed_by: str | None
    integrity: dict[str, Any] | None = None  # set at read time: an open break of the audit chain touches it

    @classmethod
    def of(cls, commitment: Commitment) -> "CommitmentView":
        return cls(
            id=plain(commitment.id),
            version=commitment.version,
            kind=plain(commitment.kind),
            status=plain(commitment.status),
            text=plain(commitment.text),
            lead_party_id=plain(commitment.lead_party_id),
            supporting_party_ids=plain(commitment.supporting_party_ids),
            provenance=plain(commitment.provenance),
            made_on=plain(commitment.made_on),
            due=plain(commitment.due),
            due_at=plain(commitment.due_at),
            follow_up=plain(commitment.follow_up),
            reminder_days=list(commitment.reminder_days),
            overdue=commitment.overdue,
            due_soon=commitment.due_soon,
            reminders_sent=list(commitment.reminded),
            review_on=plain(commitment.review_on),
            review_at=plain(commitment.review_at),
            review_due=commitment.review_due,
            escalation=plain(commitment.escalation),
            escalations=plain(commitment.escalations) if commitment.escalation is not None else [],
            notes=commitment.notes,
            weight=commitment.weight,
            themes=list(commitment.themes),
            fulfilled_on=plain(commitment.fulfilled_on) if commitment.status is Status.FULFILLED else None,
            progress=plain(commitment.progress),
            evidence=plain(commitment.evidence),
            public_evidence=list(commitment.public_evidence),
            comments=[
                {**plain(comment), "text": None if comment.hidden else comment.text}
                | ({"files": []} if comment.hidden else {})
                for comment in commitment.comments
            ],
            pending=None
            if commitment.pending is None
            else {
                **plain(commitment.pending),
                "confirmed": plain(commitment.confirmations),
                "objections": plain(commitment.objections),
                "disputed": commitment.disputed,
            },
            decision_reference=commitment.decision_reference,
            superseded_by=plain(commitment.superseded_by),
            fulfilled_by_meeting=plain(commitment.fulfilled_by_meeting),
            allowed_actions=[  # while a change waits for the parties' word, its status does not move
                action.value
                for action in allowed_actions(commitment.status)
                if commitment.pending is None or action not in STATUS_MOVES
            ],
            created_at=plain(commitment.created_on),
            modified_at=plain(commitment.modified_on),
            recorded_by=commitment.recorded_by,
            changed_by=commitment.changed_by,
        )


@dataclass
class RecurrenceView:
    """A recurring commitment's rule and its occurrences (each a commitment of its own)."""

    id: str
    version: int
    kind: CommitmentKindName
    text: dict[str, Any]
    lead_party_id: str
    supporting_party_ids: list[str]
    meeting_id: str
    agreement_id: str | None
    row_number: int | None
    schedule: dict[str, Any]  # every_months, first_due, until
    dues: list[str]  # the last day of each occurrence the schedule gives
    time_zone: str
    status: StatusName  # how each occurrence is recorded
    reminder_days: list[int]
    notes: str | None
    ended: bool
    occurrences: list[dict[str, Any]]  # commitment_id, due_at, due_on, status, flags, progress, withdrawn; by due
    created_at: str
    modified_at: str

    @classmethod
    def of(cls, rule: Recurrence, occurrences: Mapping[UUID, Commitment]) -> "RecurrenceView":
        listed = []
        for commitment_id in rule.occurrences:
            occurrence = occurrences.get(commitment_id)
            if occurrence is None:
                continue
            listed.append(
                {
                    "commitment_id": plain(commitment_id),
                    "due_at": plain(occurrence.due_at),
                    "due_on": plain(rule.due_on(occurrence.due_at)),
                    "status": plain(occurrence.status),
                    "overdue": occurrence.overdue,
                    "due_soon": occurrence.due_soon,
                    "review_due": occurrence.review_due,
                    "progress": None if occurrence.progress is None else occurrence.progress.percent,
                    "withdrawn": commitment_id in rule.withdrawn,
                }
            )
        listed.sort(key=lambda item: (item["due_on"] or "9999", item["commitment_id"]))
        return cls(
            id=plain(rule.id),
            version=rule.version,
            kind=plain(rule.kind),
            text=plain(rule.text),
            lead_party_id=plain(rule.lead_party_id),
            supporting_party_ids=plain(rule.supporting_party_ids),
            meeting_id=plain(rule.meeting_id),
            agreement_id=plain(rule.agreement_id),
            row_number=rule.row_number,
            schedule=plain(rule.schedule),
            dues=[day.isoformat() for day in rule.schedule.dues()],
            time_zone=rule.time_zone,
            status=plain(rule.status),
            reminder_days=list(rule.reminder_days),
            notes=rule.notes,
            ended=rule.ended,
            occurrences=listed,
            created_at=plain(rule.created_on),
            modified_at=plain(rule.modified_on),
        )


@dataclass
class EventView:
    """One stored event, as an auditor reads it."""

    aggregate_type: str
    aggregate_id: str
    type: str
    version: int
    recorded_at: str
    effective_on: str | None  # the date a fact happened in the world, when the event states one
    late: bool  # recorded after the day it states
    actor: str | None
    reason: str | None
    payload: dict[str, Any]
    door: str | None = None  # api, page, link, cli, scheduler (``application.doors``); None: before doors were kept
