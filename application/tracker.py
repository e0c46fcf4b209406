"""The tracker: every use case of recording and following up commitments.

Each method reads the injected clock once, checks references, lets the domain
decide, and saves all changed aggregates in one transaction.
"""

import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timezone
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, Recording
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder

from application import transcodings
from application.errors import AlreadyExists, ConcurrentUpdate, NotFound, UnknownReference, VersionMismatch
from application.inputs import DocumentInput, DueInput, EvidenceInput, ParticipantInput, PeriodInput, RowInput, TextInput, VenueInput
from application.turns import Saved, Turns
from application.views import AgreementView, CommitmentView, EventView, MeetingView, PartyView, plain
from domain.agreement import Agreement, AgreementKind
from domain.choices import choice
from domain.commitment import (
    Commitment,
    CommitmentKind,
    Evidence,
    FollowUp,
    Provenance,
    assessment_outcome,
    reason_text,
)
from domain.commitment import reminder_days as reminder_days_of
from domain.due import Due, calendar_day, start_of_day
from domain.effective import effective_on, is_late, replay_as_happened
from domain.errors import InvalidValue
from domain.lifecycle import Status
from domain.meeting import (
    DateRange,
    Meeting,
    MeetingKind,
    Participant,
    ParticipantRole,
    SourceDocument,
    Venue,
    check_participants,
)
from domain.party import Party, PartyKind, acronym as clean_acronym, party_id
from domain.series import HeldSession, MeetingSeries, series_id
from domain.text import SHORT_TEXT_MAX, MultilingualText, optional_text

A = TypeVar("A", bound=Aggregate)
Clock = Callable[[], datetime]
SCHEDULER = "scheduler"  # the actor of facts recorded by the scanner
_EVENT_BOOKKEEPING = {"originator_id", "originator_version", "originator_topic", "timestamp", "actor"}


def system_clock() -> datetime:
    return datetime.now(timezone.utc)


