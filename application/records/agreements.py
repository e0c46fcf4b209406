"""Agreements: outcomes adopted at a meeting, among them action matrices and their rows."""

from collections.abc import Sequence
from datetime import date, datetime
from uuid import UUID

from application import policy, translation
from application.inputs import PeriodInput, RowInput, TextInput
from application.listing.histories import Histories
from application.records.parties import Parties
from application.storage.saving import Records, new
from application.views import AgreementView
from domain.access import Principal
from domain.choices import choice
from domain.commitments.confirmation import Rule
from domain.meetings.agreement import Agreement, AgreementKind
from domain.meetings.meeting import Meeting
from domain.parties.party import Party


class Agreements:
    def __init__(self, records: Records, histories: Histories, parties: Parties) -> None:
        self.records = records
        self.histories = histories
        self.parties = parties

    def adopt(
        self,
        caller: Principal,
        meeting_id: UUID,
        title: TextInput,
        kind: str,
        adopted_by: Sequence[UUID],
        text: TextInput | None = None,
        validity: PeriodInput | None = None,
        rows: Sequence[RowInput] = (),
        adopted_on: date | None = None,
        agreement_id: UUID | None = None,
        confirmation: str | None = None,
        silence_days: int | None = None,
    ) -> AgreementView:
        """``confirmation``: ``required``, every binding change of its commitments waits for their parties' word
        (default ``none``); ``silence_days``: after which silence is consent (default 14)."""
        actor = policy.records_everything(caller).id
        meeting = self.records.ref(Meeting, meeting_id, "meeting_id")
        agreement_kind = choice(AgreementKind, kind, "kind")
        parties = self.parties.check(adopted_by, "adopted_by")
        period = None if validity is None else translation.period(validity, "validity")
        Agreement.check_adoption(agreement_kind, parties, period)
        when = self.records.now()
        agreement = new(
            Agreement,
            Agreement.Adopted,
            agreement_id,
            meeting_id=meeting.id,
            title=translation.name(title, "title"),
            kind=agreement_kind,
            adopted_by=parties,
            text=translation.optional_text(text, "text"),
            validity=period,
            adopted_on=meeting.dates.outcome_day(adopted_on, when.date(), "adopted_on"),
            actor=actor,
            timestamp=when,
        )
        for index, row in enumerate(rows):
            self._add_row(agreement, meeting, row, actor, when, f"rows[{index}]")
        if confirmation is not None or silence_days is not None:
            rule = choice(Rule, confirmation or agreement.confirmation.value, "confirmation")
            agreement.set_confirmation(rule, silence_days or agreement.silence_days, None, actor, when)
        return AgreementView.of(self.records.create(agreement))

    def set_confirmation(
        self,
        agreement_id: UUID | str,
        caller: Principal,
        confirmation: str,
        silence_days: int | None = None,
        reason: str | None = None,
        expected_version: int | None = None,
    ) -> AgreementView:
        """Whether the binding changes of its commitments wait for their parties' word, whoever makes them
        (``required``) or only when one party makes them (``none``); and the days of silence that are consent."""
        actor = policy.records_everything(caller).id
        rule = choice(Rule, confirmation, "confirmation")
        why = translation.reason(reason)
        return AgreementView.of(
            self.records.change(
                Agreement,
                agreement_id,
                expected_version,
                lambda a, when: a.set_confirmation(rule, silence_days or a.silence_days, why, actor, when),
            )
        )

    def _add_row(
        self, agreement: Agreement, meeting: Meeting, row: RowInput, actor: str, when: datetime, field: str
    ) -> None:
        agreement.add_row(
            activity=translation.text(row.activity, f"{field}.activity"),
            lead_party_id=self.records.ref(Party, row.lead_party_id, f"{field}.lead_party_id").id,
            partner_party_ids=self.parties.check(row.partner_party_ids, f"{field}.partner_party_ids"),
            timeframe=translation.optional_due(row.timeframe, meeting.venue.time_zone, f"{field}.timeframe"),
            actor=actor,
            when=when,
        )

    def add_row(
        self, agreement_id: UUID, caller: Principal, row: RowInput, expected_version: int | None = None
    ) -> AgreementView:
        """Add a row to an action matrix (activity, lead party, partners, timeframe)."""
        actor = policy.records_everything(caller).id
        meeting = self.records.get(Meeting, self.records.get(Agreement, agreement_id).meeting_id)
        return AgreementView.of(
            self.records.change(
                Agreement,
                agreement_id,
                expected_version,
                lambda a, when: self._add_row(a, meeting, row, actor, when, "row"),
            )
        )

    def correct(
        self,
        agreement_id: UUID | str,
        caller: Principal,
        reason: str | None,
        title: TextInput | None = None,
        adopted_by: Sequence[UUID] | None = None,
        expected_version: int | None = None,
    ) -> AgreementView:
        """Correct what the record says of an agreement where it was written wrong (its title, who
        adopted it), with a reason; a correction that changes nothing stores nothing."""
        actor = policy.records_everything(caller).id
        why = translation.reason(reason)
        name = None if title is None else translation.name(title, "title")
        parties = None if adopted_by is None else self.parties.check(adopted_by, "adopted_by")
        return AgreementView.of(
            self.records.change(
                Agreement, agreement_id, expected_version, lambda a, when: a.correct(why, actor, when, name, parties)
            )
        )

    def get(
        self,
        agreement_id: UUID | str,
        version: int | None = None,
        as_of: datetime | None = None,
        axis: str = "recorded",
    ) -> AgreementView:
        return self.histories.marked(
            AgreementView.of(self.histories.read(Agreement, agreement_id, version, as_of, axis))
        )
