"""Meetings: who met, where and when; held, postponed or cancelled; and the sessions of a series
they fulfil when held."""

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate

from application import policy, translation
from application.inputs import ParticipantInput, PeriodInput, TextInput
from application.listing.histories import Histories
from application.records.evidence_files import EvidenceFiles, NoEvidenceFiles
from application.records.making import Origin, Promised, made
from application.records.series import series_of
from application.storage.saving import Records, new
from application.views import MeetingView
from domain.access import Principal
from domain.choices import choice
from domain.commitments.commitment import Commitment
from domain.commitments.lifecycle import Status
from domain.commitments.promise import CommitmentKind
from domain.evidence_files import EvidenceFile
from domain.identifiers import derived_id
from domain.meetings.meeting import (
    Meeting,
    MeetingKind,
    Participant,
    ParticipantRole,
    SourceDocument,
    Venue,
    check_participants,
)
from domain.meetings.series import HeldSession, next_session_due, next_session_text
from domain.parties.party import Party
from domain.text import SHORT_TEXT_MAX, optional_text


class Meetings:
    def __init__(self, records: Records, histories: Histories, files: EvidenceFiles | None = None) -> None:
        """``files``: where the files of its documents are kept."""
        self.records = records
        self.histories = histories
        self.files = files or NoEvidenceFiles()

    def _bound(self, documents: Sequence[SourceDocument], field: str = "documents") -> list[SourceDocument]:
        """The documents as given, a file each cites described by the bytes kept under its hash."""
        return [
            d if d.file is None else replace(d, file=self.files.bound_file(d.file, f"{field}[{i}].file"))
            for i, d in enumerate(documents)
        ]

    def document_file(self, meeting_id: UUID, caller: Principal, number: int) -> tuple[EvidenceFile, bytes]:
        """The file a document of the meeting cites (numbered from 1, in the order added), and its bytes."""
        cited = [d.get("file") for d in self.get(meeting_id).documents]
        return self.files.numbered(caller, cited, number, f"{meeting_id}/documents/{number}")

    def record(
        self,
        caller: Principal,
        title: TextInput,
        kind: str,
        scheduled: PeriodInput,
        venue: Venue,
        series: str | None = None,
        session_number: int | None = None,
        participants: Sequence[ParticipantInput] = (),
        documents: Sequence[SourceDocument] = (),
        meeting_id: UUID | None = None,
    ) -> MeetingView:
        actor = policy.records_everything(caller).id
        slug, number = Meeting.check_series(series, session_number)
        people = self._participants(participants)
        check_participants(people)
        meeting = new(
            Meeting,
            Meeting.Scheduled,  # type: ignore[attr-defined]  # made by the @event decorator, unseen by mypy
            meeting_id,
            title=translation.name(title, "title"),
            kind=choice(MeetingKind, kind, "kind"),
            series=slug,
            session_number=number,
            dates=translation.period(scheduled, "scheduled"),
            venue=translation.venue(venue),
            participants=people,
            documents=translation.documents(self._bound(documents)),
            actor=actor,
            timestamp=self.records.now(),
        )
        return MeetingView.of(self.records.create(meeting))

    def _participants(self, participants: Sequence[ParticipantInput]) -> tuple[Participant, ...]:
        return tuple(
            Participant(
                party_id=self.records.ref(Party, p.party_id, f"participants[{i}].party_id").id,
                role=choice(ParticipantRole, p.role, f"participants[{i}].role"),
                person=optional_text(p.person, f"participants[{i}].person", SHORT_TEXT_MAX),
            )
            for i, p in enumerate(participants)
        )

    def correct(
        self,
        meeting_id: UUID | str,
        caller: Principal,
        reason: str | None,
        title: TextInput | None = None,
        kind: str | None = None,
        venue: Venue | None = None,
        participants: Sequence[ParticipantInput] | None = None,
        expected_version: int | None = None,
    ) -> MeetingView:
        """Correct what the record says of a meeting where it was written wrong (title, kind, venue,
        participants), with a reason; what is not given stays. Dates change by holding or
        postponing it; a correction that changes nothing stores nothing."""
        actor = policy.records_everything(caller).id
        why = translation.reason(reason)
        named = None if title is None else translation.name(title, "title")
        chosen = None if kind is None else choice(MeetingKind, kind, "kind")
        place = None if venue is None else translation.venue(venue)
        people = None if participants is None else self._participants(participants)
        return MeetingView.of(
            self.records.change(
                Meeting,
                meeting_id,
                expected_version,
                lambda m, when: m.correct(why, actor, when, named, chosen, place, people),
            )
        )

    def get(
        self, meeting_id: UUID | str, version: int | None = None, as_of: datetime | None = None, axis: str = "recorded"
    ) -> MeetingView:
        return self.histories.marked(MeetingView.of(self.histories.read(Meeting, meeting_id, version, as_of, axis)))

    def hold(
        self, meeting_id: UUID, caller: Principal, held: PeriodInput, expected_version: int | None = None
    ) -> MeetingView:
        """Record a meeting as held; the follow-up sessions it meets are fulfilled on its last day."""
        actor = policy.records_everything(caller).id
        dates = translation.period(held, "held")
        changed: list[Aggregate] = []

        def hold(meeting: Meeting, when: datetime) -> None:
            meeting.hold(dates, actor, when)
            if meeting.series is None:
                return
            series = series_of(self.records, meeting.series, actor, when)
            session = HeldSession(meeting.id, meeting.session_number, meeting.dates.ends_on)
            series.session_held(session, actor, when)
            for commitment_id in series.awaiting:
                commitment = self.records.get(Commitment, commitment_id)
                if not commitment.is_open:
                    series.stop_awaiting(commitment_id, None, actor, when)
                elif commitment.is_met_by(meeting.id, meeting.series, meeting.session_number, session.held_on):
                    commitment.fulfil_by_meeting(meeting.id, session.held_on, actor, when)
                    series.stop_awaiting(commitment_id, meeting.id, actor, when)
                    changed.append(commitment)
            follow_up = series.next_session_expected(session)
            if follow_up is not None and series.rhythm is not None:
                expected = made(
                    Origin(meeting),
                    Promised(
                        CommitmentKind.FOLLOW_UP_SESSION,
                        next_session_text(meeting.title, follow_up.session_number),
                        series.rhythm.organiser_id,
                        due=next_session_due(series.rhythm, meeting.venue.time_zone),
                        follow_up=follow_up,
                        status=Status.AGREED,
                    ),
                    actor,
                    when,
                    derived_id("expected-session", f"{series.slug}:{meeting.id}"),
                )
                series.await_session(expected.id, actor, when)
                changed.append(expected)
            changed.append(series)

        return MeetingView.of(self.records.change(Meeting, meeting_id, expected_version, hold, also=changed))

    def postpone(
        self,
        meeting_id: UUID,
        caller: Principal,
        scheduled: PeriodInput,
        reason: str | None = None,
        expected_version: int | None = None,
    ) -> MeetingView:
        actor = policy.records_everything(caller).id
        dates = translation.period(scheduled, "scheduled")
        why = translation.reason(reason)
        return MeetingView.of(
            self.records.change(
                Meeting, meeting_id, expected_version, lambda m, when: m.postpone(dates, why, actor, when)
            )
        )

    def cancel(
        self, meeting_id: UUID, caller: Principal, reason: str | None = None, expected_version: int | None = None
    ) -> MeetingView:
        actor = policy.records_everything(caller).id
        why = translation.reason(reason)
        return MeetingView.of(
            self.records.change(Meeting, meeting_id, expected_version, lambda m, when: m.cancel(why, actor, when))
        )

    def add_document(
        self, meeting_id: UUID, caller: Principal, document: SourceDocument, expected_version: int | None = None
    ) -> MeetingView:
        actor = policy.records_everything(caller).id
        doc = translation.document(self._bound([document], "document")[0])
        return MeetingView.of(
            self.records.change(Meeting, meeting_id, expected_version, lambda m, when: m.add_document(doc, actor, when))
        )