class Tracker(Application[UUID]):
    name = "Tracker"

    def __init__(
        self, env: dict[str, str] | None = None, clock: Clock = system_clock, snapshot_interval: int = 0
    ) -> None:
        """``snapshot_interval``: snapshot every aggregate each time it has that many more events (0: never)."""
        self.clock = clock
        if snapshot_interval > 0:
            env = {**(env or {}), "IS_SNAPSHOTTING_ENABLED": "y"}
            self.snapshotting_intervals = {
                cls: snapshot_interval for cls in (Party, Meeting, Agreement, Commitment, MeetingSeries)
            }
        # Called with the recordings of each command's events (each with its notification), or of a
        # group of commands' (decision 0016), before they return: the read model catches up, so a
        # client reads its own writes.
        self.after_save: Callable[[Sequence[Recording]], Any] | None = None
        # Commands of this process save in turn, and are followed in groups (decision 0016).
        self.turns = Turns()
        # Reads several aggregates as they stand now, or at the version given for each (those not
        # found are left out); the infrastructure may read them together instead of one by one.
        self.read_many: Callable[..., dict[UUID, Aggregate]] = self._read_each
        # Per thread: the aggregates the command read before changing them, and while events are
        # followed, what the commands being followed saved.
        self._saving = threading.local()
        super().__init__(env)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcodings.register(transcoder)

    # -- plumbing --------------------------------------------------------------------

    def now(self) -> datetime:
        instant = self.clock()
        if instant.tzinfo is None:
            raise ValueError("the clock must return time-zone aware instants")
        return instant.astimezone(timezone.utc)

    def _load(self, cls: type[A], aggregate_id: UUID | str, version: int | None = None) -> A | None:
        if not isinstance(aggregate_id, UUID):
            try:
                aggregate_id = UUID(aggregate_id)
            except ValueError:
                return None
        try:
            aggregate = self.repository.get(aggregate_id, version=version)
        except AggregateNotFoundError:
            return None
        return aggregate if isinstance(aggregate, cls) else None

    def _read_each(self, aggregate_ids: Sequence[UUID], until: Mapping[UUID, int] | None = None) -> dict[UUID, Aggregate]:
        loaded = {i: self._load(Aggregate, i, (until or {}).get(i)) for i in aggregate_ids}
        return {aggregate_id: aggregate for aggregate_id, aggregate in loaded.items() if aggregate is not None}

    def _get(self, cls: type[A], aggregate_id: UUID | str, version: int | None = None) -> A:
        aggregate = self._load(cls, aggregate_id)
        if aggregate is None:
            raise NotFound(cls.__name__.lower(), aggregate_id)
        if version is not None and version != aggregate.version:
            if version > aggregate.version:
                raise NotFound(f"version {version} of {cls.__name__.lower()}", aggregate_id)
            aggregate = self.repository.get(aggregate.id, version=version)
        return aggregate

    def _read(self, cls: type[A], aggregate_id: UUID | str, version: int | None = None,
              as_of: datetime | None = None, axis: str = "recorded") -> A:
        """An aggregate now, at a version, or as it stood at an instant: as recorded by then
        (``axis="recorded"``), or with the facts that had happened by then (``axis="effective"``)."""
        if as_of is None:
            return self._get(cls, aggregate_id, version)
        if version is not None:
            raise InvalidValue("ask for a version or an instant, not both", "as_of")
        aggregate = self.as_of(cls, self._get(cls, aggregate_id).id, as_of, axis)
        if aggregate is None:
            raise NotFound(f"{cls.__name__.lower()} as of {as_of.isoformat()}", aggregate_id)
        return aggregate

    def as_of(self, cls: type[A], aggregate_id: UUID | str, at: datetime, axis: str = "recorded") -> A | None:
        """The aggregate as it stood at ``at`` on the axis given (None: it did not exist yet, or at all)."""
        events = self.events.get(UUID(str(aggregate_id)))
        if axis == "effective":
            replayed = replay_as_happened(events, at)
            return replayed if isinstance(replayed, cls) else None
        versions = [event.originator_version for event in events if event.timestamp <= at]
        return self._load(cls, aggregate_id, versions[-1]) if versions else None

    def _ref(self, cls: type[A], aggregate_id: UUID, field: str) -> A:
        aggregate = self._load(cls, aggregate_id)
        if aggregate is None:
            raise UnknownReference(cls.__name__.lower(), aggregate_id, field)
        return aggregate

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording]:
        """Store the events in this command's turn, then let ``after_save`` follow them before the
        command returns (commands saved while others waited are followed together, decision 0016)."""

        def store() -> Saved:
            recordings = Application.save(self, *objs, **kwargs)
            return Saved(recordings, getattr(self._saving, "before", {}),
                         {o.id: o for o in objs if isinstance(o, Aggregate)},
                         {r.notification.id: r.domain_event for r in recordings})

        try:
            return self.turns.save(store, self._follow)
        finally:
            self._saving.before = {}

    def _follow(self, saved: Saved) -> None:
        if self.after_save is None:
            return
        self._saving.followed = saved
        try:
            self.after_save(saved.recordings)
        finally:
            self._saving.followed = Saved()

    def _followed(self) -> Saved:
        """What the commands whose events this thread is following saved (nothing if it is not)."""
        return getattr(self._saving, "followed", None) or Saved()

    def event_of(self, notification: Any) -> Any:
        """The domain event a notification of the log holds: while its command's events are being
        followed, the event the command saved (not decoded again); otherwise decoded."""
        saved = self._followed().events.get(notification.id)
        return saved if saved is not None else self.mapper.to_domain_event(notification)

    def _about_to_change(self, *aggregates: Aggregate) -> None:
        """Keep each aggregate as read, before the command changes it: the followers of the
        command's events start from it instead of reading it again. A shallow copy is the state:
        aggregates replace their attributes with new immutable values, never change them in place."""
        before = {}
        for aggregate in aggregates:
            kept = object.__new__(type(aggregate))
            kept.__dict__.update(vars(aggregate), _pending_events=[])
            before[aggregate.id, aggregate.version] = kept
        self._saving.before = before

    def state_before(self, aggregate_id: UUID, version: int) -> Aggregate | None:
        """The aggregate at ``version`` as the command being followed read it, if it read it (and no
        follower that failed half-way has moved it on since)."""
        kept = self._followed().before.get((aggregate_id, version))
        return kept if kept is not None and kept.version == version else None

    def state_at(self, aggregate_id: UUID, version: int) -> Aggregate:
        """An aggregate as it stood at ``version``: while its command's events are being followed,
        the aggregate just saved, if that is the version asked for; otherwise replayed from the store."""
        saved = self._followed().aggregates.get(aggregate_id)
        if saved is not None and saved.version == version:
            return saved
        return self.repository.get(aggregate_id, version=version)

    def _save(self, *aggregates: Aggregate | None) -> None:
        try:
            self.save(*aggregates)
        except IntegrityError:
            raise ConcurrentUpdate() from None

    @staticmethod
    def _new(cls: type[A], created: type, aggregate_id: UUID | None, **kwargs: Any) -> A:
        """A new aggregate; under ``aggregate_id`` when the caller chose one (idempotent retries)."""
        if aggregate_id is None:
            return cls(**kwargs)
        return cls._create(created, id=aggregate_id, **kwargs)  # the library's way to impose an id

    def _create(self, aggregate: A, *others: Aggregate) -> A:
        try:
            self.save(aggregate, *others)
        except IntegrityError:
            if self._load(Aggregate, aggregate.id) is not None:
                raise AlreadyExists(f"{type(aggregate).__name__.lower()} {aggregate.id} already exists") from None
            raise ConcurrentUpdate() from None
        return aggregate

    def _change(self, cls: type[A], aggregate_id: UUID, expected_version: int | None, change: Callable[[A, datetime], Any]) -> A:
        aggregate = self._get(cls, aggregate_id)
        if expected_version is not None and expected_version != aggregate.version:
            raise VersionMismatch(expected_version, aggregate.version)
        self._about_to_change(aggregate)
        change(aggregate, self.now())
        self._save(aggregate)
        return aggregate

    @staticmethod
    def _text(value: TextInput, field: str, max_length: int | None = None) -> MultilingualText:
        if max_length is None:
            return MultilingualText.of(value.texts, value.authentic, field)
        return MultilingualText.of(value.texts, value.authentic, field, max_length)

    @staticmethod
    def _due(value: DueInput, default_time_zone: str, field: str) -> Due:
        return Due.of(value.precision, value.time_zone or default_time_zone, value.value, value.amount, value.unit, field)

    def check_parties(self, ids: Sequence[UUID], field: str) -> tuple[UUID, ...]:
        """The ids, if each names a party; else the first unknown one is refused."""
        return self._parties(ids, field)

    def _parties(self, ids: Sequence[UUID], field: str) -> tuple[UUID, ...]:
        return tuple(self._ref(Party, identifier, f"{field}[{index}]").id for index, identifier in enumerate(ids))

    # -- parties ---------------------------------------------------------------------

    def register_party(
        self, actor: str, names: TextInput, acronym: str, kind: str, parent_id: UUID | None = None
    ) -> PartyView:
        text = self._text(names, "names", SHORT_TEXT_MAX)
        short = clean_acronym(acronym)
        party_kind = choice(PartyKind, kind, "kind")
        if parent_id is not None:
            self._ref(Party, parent_id, "parent_id")
        if self._load(Party, party_id(short)) is not None:
            raise AlreadyExists(f"a party with the acronym {short!r} is already registered", "acronym")
        party = Party(names=text, acronym=short, kind=party_kind, parent_id=parent_id, actor=actor, timestamp=self.now())
        try:
            return PartyView.of(self._create(party))
        except AlreadyExists:
            raise AlreadyExists(f"a party with the acronym {short!r} is already registered", "acronym") from None

    def get_party(self, party_id_: UUID | str, version: int | None = None, as_of: datetime | None = None,
                  axis: str = "recorded") -> PartyView:
        return PartyView.of(self._read(Party, party_id_, version, as_of, axis))


    # -- meetings --------------------------------------------------------------------

    def record_meeting(
        self,
        actor: str,
        title: TextInput,
        kind: str,
        scheduled: PeriodInput,
        venue: VenueInput,
        series: str | None = None,
        session_number: int | None = None,
        participants: Sequence[ParticipantInput] = (),
        documents: Sequence[DocumentInput] = (),
        meeting_id: UUID | None = None,
    ) -> MeetingView:
        slug, number = Meeting.check_series(series, session_number)
        people = tuple(
            Participant(
                party_id=self._ref(Party, p.party_id, f"participants[{i}].party_id").id,
                role=choice(ParticipantRole, p.role, f"participants[{i}].role"),
                person=optional_text(p.person, f"participants[{i}].person", SHORT_TEXT_MAX),
            )
            for i, p in enumerate(participants)
        )
        check_participants(people)
        meeting = self._new(
            Meeting,
            Meeting.Scheduled,  # type: ignore[attr-defined]
            meeting_id,
            title=self._text(title, "title", SHORT_TEXT_MAX),
            kind=choice(MeetingKind, kind, "kind"),
            series=slug,
            session_number=number,
            dates=DateRange.of(scheduled.starts_on, scheduled.ends_on, "scheduled"),
            venue=Venue.of(venue.name, venue.time_zone, venue.city, venue.country),
            participants=people,
            documents=tuple(
                SourceDocument.of(d.text, d.language, d.url, d.title, f"documents[{i}]") for i, d in enumerate(documents)
            ),
            actor=actor,
            timestamp=self.now(),
        )
        return MeetingView.of(self._create(meeting))

    def get_meeting(self, meeting_id: UUID | str, version: int | None = None, as_of: datetime | None = None,
                    axis: str = "recorded") -> MeetingView:
        return MeetingView.of(self._read(Meeting, meeting_id, version, as_of, axis))


    def hold_meeting(
        self, meeting_id: UUID, actor: str, held: PeriodInput, expected_version: int | None = None
    ) -> MeetingView:
        """Record a meeting as held, and fulfil the follow-up sessions it meets."""
        meeting = self._get(Meeting, meeting_id)
        if expected_version is not None and expected_version != meeting.version:
            raise VersionMismatch(expected_version, meeting.version)
        when = self.now()
        meeting.hold(DateRange.of(held.starts_on, held.ends_on, "held"), actor, when)
        changed: list[Aggregate] = [meeting]
        if meeting.series is not None:
            series = self._series(meeting.series, actor, when)
            session = HeldSession(meeting.id, meeting.session_number, meeting.dates.ends_on)
            series.session_held(session, actor, when)
            for commitment_id in series.awaiting:
                commitment = self.repository.get(commitment_id)
                if not commitment.is_open:
                    series.stop_awaiting(commitment_id, None, actor, when)
                elif commitment.is_met_by(meeting.id, meeting.series, meeting.session_number, session.held_on):
                    commitment.fulfil_by_meeting(meeting.id, session.held_on, actor, when)
                    series.stop_awaiting(commitment_id, meeting.id, actor, when)
                    changed.append(commitment)
            changed.append(series)
        self._save(*changed)
        return MeetingView.of(meeting)

    def _series(self, slug: str, actor: str, when: datetime) -> MeetingSeries:
        return self._load(MeetingSeries, series_id(slug)) or MeetingSeries(slug=slug, actor=actor, timestamp=when)

    def postpone_meeting(
        self, meeting_id: UUID, actor: str, scheduled: PeriodInput, reason: str | None = None,
        expected_version: int | None = None,
    ) -> MeetingView:
        dates = DateRange.of(scheduled.starts_on, scheduled.ends_on, "scheduled")
        why = reason_text(reason)
        return MeetingView.of(
            self._change(Meeting, meeting_id, expected_version, lambda m, when: m.postpone(dates, why, actor, when))
        )

    def cancel_meeting(
        self, meeting_id: UUID, actor: str, reason: str | None = None, expected_version: int | None = None
    ) -> MeetingView:
        why = reason_text(reason)
        return MeetingView.of(
            self._change(Meeting, meeting_id, expected_version, lambda m, when: m.cancel(why, actor, when))
        )

    def add_meeting_document(
        self, meeting_id: UUID, actor: str, document: DocumentInput, expected_version: int | None = None
    ) -> MeetingView:
        doc = SourceDocument.of(document.text, document.language, document.url, document.title, "document")
        return MeetingView.of(
            self._change(Meeting, meeting_id, expected_version, lambda m, when: m.add_document(doc, actor, when))
        )

    # -- agreements ------------------------------------------------------------------

    def adopt_agreement(
        self,
        actor: str,
        meeting_id: UUID,
        title: TextInput,
        kind: str,
        adopted_by: Sequence[UUID],
        text: TextInput | None = None,
        validity: PeriodInput | None = None,
        rows: Sequence[RowInput] = (),
        adopted_on: date | None = None,
        agreement_id: UUID | None = None,
    ) -> AgreementView:
        meeting = self._ref(Meeting, meeting_id, "meeting_id")
        agreement_kind = choice(AgreementKind, kind, "kind")
        parties = self._parties(adopted_by, "adopted_by")
        period = None if validity is None else DateRange.of(validity.starts_on, validity.ends_on, "validity")
        Agreement.check_adoption(agreement_kind, parties, period)
        when = self.now()
        day = meeting.dates.outcome_day(adopted_on, when.date(), "adopted_on")
        agreement = self._new(
            Agreement,
            Agreement.Adopted,  # type: ignore[attr-defined]
            agreement_id,
            meeting_id=meeting.id,
            title=self._text(title, "title", SHORT_TEXT_MAX),
            kind=agreement_kind,
            adopted_by=parties,
            text=None if text is None else self._text(text, "text"),
            validity=period,
            adopted_on=day,
            actor=actor,
            timestamp=when,
        )
        for index, row in enumerate(rows):
            self._add_row(agreement, meeting, row, actor, when, f"rows[{index}]")
        return AgreementView.of(self._create(agreement))

    def _add_row(self, agreement: Agreement, meeting: Meeting, row: RowInput, actor: str, when: datetime, field: str) -> None:
        agreement.add_row(
            activity=self._text(row.activity, f"{field}.activity"),
            lead_party_id=self._ref(Party, row.lead_party_id, f"{field}.lead_party_id").id,
            partner_party_ids=self._parties(row.partner_party_ids, f"{field}.partner_party_ids"),
            timeframe=None if row.timeframe is None else self._due(row.timeframe, meeting.venue.time_zone, f"{field}.timeframe"),
            actor=actor,
            when=when,
        )

    def add_matrix_row(
        self, agreement_id: UUID, actor: str, row: RowInput, expected_version: int | None = None
    ) -> AgreementView:
        agreement = self._get(Agreement, agreement_id)
        meeting = self._get(Meeting, agreement.meeting_id)
        return AgreementView.of(
            self._change(
                Agreement, agreement_id, expected_version,
                lambda a, when: self._add_row(a, meeting, row, actor, when, "row"),
            )
        )

    def get_agreement(self, agreement_id: UUID | str, version: int | None = None, as_of: datetime | None = None,
                      axis: str = "recorded") -> AgreementView:
        return AgreementView.of(self._read(Agreement, agreement_id, version, as_of, axis))


    # -- commitments -----------------------------------------------------------------

    def record_commitment(
        self,
        actor: str,
        text: TextInput,
        lead_party_id: UUID,
        meeting_id: UUID,
        kind: str = "action",
        supporting_party_ids: Sequence[UUID] = (),
        agreement_id: UUID | None = None,
        row_number: int | None = None,
        clause: str | None = None,
        quote: TextInput | None = None,
        due: DueInput | None = None,
        follow_up_series: str | None = None,
        follow_up_session_number: int | None = None,
        status: str = "draft",
        reminder_days: Sequence[int] | None = None,
        made_on: date | None = None,
        review_on: date | None = None,
        commitment_id: UUID | None = None,
    ) -> CommitmentView:
        """Record a promise made at a meeting. With no due (and no matrix row with a timeframe) it is
        open-ended: never due soon or overdue; ``review_on`` reminds its lead party to look at it again."""
        commitment_kind = choice(CommitmentKind, kind, "kind")
        initial = choice(Status, status, "status")
        statement = self._text(text, "text")
        meeting = self._ref(Meeting, meeting_id, "meeting_id")
        lead = self._ref(Party, lead_party_id, "lead_party_id")
        supporting = self._parties(supporting_party_ids, "supporting_party_ids")
        agreement = None if agreement_id is None else self._ref(Agreement, agreement_id, "agreement_id")
        if agreement is not None and agreement.meeting_id != meeting.id:
            raise InvalidValue("the agreement was adopted at another meeting", "agreement_id")
        row = None
        if row_number is not None:
            if agreement is None:
                raise InvalidValue("a matrix row needs its agreement", "agreement_id")
            row = agreement.row(row_number)
            if row is None:
                raise UnknownReference("matrix row", row_number, "row_number")
        deadline: Due | None = None
        if due is not None:
            deadline = self._due(due, meeting.venue.time_zone, "due")
        elif row is not None:
            deadline = row.timeframe
        follow_up = None
        if commitment_kind is CommitmentKind.FOLLOW_UP_SESSION:
            follow_up = FollowUp.of(follow_up_series, meeting.series, follow_up_session_number)
        Commitment.check_new(commitment_kind, lead.id, supporting, follow_up, initial)
        reminders = reminder_days_of(None if reminder_days is None else list(reminder_days))
        when = self.now()
        review_day = None if review_on is None else calendar_day(review_on, "review_on")
        commitment = self._new(
            Commitment,
            Commitment.Recorded,  # type: ignore[attr-defined]
            commitment_id,
            kind=commitment_kind,
            text=statement,
            lead_party_id=lead.id,
            supporting_party_ids=supporting,
            provenance=Provenance(
                meeting_id=meeting.id,
                agreement_id=None if agreement is None else agreement.id,
                row_number=row_number,
                clause=optional_text(clause, "clause", SHORT_TEXT_MAX),
                quote=None if quote is None else self._text(quote, "quote"),
            ),
            due=deadline,
            due_at=None if deadline is None else deadline.resolve(meeting.dates.ends_on),
            follow_up=follow_up,
            status=initial,
            reminder_days=reminders,
            made_on=meeting.dates.outcome_day(made_on, when.date(), "made_on"),
            review_on=review_day,
            review_at=self._review_at(review_day, deadline, meeting),
            actor=actor,
            timestamp=when,
        )
        others: list[Aggregate] = []
        if follow_up is not None:
            series = self._series(follow_up.series, actor, when)
            held = next((session for session in series.held if commitment.is_met_by(
                session.meeting_id, follow_up.series, session.session_number, session.held_on)), None)
            if held is not None:  # recorded after its session was recorded as held
                commitment.fulfil_by_meeting(held.meeting_id, held.held_on, actor, when)
            else:
                series.await_session(commitment.id, actor, when)
            others.append(series)
        return CommitmentView.of(self._create(commitment, *others))

    @staticmethod
    def _review_at(day: date | None, due: Due | None, meeting: Meeting) -> datetime | None:
        """A review falls due at the start of its day where the commitment's due is kept (or its meeting was held)."""
        return None if day is None else start_of_day(day, due.time_zone if due else meeting.venue.time_zone)

    def get_commitment(
        self, commitment_id: UUID | str, version: int | None = None, as_of: datetime | None = None,
        axis: str = "recorded",
    ) -> CommitmentView:
        """The commitment now, at a version, or as it stood at an instant (``_read``)."""
        return CommitmentView.of(self._read(Commitment, commitment_id, version, as_of, axis))


    def _commitment(self, commitment_id: UUID, expected_version: int | None, change: Callable[[Commitment, datetime], Any]) -> CommitmentView:
        return CommitmentView.of(self._change(Commitment, commitment_id, expected_version, change))

    def agree_commitment(self, commitment_id: UUID, actor: str, reason: str | None = None, expected_version: int | None = None) -> CommitmentView:
        why = reason_text(reason)
        return self._commitment(commitment_id, expected_version, lambda c, when: c.agree(why, actor, when))

    def note_commitment(self, commitment_id: UUID, actor: str, reason: str | None = None, expected_version: int | None = None) -> CommitmentView:
        why = reason_text(reason)
        return self._commitment(commitment_id, expected_version, lambda c, when: c.note(why, actor, when))

    def start_commitment(self, commitment_id: UUID, actor: str, reason: str | None = None, expected_version: int | None = None) -> CommitmentView:
        why = reason_text(reason)
        return self._commitment(commitment_id, expected_version, lambda c, when: c.start(why, actor, when))

    def stall_commitment(self, commitment_id: UUID, actor: str, reason: str | None = None, expected_version: int | None = None) -> CommitmentView:
        why = reason_text(reason)
        return self._commitment(commitment_id, expected_version, lambda c, when: c.stall(why, actor, when))

    def suspend_commitment(
        self, commitment_id: UUID, actor: str, decision_reference: str | None, reason: str | None = None,
        expected_version: int | None = None,
    ) -> CommitmentView:
        why = reason_text(reason)
        ref = optional_text(decision_reference, "decision_reference", SHORT_TEXT_MAX)
        return self._commitment(commitment_id, expected_version, lambda c, when: c.suspend(ref, why, actor, when))

    def resume_commitment(self, commitment_id: UUID, actor: str, reason: str | None = None, expected_version: int | None = None) -> CommitmentView:
        why = reason_text(reason)
        return self._commitment(commitment_id, expected_version, lambda c, when: c.resume(why, actor, when))

    def deliver_commitment(
        self, commitment_id: UUID, actor: str, evidence: Sequence[EvidenceInput], delivered_on: date | None = None,
        note: str | None = None, expected_version: int | None = None,
    ) -> CommitmentView:
        proofs = self._evidence(evidence)
        remark = reason_text(note, "note")
        return self._commitment(
            commitment_id, expected_version, lambda c, when: c.deliver(proofs, delivered_on, remark, actor, when)
        )

    def reject_delivery(self, commitment_id: UUID, actor: str, reason: str | None = None, expected_version: int | None = None) -> CommitmentView:
        why = reason_text(reason)
        return self._commitment(commitment_id, expected_version, lambda c, when: c.reject_delivery(why, actor, when))

    def assess_commitment(
        self, commitment_id: UUID, actor: str, outcome: str, reason: str | None = None, expected_version: int | None = None
    ) -> CommitmentView:
        result = assessment_outcome(outcome)
        why = reason_text(reason)
        return self._commitment(commitment_id, expected_version, lambda c, when: c.assess(result, why, actor, when))

    def reopen_commitment(self, commitment_id: UUID, actor: str, reason: str | None = None, expected_version: int | None = None) -> CommitmentView:
        why = reason_text(reason)
        return self._commitment(commitment_id, expected_version, lambda c, when: c.reopen(why, actor, when))

    def cancel_commitment(self, commitment_id: UUID, actor: str, reason: str | None = None, expected_version: int | None = None) -> CommitmentView:
        why = reason_text(reason)
        return self._commitment(commitment_id, expected_version, lambda c, when: c.cancel(why, actor, when))

    def supersede_commitment(
        self, commitment_id: UUID, actor: str, new_commitment_id: UUID, meeting_id: UUID, reason: str | None = None,
        expected_version: int | None = None,
    ) -> CommitmentView:
        why = reason_text(reason)
        successor = self._ref(Commitment, new_commitment_id, "new_commitment_id")
        meeting = self._ref(Meeting, meeting_id, "meeting_id")

        def supersede(commitment: Commitment, when: datetime) -> None:
            original = self._get(Meeting, commitment.provenance.meeting_id)
            Commitment.check_successor(successor, meeting.id, meeting.dates.starts_on, original.dates.starts_on)
            commitment.supersede(successor.id, meeting.id, why, actor, when)

        return self._commitment(commitment_id, expected_version, supersede)

    def report_progress(
        self, commitment_id: UUID, actor: str, percent: int, note: str | None = None,
        evidence: Sequence[EvidenceInput] = (), expected_version: int | None = None,
    ) -> CommitmentView:
        proofs = self._evidence(evidence)
        remark = reason_text(note, "note")
        return self._commitment(
            commitment_id, expected_version, lambda c, when: c.report_progress(percent, remark, proofs, actor, when)
        )

    def revise_due(
        self, commitment_id: UUID, actor: str, due: DueInput | None, reason: str | None = None,
        expected_version: int | None = None,
    ) -> CommitmentView:
        """A new due; the first due of an open-ended commitment needs no reason; ``None`` leaves it open-ended."""
        why = reason_text(reason)

        def revise(commitment: Commitment, when: datetime) -> None:
            meeting = self._get(Meeting, commitment.provenance.meeting_id)
            deadline = None if due is None else self._due(due, meeting.venue.time_zone, "due")
            due_at = None if deadline is None else deadline.resolve(meeting.dates.ends_on)
            commitment.revise_due(deadline, due_at, why, actor, when)

        return self._commitment(commitment_id, expected_version, revise)

    def schedule_review(
        self, commitment_id: UUID, actor: str, review_on: date | None, reason: str | None = None,
        expected_version: int | None = None,
    ) -> CommitmentView:
        """The day the lead party wants to look at the commitment again (``None``: no review)."""
        why = reason_text(reason)
        day = None if review_on is None else calendar_day(review_on, "review_on")

        def schedule(commitment: Commitment, when: datetime) -> None:
            meeting = self._get(Meeting, commitment.provenance.meeting_id)
            commitment.schedule_review(day, self._review_at(day, commitment.due, meeting), why, actor, when)

        return self._commitment(commitment_id, expected_version, schedule)

    # -- facts the clock brings -----------------------------------------------------------

    def mark_overdue(self, commitment_id: UUID | str, actor: str = SCHEDULER) -> bool:
        """Record that the commitment's due has passed; True if this call recorded it."""
        return self._mark(commitment_id, lambda c, now: c.mark_overdue(now, actor, now))

    def mark_due_soon(self, commitment_id: UUID | str, actor: str = SCHEDULER) -> bool:
        """Record that a reminder lead time was reached; True if this call recorded it."""
        return self._mark(commitment_id, lambda c, now: c.mark_due_soon(now, actor, now))

    def mark_many_overdue(self, commitment_ids: Sequence[str], actor: str = SCHEDULER) -> int:
        """``mark_overdue`` for a batch of commitments, saved together; how many were recorded."""
        return self._mark_many(commitment_ids, lambda c, now: c.mark_overdue(now, actor, now))

    def mark_many_due_soon(self, commitment_ids: Sequence[str], actor: str = SCHEDULER) -> int:
        """``mark_due_soon`` for a batch of commitments, saved together; how many were recorded."""
        return self._mark_many(commitment_ids, lambda c, now: c.mark_due_soon(now, actor, now))

    def mark_many_review_due(self, commitment_ids: Sequence[str], actor: str = SCHEDULER) -> int:
        """Record that the review day of each commitment has come, saved together; how many were recorded."""
        return self._mark_many(commitment_ids, lambda c, now: c.mark_review_due(now, actor, now))

    def _mark_many(self, commitment_ids: Sequence[str], mark: Callable[[Commitment, datetime], bool]) -> int:
        """One save (one transaction) for the whole batch. If another process changed one of them
        first, the batch stores nothing and each is marked on its own, as ``_mark`` does."""
        now = self.now()
        ids = [UUID(commitment_id) for commitment_id in commitment_ids]
        found = self.read_many(ids)
        self._about_to_change(*found.values())
        changed = [commitment for commitment in (found.get(i) for i in ids)
                   if isinstance(commitment, Commitment) and mark(commitment, now)]
        if not changed:
            return 0
        try:
            self._save(*changed)
            return len(changed)
        except ConcurrentUpdate:
            recorded = 0
            for commitment in changed:
                try:
                    recorded += self._mark(commitment.id, mark)
                except ConcurrentUpdate:
                    continue  # the next tick looks again
            return recorded

    def _mark(self, commitment_id: UUID | str, mark: Callable[[Commitment, datetime], bool], attempts: int = 5) -> bool:
        """Optimistic concurrency is the deduplicator: when another process changed the
        commitment first, it is read again and the rule decides anew (often: nothing to do)."""
        for _ in range(attempts):
            commitment = self._get(Commitment, commitment_id)
            self._about_to_change(commitment)
            if not mark(commitment, self.now()):
                return False
            try:
                self._save(commitment)
            except ConcurrentUpdate:
                continue
            return True
        raise ConcurrentUpdate()

    @staticmethod
    def _evidence(items: Sequence[EvidenceInput]) -> tuple[Evidence, ...]:
        return tuple(Evidence.of(e.title, e.url, e.note, f"evidence[{i}]") for i, e in enumerate(items))

    # -- history ---------------------------------------------------------------------

    def history(
        self, cls: type[Aggregate], aggregate_id: UUID | str, after_version: int = 0, limit: int | None = None
    ) -> list[EventView]:
        """The stored events of one aggregate, oldest first, after a version."""
        aggregate = self._get(cls, aggregate_id)
        return [_event_view(event) for event in self.events.get(aggregate.id, gt=after_version, limit=limit)]

    def timeline(self, aggregate_ids: Sequence[str], offset: int = 0, limit: int = 50) -> tuple[list[EventView], int]:
        """The events of several aggregates merged in the order they were recorded; and how many in all.

        Give the aggregates in the order they were created: events recorded at the same instant
        keep that order (the sort is stable)."""
        merged = sorted(
            (event for aggregate_id in aggregate_ids for event in self.events.get(UUID(aggregate_id))),
            key=lambda event: event.timestamp,
        )
        return [_event_view(event) for event in merged[offset:offset + limit]], len(merged)


def _event_view(event: Any) -> EventView:
    payload = {k: plain(v) for k, v in vars(event).items() if k not in _EVENT_BOOKKEEPING}
    return EventView(
        aggregate_type=type(event).__qualname__.split(".")[0],  # Commitment.Agreed -> Commitment
        aggregate_id=str(event.originator_id),
        type=type(event).__name__,
        version=event.originator_version,
        recorded_at=plain(event.timestamp),
        effective_on=plain(effective_on(event)),
        late=is_late(event),
        actor=getattr(event, "actor", None),
        reason=payload.get("reason"),
        payload=payload,
    )
